/**
 * One programme: its MoU, status, quota and pause. People act on it by update; its cases tell it
 * that they opened, closed, or need, give back or use a place, by update too (sent by an
 * activity), and get its answer. It reaches its cases through activities as well: one that tells
 * every open case of a pause or resume, paging through PostgreSQL, and one that offers free places
 * to the waiting list. Its history grows with its own decisions, not with its number of cases.
 */
import { CancellationScope, condition, continueAsNew, isCancellation, setHandler, workflowInfo } from '@temporalio/workflow';
import { hasEffects, mergeEffects, noEffects, Recorder, takeEffects } from '../domain/case-effects.js';
import type { ProgrammeReply } from '../domain/programme-link.js';
import {
  applyProgrammeAction,
  grantablePlaces,
  grantAnswered,
  handleCaseMessage,
  newProgrammeState,
  programmeNextWake,
  programmeTick,
  programmeView,
  refuseProgrammeAction,
  rememberedReply,
  rememberReply,
  startGrant,
} from '../domain/programme.js';
import type { ProgrammeAction, ProgrammeState, ProgrammeView } from '../domain/programme-model.js';
import { grantPlaces, projectProgramme, tellCases } from './activities.js';
import { caseMessageUpdate, programmeStateQuery, programmeUpdates, type ProgrammeWorkflowInput } from './contract.js';
import { rememberUpdate, updateId } from './idempotency.js';
import { refused } from './refusal.js';

const DEFAULT_MAX_HISTORY_EVENTS = 4_000;
/** Well below the server's limit of updates per run (2,000 by default): every case sends a few. */
const MAX_UPDATES_PER_RUN = 1_000;

export async function programmeWorkflow(input: ProgrammeWorkflowInput): Promise<ProgrammeView> {
  const state: ProgrammeState = input.state ?? newProgrammeState(input.programme, Date.now());
  const pending = input.pending ?? noEffects();
  let dirty = true; // a new programme, or a continued run, writes its state first
  let updatesThisRun = 0;

  function change(fn: (rec: Recorder) => void, alwaysVersion = true): void {
    const rec = new Recorder(state, `programme:${state.programmeId}`, Date.now());
    fn(rec);
    if (alwaysVersion || hasEffects(rec.effects)) {
      state.version += 1;
      dirty = true;
    }
    mergeEffects(pending, rec.effects);
  }

  setHandler(programmeStateQuery, () => programmeView(state));
  for (const [type, update] of Object.entries(programmeUpdates)) {
    const asAction = (args: object) => ({ type, ...args }) as ProgrammeAction;
    setHandler(
      update,
      (args: object) => {
        const id = updateId();
        if (state.recentActions.includes(id)) return programmeView(state);
        updatesThisRun += 1;
        change((rec) => applyProgrammeAction(state, asAction(args), rec));
        rememberUpdate(state.recentActions, id);
        return programmeView(state);
      },
      {
        validator: (args: object) => {
          if (state.recentActions.includes(updateId())) return;
          const refusal = refuseProgrammeAction(state, asAction(args));
          if (refusal) throw refused(refusal);
        },
      },
    );
  }
  setHandler(caseMessageUpdate, ({ caseId, message }) => {
    const id = updateId();
    const before = rememberedReply(state, id);
    if (before) return before;
    updatesThisRun += 1;
    let reply: ProgrammeReply | undefined;
    change((rec) => {
      reply = handleCaseMessage(state, caseId, message, rec);
    });
    rememberReply(state, id, reply!);
    return reply!;
  });
  if (!input.state) change((rec) => rec.event('programme_created', 'system', { data: { pathway: state.pathwayId, quota: state.quota } }));

  /** Tells every open case of the newest pause or resume; a newer one cancels an older one in flight. */
  let telling: { epoch: number; scope: CancellationScope } | undefined;
  function tellEveryCase(): void {
    const epoch = state.epoch;
    const paused = state.status === 'paused';
    const scope = new CancellationScope();
    telling = { epoch, scope };
    scope
      .run(() => tellCases({ programmeId: state.programmeId, epoch, paused }))
      .then(
        (told) => change((rec) => {
          state.toldEpoch = Math.max(state.toldEpoch, epoch);
          rec.event(paused ? 'cases_held' : 'cases_resumed', 'system', { data: { epoch, cases: told } });
        }),
        (error: unknown) => {
          if (!isCancellation(error)) throw error;
        },
      )
      .finally(() => {
        if (telling?.epoch === epoch) telling = undefined;
      });
  }

  /** Offers free places to the waiting list; the places count as reserved until the cases answer. */
  let granting = false;
  function offerPlaces(): void {
    const grant = state.grant;
    if (!grant) return;
    granting = true;
    void grantPlaces({ programmeId: state.programmeId, round: grant.round, places: grant.places })
      .then(({ accepted }) => change((rec) => grantAnswered(state, accepted, rec)))
      .finally(() => {
        granting = false;
      });
  }

  const maxHistory = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  for (;;) {
    if (dirty) {
      dirty = false;
      const effects = takeEffects(pending);
      await projectProgramme({ view: programmeView(state), events: effects.events, notifications: effects.notifications, waitlist: effects.waitlist });
    }
    if (state.status === 'closed' && !dirty) break;
    if (state.toldEpoch < state.epoch && telling?.epoch !== state.epoch) {
      telling?.scope.cancel();
      tellEveryCase();
    }
    if (!granting && !state.grant && grantablePlaces(state) > 0) change(() => startGrant(state));
    // Cases join the waiting list in PostgreSQL in order, so the offer reaches the longest waiting.
    if (!granting && state.grant) offerPlaces();
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > maxHistory || updatesThisRun >= MAX_UPDATES_PER_RUN) {
      // Checked on every turn, so a programme its cases keep busy still moves to a new run. What is
      // not yet written goes along in `pending`; a fan-out or grant in flight is taken up again by
      // the next run (both are idempotent).
      return continueAsNew<typeof programmeWorkflow>({ ...input, state, pending: takeEffects(pending) });
    }
    if (dirty) continue;
    const wake = programmeNextWake(state);
    if (wake === undefined) await condition(() => dirty);
    else await condition(() => dirty, Math.max(wake - Date.now(), 1));
    change((rec) => programmeTick(state, rec), false);
  }
  return programmeView(state);
}
