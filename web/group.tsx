/**
 * "Our group", for a sponsor group's people: its members and the checks each has completed, a form
 * to add a member, a button to mark one as left, and a form to record a check — the same use cases
 * as `/v1/groups/{id}/members…` (usecases/group-members.ts). A form to fix comes back with the
 * GOV.UK error summary and a 400; an unknown outcome (503) with the key it was sent with, so
 * pressing again is a retry, never a second change.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import { isUnavailable } from '../infra/unavailable.js';
import type { DoorDeps } from '../usecases/deps.js';
import { changeRoster, mayChangeRoster, NewMember, readRoster, RecordCheck, type GroupMember, type RosterChange } from '../usecases/group-members.js';
import { ProblemError } from '../usecases/problem.js';
import { formatDate } from './dates.js';
import { personOf, type WebContext, type WebEnv } from './env.js';
import { ErrorMessage, ErrorSummary, fieldAria } from './error-summary.js';
import { redirectWith, takeFlash, type Flash } from './flash.js';
import type { Messages } from './i18n/index.js';
import { Page, Table } from './layout.js';

const PATH = '/group';

/** A check's name in the reader's language; a check no text names is shown as its slug. */
export const checkName = (t: Messages, slug: string): string => t.group.checks[slug] ?? slug;

/** Which form came back, what was typed, what to fix (field id → message), and its key after an unknown outcome. */
interface Returned {
  form: 'add' | 'check';
  fields: Record<string, string>;
  errors: Map<string, string>;
  retryKey?: string;
}

/** A form of this page: the anti-forgery token and its own key (the one it was sent with, after a 503). */
function GroupForm(props: { c: WebContext; action: string; formKey?: string; class?: string; children?: Child }) {
  return (
    <form method="post" action={props.action} class={props.class ?? 'action'}>
      <input type="hidden" name="_csrf" value={props.c.get('csrf')} />
      <input type="hidden" name="_key" value={props.formKey ?? randomUUID()} />
      {props.children}
    </form>
  );
}

function TextField(props: { t: Messages; id: string; name: string; label: string; value?: string; error?: string; type?: string; hint?: string; required?: boolean; autocomplete?: string }) {
  const hint = props.hint ? `${props.id}-hint` : undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={hint}>
          {props.hint}
        </p>
      )}
      <ErrorMessage t={props.t} id={props.id} message={props.error} />
      <input id={props.id} name={props.name} type={props.type ?? 'text'} value={props.value ?? ''} required={props.required} autocomplete={props.autocomplete ?? 'off'} {...fieldAria(props.id, props.error, hint)} />
    </div>
  );
}

function checksText(t: Messages, m: GroupMember): string {
  if (m.checks.length === 0) return t.group.noChecks;
  return m.checks
    .map((k) => {
      const said = k.validUntil ? t.group.checkUntil(checkName(t, k.check), formatDate(t, k.completedOn), formatDate(t, k.validUntil)) : t.group.checkOn(checkName(t, k.check), formatDate(t, k.completedOn));
      return k.current ? said : `${said} — ${t.group.lapsed}`;
    })
    .join('; ');
}

