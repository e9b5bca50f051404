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

export const DecisionGate = z.object({
  ...gateBase,
  kind: z.literal('decision'),
  actor: Slug,
  todo: Todo,
  /** Rejection ends the case, or diverts it to another stage (e.g. a different pathway step). */
  onReject: z.discriminatedUnion('action', [z.object({ action: z.literal('end') }), z.object({ action: z.literal('divert'), toStage: Slug })]).default({ action: 'end' }),
});

export const TaskGate = z.object({ ...gateBase, kind: z.literal('task'), actor: Slug, todo: Todo });

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

export const Gate = z.discriminatedUnion('kind', [DecisionGate, TaskGate, HousingGate, AgreementGate, CheckinsGate]);

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
        const actors = gate.kind === 'agreement' ? gate.signatories : gate.kind === 'housing' ? [gate.actor, gate.respondent] : [gate.actor];
        for (const a of actors) if (!slots.has(a)) issue(`"${a}" is not one of the pathway's parties`, at);
        if (gate.kind === 'decision' && gate.onReject.action === 'divert' && !stageIds.has(gate.onReject.toStage)) {
          issue(`onReject diverts to unknown stage "${gate.onReject.toStage}"`, [...at, 'onReject']);
        }
      }),
    );
  });

export type PathwayTemplate = z.infer<typeof PathwayTemplate>;
export type PathwayTemplateInput = z.input<typeof PathwayTemplate>;
export type Stage = z.infer<typeof Stage>;
export type GateTemplate = z.infer<typeof Gate>;
export type GateKind = GateTemplate['kind'];
/** Every kind of gate, in the order the union declares them (for filters and facets). */
export const GATE_KINDS = Gate.options.map((g) => g.shape.kind.value) as [GateKind, ...GateKind[]];
export type TimePolicy = z.infer<typeof TimePolicy>;
