// Determinism: recorded histories of every workflow type replay against the current workflow code.
// A change that would break running cases (a reordered activity, a new timer without patched())
// fails here. Re-record with RECORD_HISTORIES=1 only for a deliberate, versioned change.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { HISTORIES_DIR } from '../support/histories.js';
import { testDataConverter } from '../support/stack.js';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort();

interface HistoryJson {
  events: {
    eventType?: string;
    workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } };
    workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest?: { input?: { name?: string } } };
  }[];
}
const load = (file: string): HistoryJson => JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'));

describe('replaying recorded histories', () => {
  it('has a recorded history of each workflow type', () => {
    const types = files.map((f) => load(f).events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name);
    expect(new Set(types)).toEqual(new Set(['caseWorkflow', 'programmeWorkflow', 'bulkActionWorkflow', 'departureBatchWorkflow', 'rosterDeliveryWorkflow']));
  });

  it('covers what a running case meets: every pathway, an offer lapse, a declined housing request (before and after turns were named), check-ins, a divert, a waitlist grant, a pause, continue-as-new, an outcome that expired, a match whose shortlist lapsed', () => {
    for (const name of ['case-community-sponsorship', 'case-humanitarian-corridor', 'case-education-pathway', 'case-resettlement', 'case-offer-lapsed', 'case-housing-declined-turn', 'case-checkins-12-months', 'case-diverted', 'case-waitlist-granted', 'case-in-paused-programme', 'case-continued-as-new-first-run', 'case-continued-as-new-next-run', 'programme-quota-waitlist-grant', 'case-outcome-expired', 'case-matched-sponsorship', 'case-match-lapsed', 'case-group-check-reopened']) {
      expect(files).toContain(`${name}.json`);
    }
    const updates = (file: string) => load(file).events.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name).filter(Boolean);
    expect(load('case-continued-as-new-first-run.json').events.at(-1)?.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
    expect(updates('case-waitlist-granted.json')).toContain('programmeNotice');
    expect(updates('case-checkins-12-months.json').filter((n) => n === 'submitCheckin')).toHaveLength(4);
    expect(updates('programme-quota-waitlist-grant.json')).toContain('caseMessage');
    // A match proposed to a shortlist whose every proposal lapsed (timers only, after the one update).
    expect(updates('case-match-lapsed.json').filter((n) => n === 'proposeMatch')).toHaveLength(1);
    // A bulk action to its end, and a run that paused between passes and continued as new.
    const bulk = load('bulk-action-pause-and-continue.json').events.map((e) => e.eventType);
    expect(bulk).toContain('EVENT_TYPE_TIMER_STARTED');
    expect(bulk.at(-1)).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
    expect(load('bulk-action-nudge.json').events.at(-1)?.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  });

  for (const file of files) {
    it(`replays ${file}`, async () => {
      // The CLI's JSON export, as Worker.runReplayHistory reads it.
      const history = load(file);
      expect(history.events.length).toBeGreaterThan(10);
      await expect(
        Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: testDataConverter(), replayName: file }, history),
      ).resolves.toBeUndefined();
    });
  }
});
