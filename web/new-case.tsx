/**
 * "Open a new case", for coordinators and sponsor groups: first where the case runs (a programme
 * or a pathway), then the form — reference, the organisation in each role, the household. Sent, it
 * calls the same use case as `POST /v1/cases`, keyed by the form's own key, so a double tap opens
 * one case. Before opening, cases of the caller's organisation that look the same are shown and
 * nothing is made until the person confirms that this one is new.
 */
import { Hono } from 'hono';
import type { ZodIssue } from 'zod';
import { CreateCaseBody, createCase } from '../usecases/create-case.js';
import type { DoorDeps } from '../usecases/deps.js';
import { isUnavailable } from '../infra/unavailable.js';
import { matchedSlots } from '../domain/pathway.js';
import { ProblemError } from '../usecases/problem.js';
import { similarCases, type SimilarCase } from '../usecases/similar-cases.js';
import { personOf, type WebContext, type WebEnv } from './env.js';
import { redirectWith } from './flash.js';
import { localTitle, type Messages } from './i18n/index.js';
import { ErrorMessage, ErrorSummary, fieldAria } from './error-summary.js';
import { Form, Page } from './layout.js';
import { opensCases, partyOptions, settingOf, settings, type Organisation, type Setting } from './new-case-data.js';
import { NotFound } from './problems.js';

const PATH = '/cases/new';
const MEMBER_ROWS = 4;

type Fields = Record<string, string>;
/** Field id → its message. */
type Errors = Map<string, string>;

function notAllowed(c: WebContext) {
  const t = c.get('t').newCase;
  return c.html(
    <Page c={c} title={t.notAllowedTitle} section="new-case">
      <h1>{t.notAllowedTitle}</h1>
      <p role="alert">{t.notAllowed}</p>
      <p>
        <a href="/cases">{c.get('t').nav.cases}</a>
      </p>
    </Page>,
    403,
  );
}

/** A text input with its label, hint and error message (GOV.UK / NL Design System pattern). */
function Field(props: { t: Messages; id: string; label: string; value?: string; hint?: string; errors: Errors; type?: string; inputmode?: 'numeric'; autocomplete?: string }) {
  const error = props.errors.get(props.id);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <ErrorMessage t={props.t} id={props.id} message={error} />
      <input id={props.id} name={props.id} type={props.type ?? 'text'} inputmode={props.inputmode} autocomplete={props.autocomplete ?? 'off'} value={props.value ?? ''} {...fieldAria(props.id, error, props.hint ? `${props.id}-hint` : undefined)} />
    </div>
  );
}

function ChooseSetting(props: { c: WebContext; programmes: { id: string; name: string; pathway: string }[]; pathways: Setting['template'][] }) {
  const t = props.c.get('t');
  if (props.programmes.length === 0 && props.pathways.length === 0) return <p>{t.newCase.nothingToChoose}</p>;
  return (
    <form method="get" action={PATH} class="action">
      <div class="field">
        <label for="choice">{t.newCase.choose}</label>
        <select id="choice" name="choice" required>
          {props.programmes.length > 0 && (
            <optgroup label={t.newCase.programmes}>
              {props.programmes.map((p) => (
                <option value={`programme:${p.id}`}>{t.newCase.programmeOption(p.name, localTitle(t, p.pathway))}</option>
              ))}
            </optgroup>
          )}
          <optgroup label={t.newCase.pathways}>
            {props.pathways.map((p) => (
              <option value={`pathway:${p.id}`}>{localTitle(t, p.name)}</option>
            ))}
          </optgroup>
        </select>
      </div>
      <button class="primary" type="submit">{t.newCase.next}</button>
    </form>
  );
}

