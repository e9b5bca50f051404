/**
 * One programme: its MoU (the shared agreement rules), status, quota and pause. Cases talk to it
 * by signal; people act on it by update.
 */
import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { hasEffects, mergeEffects, noEffects, Recorder, takeEffects } from '../domain/case-effects.js';
import { applyProgrammeAction, handleCaseEvent, newProgrammeState, programmeNextWake, programmeTick, programmeView, refuseProgrammeAction } from '../domain/programme.js';
import type { ProgrammeAction, ProgrammeState, ProgrammeView } from '../domain/programme-model.js';
import { projectProgramme } from './activities.js';
import { caseEventSignal, programmeStateQuery, programmeUpdates, type ProgrammeWorkflowInput } from './contract.js';
import { deliver } from './deliver.js';

const DEFAULT_MAX_HISTORY_EVENTS = 4_000;

export async function programmeWorkflow(input: ProgrammeWorkflowInput): Promise<ProgrammeView> {
  const state: ProgrammeState = input.state ?? newProgrammeState(input.programme, Date.now());
  const pending = noEffects();
  let dirty = !input.state;

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
        change((rec) => applyProgrammeAction(state, asAction(args), rec));
        return programmeView(state);
      },
      {
        validator: (args: object) => {
          const reason = refuseProgrammeAction(state, asAction(args));
          if (reason) throw ApplicationFailure.create({ type: 'ActionRefused', message: reason, nonRetryable: true });
        },
      },
    );
  }
  setHandler(caseEventSignal, ({ caseId, event }) => change((rec) => handleCaseEvent(state, caseId, event, rec)));
  if (!input.state) change((rec) => rec.event('programme_created', 'system', { data: { pathway: state.pathwayId, quota: state.quota } }));

  const maxHistory = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  for (;;) {
    while (dirty) {
      dirty = false;
      const effects = takeEffects(pending);
      await projectProgramme({ view: programmeView(state), events: effects.events });
      await deliver(effects, { kind: 'programme', id: state.programmeId, reference: state.name });
    }
    if (state.status === 'closed') break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > maxHistory) {
      await condition(allHandlersFinished);
      if (!dirty) return continueAsNew<typeof programmeWorkflow>({ ...input, state });
      continue;
    }
    const wake = programmeNextWake(state);
    if (wake === undefined) await condition(() => dirty);
    else await condition(() => dirty, Math.max(wake - Date.now(), 1));
    change((rec) => programmeTick(state, rec), false);
  }
  await condition(allHandlersFinished);
  return programmeView(state);
}
