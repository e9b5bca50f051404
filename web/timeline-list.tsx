/**
 * The timeline on a page, newest first, told as a story: decisions stand out, other acts read as
 * sentences, and each run of steps the system took by itself is one folded line that says what it
 * holds ("3 reminders and 1 escalation sent by the system") and opens to show them all.
 */
import type { Language } from '../domain/organisation.js';
import { formatDate } from './dates.js';
import type { Messages } from './i18n/index.js';
import { countSystemSteps, describeEvent, storyOf, type TimelineEvent, type TimelineNames } from './timeline.js';

function EventLine({ t, lang, e, names, decision }: { t: Messages; lang: Language; e: TimelineEvent; names: TimelineNames; decision?: boolean }) {
  const sentence = describeEvent(lang, e, names);
  return (
    <>
      <time datetime={e.at.toISOString()}>{formatDate(t, e.at, true)}</time>
      {decision ? <strong>{sentence}</strong> : sentence}
      {e.reason && <span class={decision ? undefined : 'muted'}>{` — ${e.reason}`}</span>}
      {e.reasonErasedAt && <span class="muted">{` — ${t.erasure.textErased(formatDate(t, e.reasonErasedAt))}`}</span>}
    </>
  );
}

/** Steps the system took by itself, folded under one line that counts them. */
function Steps({ t, lang, steps, names }: { t: Messages; lang: Language; steps: readonly TimelineEvent[]; names: TimelineNames }) {
  const { reminders, escalations, other } = countSystemSteps(steps);
  return (
    <details class="steps">
      <summary>{t.casePage.systemSteps(reminders, escalations, other)}</summary>
      <ol>
        {steps.map((e) => (
          <li>
            <EventLine t={t} lang={lang} e={e} names={names} />
          </li>
        ))}
      </ol>
    </details>
  );
}

export function Timeline({ t, lang, events, names }: { t: Messages; lang: Language; events: readonly TimelineEvent[]; names: TimelineNames }) {
  if (events.length === 0) return <p>{t.casePage.noEvents}</p>;
  return (
    <ol class="timeline">
      {storyOf(events).map((entry) => {
        if (!('system' in entry)) {
          return (
            <li class={entry.weight === 'decision' ? 'decision' : undefined}>
              <EventLine t={t} lang={lang} e={entry.event} names={names} decision={entry.weight === 'decision'} />
              {entry.steps && entry.steps.length > 0 && <Steps t={t} lang={lang} steps={entry.steps} names={names} />}
            </li>
          );
        }
        const newest = entry.system[0]!;
        return (
          <li class="system">
            <time datetime={newest.at.toISOString()}>{formatDate(t, newest.at, true)}</time>
            <Steps t={t} lang={lang} steps={entry.system} names={names} />
          </li>
        );
      })}
    </ol>
  );
}