function CaseForm(props: { c: WebContext; setting: Setting; options: Record<string, Organisation[]>; fields: Fields; errors: Errors; similar: SimilarCase[]; key?: string }) {
  const { c, setting, fields, errors } = props;
  const t = c.get('t');
  const n = t.newCase;
  return (
    <Form c={c} action={PATH}>
      {props.key && <input type="hidden" name="_key" value={props.key} />}
      {setting.programme ? <input type="hidden" name="programmeId" value={setting.programme.id} /> : <input type="hidden" name="pathwayId" value={setting.template.id} />}
      {props.similar.length > 0 && (
        <section class="flash error" aria-labelledby="duplicate-title">
          <h2 id="duplicate-title">{n.duplicateTitle}</h2>
          <p>{n.duplicateIntro}</p>
          <ul>
            {props.similar.map((s) => (
              <li>
                <a href={`/cases/${s.id}`}>{s.reference}</a> — {s.matches.map((m) => (m === 'reference' ? n.sameReference : n.samePrincipal)).join(', ')}
              </li>
            ))}
          </ul>
          <p class="hint" id="confirm-hint">
            {n.confirmHint}
          </p>
          <label class="inline">
            <input type="checkbox" id="confirm" name="confirm" value="yes" aria-describedby="confirm-hint" /> {n.confirm}
          </label>
        </section>
      )}
      <Field t={t} id="reference" label={n.reference} hint={n.referenceHint} value={fields.reference} errors={errors} />
      <fieldset>
        <legend>{n.partiesTitle}</legend>
        <p class="hint">{n.partiesHint}</p>
        {/* A party a match fills during the case (domain/pathway.ts matchedSlots) is not chosen now. */}
        {setting.template.parties.filter((slot) => !matchedSlots(setting.template).includes(slot.id)).map((slot) => {
          const id = `party-${slot.id}`;
          const error = errors.get(id);
          const options = props.options[slot.id] ?? [];
          const selected = fields[id] ?? (options.length === 1 ? options[0]!.id : '');
          return (
            <div class="field">
              <label for={id}>{`${localTitle(t, slot.title)} (${t.organisationKinds[slot.kind] ?? slot.kind})`}</label>
              <ErrorMessage t={t} id={id} message={error} />
              <select id={id} name={id} {...fieldAria(id, error)}>
                {options.length !== 1 && <option value="">{n.pick}</option>}
                {options.map((o) => (
                  <option value={o.id} selected={o.id === selected}>{o.name}</option>
                ))}
              </select>
            </div>
          );
        })}
      </fieldset>
      <fieldset>
        <legend>{n.householdTitle}</legend>
        <Field t={t} id="principalName" label={n.principalName} value={fields.principalName} errors={errors} autocomplete="off" />
        <div class="field">
          <label for="needs">{n.needs}</label>
          <p class="hint" id="needs-hint">
            {n.needsHint}
          </p>
          <ErrorMessage t={t} id="needs" message={errors.get('needs')} />
          <textarea id="needs" name="needs" rows={3} {...fieldAria('needs', errors.get('needs'), 'needs-hint')}>
            {fields.needs ?? ''}
          </textarea>
        </div>
      </fieldset>
      <fieldset>
        <legend>{n.membersTitle}</legend>
        {Array.from({ length: MEMBER_ROWS }, (_, i) => (
          <fieldset>
            <legend>{n.member(i + 1)}</legend>
            <Field t={t} id={`member-${i}-name`} label={n.memberName} value={fields[`member-${i}-name`]} errors={errors} />
            <Field t={t} id={`member-${i}-birthYear`} label={n.memberBirthYear} value={fields[`member-${i}-birthYear`]} errors={errors} inputmode="numeric" />
            <Field t={t} id={`member-${i}-relation`} label={n.memberRelation} value={fields[`member-${i}-relation`]} errors={errors} />
          </fieldset>
        ))}
      </fieldset>
      <button class="primary" type="submit">{n.submit}</button>
    </Form>
  );
}

/** The form's fields as `POST /v1/cases` takes them; fields that cannot be read are errors already. */
function bodyOf(fields: Fields, setting: Setting, t: Messages, errors: Errors): unknown {
  const members = [];
  for (let i = 0; i < MEMBER_ROWS; i++) {
    const name = fields[`member-${i}-name`]?.trim() ?? '';
    const year = fields[`member-${i}-birthYear`]?.trim() ?? '';
    const relation = fields[`member-${i}-relation`]?.trim() ?? '';
    if (!name && !year && !relation) continue;
    if (year && !/^\d{4}$/.test(year)) errors.set(`member-${i}-birthYear`, t.newCase.errors.memberBirthYear);
    members.push({ name, ...(year ? { birthYear: Number(year) } : {}), ...(relation ? { relation } : {}) });
  }
  return {
    reference: fields.reference ?? '',
    ...(setting.programme ? { programmeId: setting.programme.id } : { pathwayId: setting.template.id }),
    parties: Object.fromEntries(setting.template.parties.flatMap((p) => (fields[`party-${p.id}`] ? [[p.id, fields[`party-${p.id}`]]] : []))),
    household: {
      principalName: fields.principalName ?? '',
      members,
      needs: (fields.needs ?? '')
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean),
    },
  };
}

/** Which field an issue of the body is about, and its message. */
function fieldOf(path: readonly PropertyKey[], setting: Setting, t: Messages): [string, string] {
  const e = t.newCase.errors;
  const [top, second, third, fourth] = path.map(String);
  if (top === 'reference') return ['reference', e.reference];
  if (top === 'parties') return [`party-${second && second !== 'undefined' ? second : setting.template.parties[0]!.id}`, e.party];
  if (top === 'household' && second === 'principalName') return ['principalName', e.principalName];
  if (top === 'household' && second === 'members' && third !== undefined) {
    const which = fourth === 'birthYear' ? 'BirthYear' : fourth === 'relation' ? 'Relation' : 'Name';
    return [`member-${third}-${which[0]!.toLowerCase()}${which.slice(1)}`, e[`member${which}`]];
  }
  if (top === 'household' && second === 'needs') return ['needs', e.needs];
  return ['reference', e.reference];
}

