/**
 * Pathway templates as data: which stages a case goes through, which gates each stage has (the
 * gates of one stage run in parallel), who acts at each gate and its time policy. A new pathway is
 * a new template — no workflow code. Validated with zod when a programme is created.
 */
import { z } from 'zod';
import { DURATION_HINT, DURATION_PATTERN, durationMs } from './duration.js';
import { OrganisationKind } from './organisation.js';

const Slug = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'expected a lowercase slug like "municipal-consent"');
const Duration = z.string().regex(DURATION_PATTERN, DURATION_HINT);

/** A role an organisation plays in a case, e.g. `municipality` or `immigration` (a national agency). */
export const PartySlot = z.object({ id: Slug, kind: OrganisationKind, title: z.string().min(1) });

/**
 * When the acting party is reminded and when coordinators are told: due `dueIn` after the gate
 * opens, reminders at `remindAt` after it opens, escalation at the due date and every
 * `escalateEvery` after it until someone acts or the deadline is extended.
 */
export const TimePolicy = z
  .object({ dueIn: Duration, remindAt: z.array(Duration).max(10).default([]), escalateEvery: Duration })
  .refine(
    // Only compares durations that parsed; a malformed one is reported by its own regex check.
    (p) => ![p.dueIn, ...p.remindAt].every((d) => DURATION_PATTERN.test(d)) || p.remindAt.every((r) => durationMs(r) < durationMs(p.dueIn)),
    'every reminder must come before the due date',
  );

const gateBase = { id: Slug, title: z.string().min(1).max(120), time: TimePolicy };
/** What the acting party does at a decision or task, as an instruction ("Confirm the arrival"); the step's title names it otherwise. */
const Todo = z.string().min(1).max(120).optional();

/**
 * An outcome the case relies on for a while: a consent valid six months, a background check twelve.
 * When it expires before the case has completed the stage `neededUntil` (by default the arrival
 * stage; the end of the case when there is none), the step opens again and the case waits on it.
 */
const validity = {
  validFor: Duration.optional(),
  /** The stage whose completion ends the need for this step's outcome. */
  neededUntil: Slug.optional(),
};

export const DecisionGate = z.object({
  ...gateBase,
  kind: z.literal('decision'),
  actor: Slug,
  todo: Todo,
  /** Rejection ends the case, or diverts it to another stage (e.g. a different pathway step). */
  onReject: z.discriminatedUnion('action', [z.object({ action: z.literal('end') }), z.object({ action: z.literal('divert'), toStage: Slug })]).default({ action: 'end' }),
  ...validity,
});

/** The moments of a departure batch (travel and arrival) that complete a task for every case in the batch. */
export const BatchEvent = z.enum(['departure', 'arrival']);
export type BatchEvent = z.infer<typeof BatchEvent>;

export const TaskGate = z.object({
  ...gateBase,
  kind: z.literal('task'),
  actor: Slug,
  todo: Todo,
  /** Done once for a departure batch: the batch's departure (or arrival) completes it for each of its cases. */
  doneInBatch: BatchEvent.optional(),
  ...validity,
});

/**
 * A match offer: the coordinator proposes the case to candidates in turn (sponsor groups,
 * university seats, host municipalities) from a shortlist; each has `answerWithin` to accept or
 * decline with a reason. A decline or a lapse goes to the next candidate, an empty shortlist back
 * to the coordinator; the accepted candidate fills the party slot `fills` for the rest of the case.
 */
export const MatchGate = z.object({
  ...gateBase,
  kind: z.literal('match'),
  /** Who proposes: the coordinator's slot. */
  actor: Slug,
  /** The party slot the accepted candidate fills; left empty when the case is opened. */
  fills: Slug,
  answerWithin: Duration,
  /** How long before a proposal lapses the candidate is reminded. */
  answerReminderBefore: Duration,
});

/** A check a member of a group completes (e.g. "good-conduct": a certificate of good conduct; "training"). */
export const MemberCheck = Slug;

/**
 * Requirements on the group filling `group` (a sponsor group): every member has completed the
 * checks `everyMember`, and at least one member each of `someMember`. Met or not is read from the
 * group's members as PostgreSQL holds them; when the membership changes while the case still
 * needs it (until `neededUntil`, by default the arrival), the step is checked again and opens
 * again when no longer met.
 */
export const GroupCheckGate = z.object({
  ...gateBase,
  kind: z.literal('group-check'),
  group: Slug,
  everyMember: z.array(MemberCheck).max(5).default([]),
  someMember: z.array(MemberCheck).max(5).default([]),
  neededUntil: Slug.optional(),
});

export const HousingGate = z.object({
  ...gateBase,
  kind: z.literal('housing'),
  /** The municipality that offers housing. */
  actor: Slug,
  /** Who accepts or declines an offer: the sponsor group (or, in resettlement, the reception agency). */
  respondent: Slug,
  /** How long before an offer lapses the respondent is reminded. */
  offerReminderBefore: Duration,
  /** Coordinators are told when the respondent has declined this many offers. */
  escalateAfterDeclines: z.number().int().min(1).max(10).default(2),
});

export const AgreementGate = z.object({ ...gateBase, kind: z.literal('agreement'), signatories: z.array(Slug).min(1) });

