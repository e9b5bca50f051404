/**
 * One case: a household on a pathway. Stages in order, the gates of a stage in parallel; every
 * action is an update whose validator refuses what is not valid now. The rules live in domain/;
 * this file wires them to Temporal: handlers, durable timers, effects and continue-as-new.
 *
 * Three things run side by side: update handlers change the state at once; the main loop writes
 * each change to PostgreSQL (timeline, projection and the emails to send, in one transaction) and
 * sleeps until the next reminder or deadline; and a pump delivers the case's messages to its
 * programme one at a time, applying each answer as a change.
 */
import { condition, continueAsNew, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { refuseAction, type CaseAction } from '../domain/case-actions.js';
import { applyAction } from '../domain/case-apply.js';
import { hasEffects, mergeEffects, noEffects, Recorder, takeEffects } from '../domain/case-effects.js';
import { advance, newCaseState, programmeNoticeReceived, programmeReplied, startCase } from '../domain/case-lifecycle.js';
import { isFinal, type CaseState } from '../domain/case-model.js';
import { nextWake, tick } from '../domain/case-timers.js';
import { caseView, type CaseView } from '../domain/case-view.js';
import { groupChanged, groupRead, groupsToRead } from '../domain/case-groups.js';
import { projectCase, readGroupRequirements, tellProgramme } from './activities.js';
import { caseStateQuery, wouldRefuseQuery, caseUpdates, groupChangedUpdate, programmeNoticeUpdate, searchAttributes, type CaseWorkflowInput } from './contract.js';
import { rememberUpdate, updateId } from './idempotency.js';
import { refused } from './refusal.js';
import { searchWaitingOn, TURNS_IN_SEARCH_ATTRIBUTES } from './search-waiting-on.js';

/**
 * A run moves on to a new one (continue-as-new) past this many events, so that even a busy
 * two-year case keeps every run well under 2,000 events. Runs begun before the change keep the
 * threshold they started with (4,000), behind `patched`: lowering it under a running case would
 * make it continue where its history did not.
 */
const MAX_HISTORY_EVENTS = 1_500;
const MAX_HISTORY_EVENTS_BEFORE = 4_000;
const CONTINUE_AT_1500_EVENTS = 'continue-as-new-at-1500-events';
/** Well below the server's limit of updates per run (2,000 by default). */
const MAX_UPDATES_PER_RUN = 1_000;

export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseView> {
  const state: CaseState = input.state ?? newCaseState(input.case, Date.now());
  const pending = input.pending ?? noEffects();
  // A continued run writes its state once at its start (with whatever the last run had not).
  let dirty = input.state !== undefined;
  let updatesThisRun = 0;

  /** Runs a change through the rules, then lets the case move on as far as it can. */
  function change(fn: (rec: Recorder) => void, alwaysVersion = true): void {
    const rec = new Recorder(state, state.caseId, Date.now());
    fn(rec);
    advance(state, rec);
    if (alwaysVersion || hasEffects(rec.effects)) {
      state.version += 1;
      dirty = true;
    }
    mergeEffects(pending, rec.effects);
  }

  // Opened before the handlers are set: an update buffered with the start is delivered as soon as
  // its handler is set, and must find the first gates open.
  if (!input.state) change((rec) => startCase(state, rec));

  const seen = (id: string) => state.recentUpdates.includes(id);
  setHandler(caseStateQuery, () => caseView(state, Date.now()));
  setHandler(wouldRefuseQuery, (action) => refuseAction(state, action, Date.now()) ?? null);
  for (const [type, update] of Object.entries(caseUpdates)) {
    const asAction = (args: object) => ({ type, ...args }) as CaseAction;
    setHandler(
      update,
      (args: object) => {
        const id = updateId();
        // Applied before (a client retrying with the same key, perhaps after continue-as-new):
        // answered with the state as it is, and not applied again.
        if (seen(id)) return caseView(state, Date.now());
        updatesThisRun += 1;
        change((rec) => applyAction(state, asAction(args), rec));
        rememberUpdate(state.recentUpdates, id);
        return caseView(state, Date.now());
      },
      {
        validator: (args: object) => {
          if (seen(updateId())) return;
          const refusal = refuseAction(state, asAction(args), Date.now());
          if (refusal) throw refused(refusal);
        },
      },
    );
  }
  // Notices are idempotent by themselves (a pause by its epoch, a place by the offer's id), so
  // they do not take room among the remembered ids of people's actions.
  setHandler(programmeNoticeUpdate, (notice) => {
    const id = updateId();
    updatesThisRun += 1;
    let accepted = false;
    change((rec) => {
      accepted = programmeNoticeReceived(state, id, notice, rec);
    }, false);
    return { accepted };
  });

  // A group's roster changed: idempotent by its version (an older or repeated notice changes nothing).
  setHandler(
    groupChangedUpdate,
    ({ organisationId, rosterVersion }) => {
      updatesThisRun += 1;
      let accepted = false;
      change(() => {
        accepted = groupChanged(state, organisationId, rosterVersion);
      }, false);
      if (accepted) dirty = true;
      return { accepted };
    },
    { validator: ({ rosterVersion }) => {
      if (!Number.isSafeInteger(rosterVersion) || rosterVersion < 1) throw new Error('rosterVersion must be a whole number from 1');
    } },
  );

  /** Reads the groups whose requirements steps check (opened, or told of a change), applying each reading. */
  let reading = false;
  async function readGroups(): Promise<void> {
    reading = true;
    try {
      for (let next = groupsToRead(state)[0]; next; next = groupsToRead(state)[0]) {
        const { gateId, rosterVersion: told, ...requirement } = next;
        const counts = await readGroupRequirements(requirement);
        change((rec) => groupRead(state, gateId, { ...counts, at: rec.now }, rec));
        // PostgreSQL behind what the case was told cannot be: read again at the next notice, not in a loop.
        if (counts.rosterVersion < told) break;
      }
    } finally {
      reading = false;
    }
  }

  /** Delivers the outbox to the programme, oldest first, applying each answer. */
  let pumping = false;
  async function pumpOutbox(): Promise<void> {
    pumping = true;
    try {
      while (state.outbox.length > 0 && state.programmeId) {
        const head = state.outbox[0]!;
        const reply = await tellProgramme({ programmeId: state.programmeId, caseId: state.caseId, id: head.id, message: head.message });
        change((rec) => {
          state.outbox.shift();
          programmeReplied(state, head.message, reply, rec);
        });
      }
    } finally {
      pumping = false;
    }
  }

  /** Writes everything changed so far to PostgreSQL: state, timeline and emails, in one activity. */
  let lastAttributes = '';
  async function project(): Promise<void> {
    dirty = false;
    const effects = takeEffects(pending);
    const view = caseView(state, Date.now());
    await projectCase({ view, events: effects.events, notifications: effects.notifications });
    const attributes = { stage: view.stage?.id ?? view.status, waitingOn: searchWaitingOn(view, namedTurns), stuck: view.stuck };
    if (JSON.stringify(attributes) !== lastAttributes) {
      lastAttributes = JSON.stringify(attributes);
      upsertSearchAttributes([
        { key: searchAttributes.stage, value: attributes.stage },
        { key: searchAttributes.waitingOn, value: attributes.waitingOn },
        { key: searchAttributes.stuck, value: attributes.stuck },
        ...(state.programmeId ? [{ key: searchAttributes.programmeId, value: state.programmeId }] : []),
      ]);
    }
  }

  // Asked before the first command of the run, so every run answers it at the same point.
  const maxHistory = input.maxHistoryEvents ?? (patched(CONTINUE_AT_1500_EVENTS) ? MAX_HISTORY_EVENTS : MAX_HISTORY_EVENTS_BEFORE);
  const namedTurns = patched(TURNS_IN_SEARCH_ATTRIBUTES);
  for (;;) {
    if (dirty) await project();
    if (!pumping && state.outbox.length > 0) void pumpOutbox();
    if (!reading && groupsToRead(state).length > 0) void readGroups();
    if (isFinal(state) && state.outbox.length === 0 && !dirty) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > maxHistory || updatesThisRun >= MAX_UPDATES_PER_RUN) {
      // Checked on every turn, so a case that people keep busy still moves to a new run: handlers
      // are synchronous (none is half-way), what is not yet written goes along in `pending`, and
      // an outbox message in flight is sent again by the next run with the same id.
      return continueAsNew<typeof caseWorkflow>({ ...input, state, pending: takeEffects(pending) });
    }
    if (dirty) continue; // changed while it was being written: write again before sleeping
    const wake = nextWake(state);
    const timeout = wake === undefined ? undefined : Math.max(wake - Date.now(), 1);
    if (timeout === undefined) await condition(() => dirty);
    else await condition(() => dirty, timeout);
    change((rec) => tick(state, rec), false);
    // A wake-up that only moved the next wake (e.g. a reminder past its due date, sent silently)
    // is still projected, so the board never reads a next wake-up that has passed.
    if (!dirty && nextWake(state) !== wake) change(() => {});
  }
  return caseView(state, Date.now());
}
