// `npm run seed` and `npm run token` reach the stack `npm start` runs from this checkout, or say what to do.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordRunningStack, runningStack, stackToUse } from '../../devstack/running-stack.js';
import { loadEnv } from '../../infra/config.js';

describe('the running stack record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'saferoutes-stack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stack = { apiUrl: 'http://127.0.0.1:3999', databaseUrl: 'postgres://saferoutes:saferoutes@127.0.0.1:54400/saferoutes' };

  it('is found while its process lives, readable by its user only, and gone once removed', () => {
    const forget = recordRunningStack(dir, stack);
    expect(runningStack(dir)).toEqual({ ...stack, pid: process.pid });
    expect(statSync(join(dir, 'running-stack.json')).mode & 0o077).toBe(0);
    // Only PORT set, as in `PORT=3999 npm run seed`: the record wins over the default ports.
    expect(stackToUse(loadEnv({ PORT: '3999' }), dir)).toMatchObject(stack);
    forget();
    expect(runningStack(dir)).toBeUndefined();
  });

  it('is ignored when its process is gone (a stack killed without stopping)', () => {
    writeFileSync(join(dir, 'running-stack.json'), JSON.stringify({ ...stack, pid: 2 ** 22 + 12345 }));
    expect(runningStack(dir)).toBeUndefined();
  });

  it('says what to do when no stack runs and DATABASE_URL is not set, and takes DATABASE_URL when it is', () => {
    rmSync(join(dir, 'running-stack.json'), { force: true });
    expect(() => stackToUse(loadEnv({}), dir)).toThrow(/No SafeRoutes is running from this folder .* start it with `npm start` .* or set DATABASE_URL/);
    expect(stackToUse(loadEnv({ DATABASE_URL: 'postgres://me@db:5432/sr', PORT: '4000' }), dir)).toEqual({ databaseUrl: 'postgres://me@db:5432/sr', apiUrl: 'http://localhost:4000' });
  });
});