export const CheckinsGate = z.object({
  ...gateBase,
  kind: z.literal('checkins'),
  actor: Slug,
  /** When each report is due, counted from the gate's opening (arrival). */
  reportsAt: z.array(Duration).min(1).max(60),
  /** The support period; the gate closes when it ends and every report is in. */
  supportPeriod: Duration,
});

export const Gate = z.discriminatedUnion('kind', [DecisionGate, TaskGate, HousingGate, AgreementGate, CheckinsGate, MatchGate, GroupCheckGate]);

export const Stage = z.object({
  id: Slug,
  title: z.string().min(1).max(120),
  gates: z.array(Gate).min(1).max(10),
  /** Entering this stage reserves a place in the programme's quota (waitlisted when full). */
  reservesPlace: z.boolean().default(false),
  /** Reaching the end of this stage means the household arrived: the place counts as used. */
  arrival: z.boolean().default(false),
});

export const PathwayTemplate = z
  .object({
    id: Slug,
    name: z.string().min(1).max(120),
    version: z.number().int().min(1),
    parties: z.array(PartySlot).min(1),
    stages: z.array(Stage).min(1).max(30),
  })
  .superRefine((t, ctx) => {
    const slots = new Set(t.parties.map((p) => p.id));
    const stageIds = new Set(t.stages.map((s) => s.id));
    const issue = (message: string, path: (string | number)[]) => ctx.addIssue({ code: 'custom', message, path });
    if (slots.size !== t.parties.length) issue('party ids must be unique', ['parties']);
    if (stageIds.size !== t.stages.length) issue('stage ids must be unique', ['stages']);
    if (!t.parties.some((p) => p.kind === 'coordinator')) issue('a pathway needs a coordinator party', ['parties']);
    const gateIds = new Set<string>();
    t.stages.forEach((stage, si) =>
      stage.gates.forEach((gate, gi) => {
        const at = ['stages', si, 'gates', gi];
        if (gateIds.has(gate.id)) issue(`gate id "${gate.id}" is used twice`, [...at, 'id']);
        gateIds.add(gate.id);
        for (const a of slotsUsed(gate)) if (!slots.has(a)) issue(`"${a}" is not one of the pathway's parties`, at);
        if (gate.kind === 'decision' && gate.onReject.action === 'divert' && !stageIds.has(gate.onReject.toStage)) {
          issue(`onReject diverts to unknown stage "${gate.onReject.toStage}"`, [...at, 'onReject']);
        }
        if ('neededUntil' in gate && gate.neededUntil !== undefined) {
          const until = t.stages.findIndex((x) => x.id === gate.neededUntil);
          if (until < si) issue(`neededUntil "${gate.neededUntil}" is not this step's stage or a later one`, [...at, 'neededUntil']);
        }
        if (gate.kind === 'match') {
          const kind = t.parties.find((p) => p.id === gate.fills)?.kind;
          if (kind === 'coordinator') issue('a match fills a party other than the coordinator', [...at, 'fills']);
          if (t.parties.find((p) => p.id === gate.actor)?.kind !== 'coordinator') issue("a match is proposed by the coordinator's party", [...at, 'actor']);
          // The slot is empty until the match is accepted: nobody may act in it before.
          t.stages.forEach((other, oi) => {
            if (oi <= si && other.gates.some((g) => g !== gate && slotsUsed(g).includes(gate.fills))) issue(`"${gate.fills}" acts at a step before it is matched`, [...at, 'fills']);
          });
        }
        if (gate.kind === 'group-check' && t.parties.find((p) => p.id === gate.group)?.kind !== 'sponsor_group') issue('group requirements apply to a sponsor group party', [...at, 'group']);
        if (gate.kind === 'group-check' && gate.everyMember.length + gate.someMember.length === 0) issue('name at least one check', at);
      }),
    );
  });

/** The party slots that act or answer at a step. */
export function slotsUsed(gate: z.infer<typeof Gate>): string[] {
  switch (gate.kind) {
    case 'agreement':
      return gate.signatories;
    case 'housing':
      return [gate.actor, gate.respondent];
    case 'group-check':
      return [gate.group];
    case 'match':
      return [gate.actor];
    default:
      return [gate.actor];
  }
}

/** The steps of a template (as stored, so checked here) that a departure batch completes at `event`: its travel, or its arrival. */
export function stepsDoneInBatch(template: unknown, event: BatchEvent): string[] {
  const parsed = PathwayTemplate.safeParse(template);
  if (!parsed.success) return [];
  return parsed.data.stages.flatMap((s) => s.gates.filter((g) => g.kind === 'task' && g.doneInBatch === event).map((g) => g.id));
}

/** The party slots filled by a match during the case, not when it is opened. */
export const matchedSlots = (t: { stages: { gates: z.infer<typeof Gate>[] }[] }): string[] => t.stages.flatMap((st) => st.gates.flatMap((g) => (g.kind === 'match' ? [g.fills] : [])));

export type PathwayTemplate = z.infer<typeof PathwayTemplate>;
export type PathwayTemplateInput = z.input<typeof PathwayTemplate>;
export type Stage = z.infer<typeof Stage>;
export type GateTemplate = z.infer<typeof Gate>;
export type GateKind = GateTemplate['kind'];
/** Every kind of gate, in the order the union declares them (for filters and facets). */
export const GATE_KINDS = Gate.options.map((g) => g.shape.kind.value) as [GateKind, ...GateKind[]];
export type TimePolicy = z.infer<typeof TimePolicy>;
