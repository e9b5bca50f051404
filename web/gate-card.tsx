/**
 * One open step of a case: what it is, whom it waits on, by when, and — when it is this person's
 * turn — the forms to act on it (gate-forms/, one file per kind of step). The workflow decides what
 * is allowed; these forms only offer what is likely to be, and a refusal comes back with its reason.
 */
import type { GateView } from '../domain/case-view.js';
import type { CasePageData } from './case-data.js';
import { formatDate } from './dates.js';
import { personOf, type WebContext } from './env.js';
import { AgreementForms } from './gate-forms/agreement.js';
import { CheckinForm } from './gate-forms/checkins.js';
import { CoordinatorForms } from './gate-forms/coordinator.js';
import { DecisionForm } from './gate-forms/decision.js';
import { GroupCheckCard } from './gate-forms/group-check.js';
import { HousingForms } from './gate-forms/housing.js';
import { MatchForms } from './gate-forms/match.js';
import { caseRefusalNow } from './gate-forms/not-now.js';
import { TaskForm } from './gate-forms/task.js';
import { localTitle } from './i18n/index.js';
import { todoText } from './todo.js';

export function GateCard({ c, d, g, coordinating }: { c: WebContext; d: CasePageData; g: GateView; coordinating: boolean }) {
  const t = c.get('t');
  const mine = personOf(c).organisationId;
  // A held, paused, waitlisted or closed case is nobody's turn now: its step says why (NotNow), not "your turn".
  const held = caseRefusalNow(d) !== undefined;
  const myTurn = g.waitingOn.includes(mine) && !held;
  const who = g.waitingOn.map((id) => d.orgNames.get(id) ?? id).join(', ');
  const todo = g.turn ? todoText(t, { todo: g.turn.todo, params: g.turn, title: g.title }) : '';
  return (
    <section class={`card${myTurn ? ' turn' : ''}`} id={`gate-${g.id}`} aria-labelledby={`gate-${g.id}-title`}>
      <h3 id={`gate-${g.id}-title`}>
        {localTitle(t, g.title)} {myTurn && <span class="badge turn">{t.casePage.yourTurn}</span>} {g.stuck && <span class="badge late">{t.overdue(g.daysOverdue)}</span>}{' '}
        {g.reopened && g.status === 'open' && <span class="badge late">{t.casePage.reopenedBadge[g.reopened.reason]}</span>}
      </h3>
      {g.reopened && g.status === 'open' && <p>{t.casePage.reopened[g.reopened.reason](formatDate(t, g.reopened.at))}</p>}
      <p>
        {/* One deadline: the one whoever's turn it is must meet (an offer's answer: the day it lapses). */}
        {g.turn && (held ? `${todo} (${t.casePage.due(formatDate(t, g.turn.dueAt))})` : myTurn ? t.todo.yours(todo, formatDate(t, g.turn.dueAt)) : t.todo.theirs(who, todo, formatDate(t, g.turn.dueAt)))}
        {!g.turn && g.kind !== 'checkins' && t.casePage.due(formatDate(t, g.dueAt))}
        {(g.remindersSent > 0 || g.escalationsSent > 0) && ` ${t.casePage.reminders(g.remindersSent, g.escalationsSent)}`}
      </p>
      {(g.kind === 'decision' || g.kind === 'task') && g.waitingOn.includes(mine) && (g.kind === 'decision' ? <DecisionForm c={c} d={d} g={g} t={t} /> : <TaskForm c={c} d={d} g={g} t={t} />)}
      {g.kind === 'housing' && <HousingForms c={c} d={d} g={g} t={t} mine={mine} coordinating={coordinating} />}
      {g.kind === 'agreement' && <AgreementForms c={c} d={d} g={g} t={t} mine={mine} coordinating={coordinating} />}
      {g.kind === 'checkins' && <CheckinForm c={c} d={d} g={g} t={t} mine={mine} coordinating={coordinating} />}
      {g.kind === 'group-check' && <GroupCheckCard d={d} g={g} t={t} mine={mine} />}
      {g.kind === 'match' && <MatchForms c={c} d={d} g={g} t={t} mine={mine} coordinating={coordinating} />}
      {coordinating && <CoordinatorForms c={c} d={d} g={g} t={t} />}
    </section>
  );
}
