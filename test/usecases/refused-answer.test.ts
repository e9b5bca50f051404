/**
 * A refused action as the use cases answer it: the 409's English `detail` with the refusal's
 * `code` and `params`, counted by code; answers stored before codes replay as they were.
 */
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../infra/temporal-errors.js';
import { refusalsTotal } from '../../infra/metrics.js';
import { refusedBody, storedRefusal } from '../../usecases/refused-answer.js';
import { sendUpdate } from '../../usecases/updates.js';

/** What a client gets when a workflow's validator refuses (workflows/refusal.ts), from this worker or an older one. */
const refusedBy = (message: string, details?: unknown[]) => new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: 'ActionRefused', message, details, nonRetryable: true }));

const NOT_YOURS = 'your organisation does not act at gate "eligibility" now';

describe('reading a refusal from Temporal (refusalOf)', () => {
  it('takes the refusal from the failure details, and its words from the message', () => {
    expect(refusalOf(refusedBy(NOT_YOURS, [{ code: 'not-your-turn', gateId: 'eligibility' }]))).toEqual({ refusal: { code: 'not-your-turn', gateId: 'eligibility' }, text: NOT_YOURS });
  });

  it('keeps only the words from a worker older than refusal codes, or details it does not know', () => {
    expect(refusalOf(refusedBy(NOT_YOURS))).toEqual({ text: NOT_YOURS });
    expect(refusalOf(refusedBy(NOT_YOURS, [{ code: 'a-code-from-the-future' }]))).toEqual({ text: NOT_YOURS });
    expect(refusalOf(new WorkflowUpdateFailedError('failed', ApplicationFailure.create({ type: 'SomethingElse', message: 'x' })))).toBeUndefined();
  });
});

describe('the 409 of a refused action', () => {
  it('carries the English detail, the code and the params', () => {
    expect(refusedBody({ refusal: { code: 'not-your-turn', gateId: 'eligibility' }, text: NOT_YOURS })).toEqual({ title: 'Action refused', detail: NOT_YOURS, code: 'not-your-turn', params: { gateId: 'eligibility' } });
    expect(refusedBody({ text: 'words only' })).toEqual({ title: 'Action refused', detail: 'words only', code: 'unknown', params: {} });
    // Said by the use case itself when the workflow has closed, in the words it always used.
    expect(refusedBody({ code: 'case-closed' })).toEqual({ title: 'Action refused', detail: 'this case is closed; no further actions are possible', code: 'case-closed', params: {} });
    expect(refusedBody({ code: 'programme-closed' })).toMatchObject({ detail: 'the programme is closed', code: 'programme-closed' });
  });

  it('replays a stored answer as it was stored: with code and params, or, stored before codes, without', () => {
    const now = storedRefusal({ status: 409, body: { title: 'Action refused', detail: NOT_YOURS, code: 'not-your-turn', params: { gateId: 'eligibility' } } });
    expect(now).toMatchObject({ status: 409, title: 'Action refused', detail: NOT_YOURS, extensions: { code: 'not-your-turn', params: { gateId: 'eligibility' } } });
    const before = storedRefusal({ status: 409, body: { title: 'Action refused', detail: NOT_YOURS } });
    expect(before).toMatchObject({ status: 409, title: 'Action refused', detail: NOT_YOURS, extensions: {} });
  });
});

describe('counting refusals', () => {
  const client = { withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn() } as unknown as Client;
  const refusingHandle = (error: Error) => ({ executeUpdate: () => Promise.reject(error) }) as unknown as WorkflowHandle;
  const count = async (code: string) => (await refusalsTotal.get()).values.find((v) => v.labels.code === code)?.value ?? 0;

  it('counts by code, never by what the caller sent; words without a code as unknown', async () => {
    const [yours, unknown] = [await count('not-your-turn'), await count('unknown')];
    const outcome = await sendUpdate(client, refusingHandle(refusedBy(NOT_YOURS, [{ code: 'not-your-turn', gateId: 'eligibility' }])), { name: 'decide' }, {}, 'u1');
    expect(outcome).toEqual({ kind: 'refused', refusal: { code: 'not-your-turn', gateId: 'eligibility' }, text: NOT_YOURS });
    await sendUpdate(client, refusingHandle(refusedBy(NOT_YOURS)), { name: 'decide' }, {}, 'u2');
    expect(await count('not-your-turn')).toBe(yours + 1);
    expect(await count('unknown')).toBe(unknown + 1);
    expect((await refusalsTotal.get()).values.map((v) => v.labels.code)).not.toContain(NOT_YOURS);
  });
});
