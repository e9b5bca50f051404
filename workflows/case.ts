/**
 * One case: a household on a pathway. Stages in order, the gates of a stage in parallel; every
 * action is an update whose validator refuses what is not valid now. The rules live in domain/;
 * this file wires them to Temporal: handlers, durable timers, effects and continue-as-new.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { refuseAction, type CaseAction } from '../domain/case-actions.js';
import { applyAction } from '../domain/case-apply.js';
import { hasEffects, mergeEffects, noEffects, Recorder, takeEffects } from '../domain/case-effects.js';
import { advance, grantPlace, newCaseState, programmePaused, programmeResumed, startCase } from '../domain/case-lifecycle.js';
import { isFinal, type CaseState } from '../domain/case-model.js';
import { nextWake, tick } from '../domain/case-timers.js';
import { caseView, type CaseView } from '../domain/case-view.js';
import { projectCase } from './activities.js';
import {
  caseEventSignal,
  caseStateQuery,
  caseUpdates,
  placeGrantedSignal,
  programmePausedSignal,
  programmeResumedSignal,
  programmeWorkflowId,
  searchAttributes,
  type CaseWorkflowInput,
} from './contract.js';
import { deliver, signalIfRunning } from './deliver.js';

const DEFAULT_MAX_HISTORY_EVENTS = 4_000;

export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseView> {
  const state: CaseState = input.state ?? newCaseState(input.case, Date.now());
  const pending = noEffects();
  let dirty = false;

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

  setHandler(caseStateQuery, () => caseView(state, Date.now()));
  for (const [type, update] of Object.entries(caseUpdates)) {
    const asAction = (args: object) => ({ type, ...args }) as CaseAction;
    setHandler(
      update,
      (args: object) => {
        change((rec) => applyAction(state, asAction(args), rec));
        return caseView(state, Date.now());
      },
      {
        validator: (args: object) => {
          const reason = refuseAction(state, asAction(args), Date.now());
          if (reason) throw ApplicationFailure.create({ type: 'ActionRefused', message: reason, nonRetryable: true });
        },
      },
    );
  }
  setHandler(placeGrantedSignal, () => change((rec) => grantPlace(state, rec)));
  setHandler(programmePausedSignal, () => change((rec) => programmePaused(state, rec), false));
  setHandler(programmeResumedSignal, () => change((rec) => programmeResumed(state, rec), false));

  // The programme learns of the case before the case's first request reaches it (in flush).
  if (!input.state && state.programmeId) await signalProgramme('opened');

  let lastAttributes = '';
  async function flush(): Promise<void> {
    while (dirty) {
      dirty = false;
      const effects = takeEffects(pending);
      const view = caseView(state, Date.now());
      await projectCase({ view, events: effects.events });
      await deliver(effects, { kind: 'case', id: state.caseId, reference: state.reference }, state.programmeId);
      const attributes = { stage: view.stage?.id ?? view.status, waitingOn: view.waitingOn, stuck: view.stuck };
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
  }

  async function signalProgramme(event: 'opened' | 'closed'): Promise<void> {
    await signalIfRunning(programmeWorkflowId(state.programmeId!), caseEventSignal, { caseId: state.caseId, event });
  }

  const maxHistory = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  for (;;) {
    await flush();
    if (isFinal(state)) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > maxHistory) {
      await condition(allHandlersFinished);
      // An update that arrived meanwhile is flushed first; its state goes with the new run.
      if (!dirty) return continueAsNew<typeof caseWorkflow>({ ...input, state });
      continue;
    }
    const wake = nextWake(state);
    const timeout = wake === undefined ? undefined : Math.max(wake - Date.now(), 1);
    if (timeout === undefined) await condition(() => dirty);
    else await condition(() => dirty, timeout);
    change((rec) => tick(state, rec), false);
  }
  if (state.programmeId) await signalProgramme('closed');
  await condition(allHandlersFinished);
  return caseView(state, Date.now());
}
