/** The case page's household section (what the reader may see of it) and, for the coordinator, who read it. */
import type { HouseholdView, ReadLogPage } from '../usecases/household.js';
import { formatDate } from './dates.js';
import type { Messages } from './i18n/index.js';
import { Table } from './layout.js';

export function HouseholdSection(props: { t: Messages; household: HouseholdView | null }) {
  const { t, household: h } = props;
  if (!h) return <></>;
  return (
    <section aria-labelledby="household-title">
      <h2 id="household-title">{t.household.title}</h2>
      <p class="hint">{t.household.levelNote[h.level]}</p>
      {h.level !== 'none' && (
        <dl>
          <dt>{t.household.principal}</dt>
          <dd>{h.principal ? h.principal.name : '—'}</dd>
          <dt>{t.household.members}</dt>
          <dd>
            {t.household.size(h.size)}
            {h.members.length === 0 ? (
              <p>{t.household.noMembers}</p>
            ) : (
              <ul>
                {h.members.map((m) => (
                  <li>
                    {[m.name ?? t.household.member, m.relation, m.age === null ? t.household.ageUnknown : t.household.age(m.age)].filter(Boolean).join(' · ')}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>{t.household.needs}</dt>
          <dd>{h.needs.length ? h.needs.join(', ') : t.household.noNeeds}</dd>
        </dl>
      )}
    </section>
  );
}

export function ReadLogSection(props: { t: Messages; reads: ReadLogPage | null }) {
  const { t, reads } = props;
  if (!reads) return <></>;
  return (
    <section aria-labelledby="reads-title">
      <h2 id="reads-title">{t.household.readsTitle}</h2>
      <p class="hint">{t.household.readsIntro}</p>
      {reads.items.length === 0 ? (
        <p>{t.household.readsNone}</p>
      ) : (
        <Table labelledBy="reads-title" headers={[t.household.readsWhen, t.household.readsWho, t.household.readsWhat]}>
          {reads.items.map((r) => (
            <tr>
              <td data-label={t.household.readsWhen}>
                <time datetime={r.at}>{formatDate(t, r.at, true)}</time>
              </td>
              <td data-label={t.household.readsWho}>{`${r.reader.name} (${r.reader.organisation.name})`}</td>
              <td data-label={t.household.readsWhat}>{`${r.fields.map((f) => t.household.fields[f] ?? f).join(', ')} · ${t.household.door[r.door] ?? r.door}`}</td>
            </tr>
          ))}
        </Table>
      )}
      {reads.nextCursor && <p class="muted">{t.household.readsMore}</p>}
    </section>
  );
}