async function showGroup(c: WebContext, deps: DoorDeps, returned: Returned | undefined, status: 200 | 400 | 404 | 409 | 503, flash?: Flash) {
  const t = c.get('t');
  const g = t.group;
  const person = personOf(c);
  if (!mayChangeRoster(person, person.organisationId)) {
    return c.html(
      <Page c={c} title={g.title} section="group">
        <h1>{g.title}</h1>
        <p role="alert">{g.notAGroup}</p>
      </Page>,
      403,
    );
  }
  const roster = await readRoster(deps, person, person.organisationId, { door: 'web' });
  const current = roster.members.filter((m) => m.leftAt === null);
  const kept = (form: Returned['form'], name: string) => (returned?.form === form ? returned.fields[name] : undefined);
  const error = (id: string) => returned?.errors.get(id);
  const keyOf = (form: Returned['form']) => (returned?.form === form ? returned.retryKey : undefined);
  const known = [...new Set([...Object.keys(g.checks), ...roster.members.flatMap((m) => m.checks.map((k) => k.check))])];
  const chosenCheck = kept('check', 'check');
  const chosenMember = kept('check', 'memberId');
  return c.html(
    <Page c={c} title={g.title} section="group" flash={flash ?? takeFlash(c)}>
      <h1>{g.title}</h1>
      <p>{g.intro}</p>
      <ErrorSummary t={t} errors={[...(returned?.errors ?? [])].map(([id, message]) => ({ id, message }))} />
      <section aria-labelledby="members-title">
        <h2 id="members-title">{g.members}</h2>
        <p>{g.current(current.length)}</p>
        {roster.members.length === 0 ? (
          <p>{g.none}</p>
        ) : (
          <Table labelledBy="members-title" headers={[g.columns.name, g.columns.email, g.columns.checks, g.columns.actions]}>
            {roster.members.map((m) => (
              <tr>
                <td data-label={g.columns.name}>
                  {m.name}
                  {m.leftAt && <span class="muted"> ({g.leftOn(formatDate(t, m.leftAt))})</span>}
                </td>
                <td data-label={g.columns.email}>{m.email ?? ''}</td>
                <td data-label={g.columns.checks}>{checksText(t, m)}</td>
                <td data-label={g.columns.actions}>
                  {!m.leftAt && (
                    <GroupForm c={c} action={`${PATH}/members/${m.id}/leave`} class="inline">
                      <button class="secondary" type="submit" aria-label={g.leaveNamed(m.name)}>
                        {g.leave}
                      </button>
                    </GroupForm>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      {current.length > 0 && (
        <section aria-labelledby="record-title">
          <h2 id="record-title">{g.record}</h2>
          <GroupForm c={c} action={`${PATH}/checks`} formKey={keyOf('check')}>
            <div class="field">
              <label for="check-member">{g.columns.name}</label>
              <ErrorMessage t={t} id="check-member" message={error('check-member')} />
              <select id="check-member" name="memberId" {...fieldAria('check-member', error('check-member'))}>
                {current.map((m) => (
                  <option value={m.id} selected={m.id === chosenMember}>{m.name}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="check-check">{g.check}</label>
              <ErrorMessage t={t} id="check-check" message={error('check-check')} />
              <select id="check-check" name="check" {...fieldAria('check-check', error('check-check'))}>
                {known.map((k) => (
                  <option value={k} selected={k === chosenCheck}>{checkName(t, k)}</option>
                ))}
              </select>
            </div>
            <TextField t={t} id="check-completedOn" name="completedOn" type="date" label={g.completedOn} value={kept('check', 'completedOn') ?? new Date().toISOString().slice(0, 10)} error={error('check-completedOn')} required />
            <TextField t={t} id="check-validUntil" name="validUntil" type="date" label={g.validUntil} hint={g.validUntilHint} value={kept('check', 'validUntil')} error={error('check-validUntil')} />
            <button class="primary" type="submit">{g.recordButton}</button>
          </GroupForm>
        </section>
      )}
      <section aria-labelledby="add-title">
        <h2 id="add-title">{g.add}</h2>
        <GroupForm c={c} action={`${PATH}/members`} formKey={keyOf('add')}>
          <TextField t={t} id="member-name" name="name" label={g.name} value={kept('add', 'name')} error={error('member-name')} required autocomplete="name" />
          <TextField t={t} id="member-email" name="email" type="email" label={g.email} value={kept('add', 'email')} error={error('member-email')} autocomplete="email" />
          <button class="primary" type="submit">{g.addButton}</button>
        </GroupForm>
      </section>
    </Page>,
    status,
  );
}

/** The form's fields, strings only, without the token. */
const fieldsOf = (form: Record<string, string | File>): Record<string, string> =>
  Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf' && e[0] !== '_key'));
const renderedKey = (form: Record<string, string | File>): string | undefined => (typeof form._key === 'string' && /^[\w-]{8,64}$/.test(form._key) ? form._key : undefined);

/** Field ids of each form, by the name the use case gives a field. */
const FIELD_IDS = {
  add: { name: 'member-name', email: 'member-email' },
  check: { memberId: 'check-member', check: 'check-check', completedOn: 'check-completedOn', validUntil: 'check-validUntil' },
} as const;

export function groupPages(deps: DoorDeps) {
  const app = new Hono<WebEnv>();

  app.get(PATH, (c) => showGroup(c, deps, undefined, 200));

  /** Runs a change; a form to fix, a refusal or an unknown outcome shows the page again with the form as it was sent. */
  async function change(c: WebContext, form: Returned['form'] | 'leave', raw: Record<string, string | File>, build: () => RosterChange | Map<string, string>, done: (member: GroupMember) => string) {
    const t = c.get('t');
    const person = personOf(c);
    const fields = fieldsOf(raw);
    const key = renderedKey(raw);
    const back = (errors: Map<string, string>, status: 400 | 404 | 409 | 503, retryKey?: string) =>
      form === 'leave' ? showGroup(c, deps, undefined, status, { kind: 'error', text: [...errors.values()][0] ?? t.errors.unavailable }) : showGroup(c, deps, { form, fields, errors, retryKey }, status);
    const built = build();
    if (built instanceof Map) return back(built, 400);
    if (!mayChangeRoster(person, person.organisationId)) return showGroup(c, deps, undefined, 200);
    try {
      const { body } = await changeRoster(deps, person, person.organisationId, built, key ? `form:${key}` : undefined);
      return redirectWith(c, PATH, { kind: 'ok', text: done(body) });
    } catch (error) {
      if ((error instanceof ProblemError && error.status === 503) || isUnavailable(error)) {
        c.header('Retry-After', '5');
        return back(new Map([[form === 'add' ? FIELD_IDS.add.name : FIELD_IDS.check.memberId, t.errors.outcomeUnknown]]), 503, key);
      }
      if (!(error instanceof ProblemError)) throw error;
      if (error.status === 409 && error.title === 'Idempotency-Key reused') return redirectWith(c, PATH, { kind: 'error', text: t.formSentBefore });
      if (error.status === 409) return back(new Map([[FIELD_IDS.check.memberId, t.group.errors.memberLeft]]), 409);
      if (error.status === 404) return back(new Map([[FIELD_IDS.check.memberId, t.group.errors.memberGone]]), 404);
      if (error.status === 400) {
        const named = ((error.extensions.errors as { field: string }[] | undefined) ?? []).map((e) => e.field);
        const ids = form === 'check' ? FIELD_IDS.check : FIELD_IDS.add;
        const errors = new Map<string, string>();
        for (const f of named.length ? named : [Object.keys(ids)[0]!]) {
          const id = (ids as Record<string, string>)[f];
          if (id) errors.set(id, (t.group.errors as Record<string, string>)[f] ?? t.formErrors.field(f));
        }
        return back(errors, 400);
      }
      throw error;
    }
  }

  /** What to fix, by field id, from a schema's issues. */
  const issues = (error: z.ZodError, ids: Record<string, string>, t: Messages) =>
    new Map(error.issues.flatMap((i) => {
      const f = String(i.path[0] ?? '');
      return ids[f] ? [[ids[f], (t.group.errors as Record<string, string>)[f] ?? t.formErrors.field(f)] as const] : [];
    }));

  app.post(`${PATH}/members`, async (c) => {
    const t = c.get('t');
    const form = await c.req.parseBody();
    const fields = fieldsOf(form);
    return change(
      c,
      'add',
      form,
      () => {
        const parsed = NewMember.safeParse({ name: fields.name ?? '', ...(fields.email?.trim() ? { email: fields.email.trim() } : {}) });
        return parsed.success ? { kind: 'add', member: parsed.data } : issues(parsed.error, FIELD_IDS.add, t);
      },
      (m) => t.group.added(m.name),
    );
  });

  app.post(`${PATH}/checks`, async (c) => {
    const t = c.get('t');
    const form = await c.req.parseBody();
    const fields = fieldsOf(form);
    return change(
      c,
      'check',
      form,
      () => {
        const memberId = z.uuid().safeParse(fields.memberId ?? '');
        const parsed = RecordCheck.safeParse({ check: fields.check ?? '', completedOn: fields.completedOn ?? '', ...(fields.validUntil?.trim() ? { validUntil: fields.validUntil.trim() } : {}) });
        const errors = parsed.success ? new Map<string, string>() : issues(parsed.error, FIELD_IDS.check, t);
        if (!memberId.success) errors.set(FIELD_IDS.check.memberId, t.group.errors.memberGone);
        return errors.size > 0 || !parsed.success || !memberId.success ? errors : { kind: 'check', memberId: memberId.data.toLowerCase(), record: parsed.data };
      },
      (m) => t.group.recorded(checkName(t, fields.check ?? ''), m.name),
    );
  });

  app.post(`${PATH}/members/:memberId/leave`, async (c) => {
    const t = c.get('t');
    const form = await c.req.parseBody();
    const memberId = z.uuid().safeParse(c.req.param('memberId'));
    return change(
      c,
      'leave',
      form,
      () => (memberId.success ? { kind: 'leave', memberId: memberId.data.toLowerCase() } : new Map([['members-title', t.group.errors.memberGone]])),
      (m) => t.group.leftDone(m.name),
    );
  });

  // A form's address opened as a page (a reload, the language switch): the group's page.
  app.get(`${PATH}/*`, (c) => c.redirect(PATH, 303));
  return app;
}