export function newCasePages(deps: DoorDeps) {
  const { sql } = deps;
  const app = new Hono<WebEnv>();

  async function showForm(c: WebContext, setting: Setting, fields: Fields, errors: Errors, similar: SimilarCase[], key: string | undefined, status: 200 | 400 | 409 | 503) {
    const t = c.get('t');
    const options = await partyOptions(sql, personOf(c), setting);
    return c.html(
      <Page c={c} title={t.newCase.title} section="new-case">
        <h1>{t.newCase.title}</h1>
        <p>{setting.programme ? t.newCase.inProgramme(setting.programme.name) : t.newCase.onPathway(localTitle(t, setting.template.name))}</p>
        <p>
          <a href={PATH}>{t.newCase.otherChoice}</a>
        </p>
        <ErrorSummary t={t} errors={[...errors].map(([id, message]) => ({ id, message }))} />
        <CaseForm c={c} setting={setting} options={options} fields={fields} errors={errors} similar={similar} key={key} />
      </Page>,
      status,
    );
  }

  app.get(PATH, async (c) => {
    const person = personOf(c);
    const t = c.get('t');
    if (!opensCases(person)) return notAllowed(c);
    const [kind, id] = (c.req.query('choice') ?? '').split(':');
    const programmeId = c.req.query('programmeId') ?? (kind === 'programme' ? id : undefined);
    const pathwayId = c.req.query('pathwayId') ?? (kind === 'pathway' ? id : undefined);
    if (programmeId || pathwayId) {
      const setting = await settingOf(sql, person, { programmeId, pathwayId });
      if (!setting) return NotFound(c);
      return showForm(c, setting, {}, new Map(), [], undefined, 200);
    }
    const choices = await settings(sql, person);
    return c.html(
      <Page c={c} title={t.newCase.title} section="new-case">
        <h1>{t.newCase.title}</h1>
        <p>{t.newCase.intro}</p>
        <ChooseSetting c={c} programmes={choices.programmes} pathways={choices.pathways} />
      </Page>,
    );
  });

  app.post(PATH, async (c) => {
    const person = personOf(c);
    const t = c.get('t');
    const form = await c.req.parseBody();
    const fields: Fields = Object.fromEntries(Object.entries(form).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
    const setting = await settingOf(sql, person, { programmeId: fields.programmeId || undefined, pathwayId: fields.pathwayId || undefined });
    if (!setting) return opensCases(person) ? NotFound(c) : notAllowed(c);
    const key = fields._key && fields._key.length <= 200 ? fields._key : undefined;
    const errors: Errors = new Map();
    const raw = bodyOf(fields, setting, t, errors);
    const parsed = CreateCaseBody.safeParse(raw);
    if (!parsed.success) for (const issue of parsed.error.issues as ZodIssue[]) {
      const [id, message] = fieldOf(issue.path, setting, t);
      if (!errors.has(id)) errors.set(id, message);
    }
    for (const slot of setting.template.parties) if (!matchedSlots(setting.template).includes(slot.id) && !fields[`party-${slot.id}`] && !errors.has(`party-${slot.id}`)) errors.set(`party-${slot.id}`, t.newCase.errors.party);
    if (errors.size > 0 || !parsed.success) return showForm(c, setting, fields, errors, [], key, 400);

    if (fields.confirm !== 'yes') {
      const similar = await similarCases(sql, person, { reference: parsed.data.reference, principalName: parsed.data.household.principalName }, key ? { key } : undefined);
      if (similar.length > 0) return showForm(c, setting, fields, errors, similar, key, 409);
    }
    try {
      const { body } = await createCase(deps, person, parsed.data, key);
      return redirectWith(c, `/cases/${body.id}`, { kind: 'ok', text: t.newCase.opened(body.reference) });
    } catch (error) {
      // Unknown outcome: the form comes back with the key it was sent with, so sending it again opens the case once.
      if ((error instanceof ProblemError && error.status === 503) || isUnavailable(error)) {
        c.header('Retry-After', '5');
        return showForm(c, setting, fields, new Map([['reference', t.errors.outcomeUnknown]]), [], key, 503);
      }
      if (!(error instanceof ProblemError) || (error.status !== 400 && error.status !== 403 && error.status !== 409)) throw error;
      const field = ((error.extensions.errors as { field: string }[] | undefined) ?? [])[0]?.field ?? '';
      const own = `party-${setting.template.parties.find((p) => p.kind === person.organisationKind)?.id ?? setting.template.parties[0]!.id}`;
      if (error.status === 409 && error.title === 'Idempotency-Key reused') return redirectWith(c, '/cases', { kind: 'error', text: t.formSentBefore });
      if (error.status === 400 && field.startsWith('parties.')) errors.set(`party-${field.slice('parties.'.length)}`, t.newCase.errors.party);
      else if (error.status === 400 && field === 'parties') errors.set(`party-${setting.template.parties[0]!.id}`, t.newCase.errors.party);
      // Not named in a role that opens cases (in a programme, answered as if there were no programme).
      else if (error.status === 403 || field === 'programmeId') errors.set(own, t.newCase.errors.notYours);
      else errors.set('reference', t.newCase.errors.programme);
      return showForm(c, setting, fields, errors, [], error.status === 409 ? undefined : key, error.status === 403 ? 400 : (error.status as 400 | 409));
    }
  });

  return app;
}
