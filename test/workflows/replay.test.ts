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
  events: { workflowExecutionStartedEventAttributes?: { workflowType?: { name?: string } } }[];
}
const load = (file: string): HistoryJson => JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'));

describe('replaying recorded histories', () => {
  it('has a recorded history of each workflow type', () => {
    const types = files.map((f) => load(f).events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name);
    expect(new Set(types)).toEqual(new Set(['caseWorkflow', 'programmeWorkflow']));
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
