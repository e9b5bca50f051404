// The PostgreSQL client as installed: patched so that a write scheduled just before a connection
// closed does not throw from a timer and end the process (seen under load when PostgreSQL stopped),
// and tuned so that requests fail fast while PostgreSQL is away (test/fault/outages.test.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectDb } from '../../infra/db.js';
import { freePort } from '../support/ports.js';

const root = join(createRequire(import.meta.url).resolve('postgres'), '..', '..', '..');

describe('the PostgreSQL client', () => {
  it('carries the guard against writing to a closed connection, in both its module forms (patches/)', () => {
    for (const file of ['src/connection.js', 'cjs/src/connection.js']) {
      const code = readFileSync(join(root, file), 'utf8');
      const nextWrite = code.slice(code.indexOf('function nextWrite('), code.indexOf('function connectTimedOut'));
      expect(nextWrite, file).toMatch(/if \(!socket\) \{[\s\S]*return false/);
    }
  });

  it('fails fast, again and again, while nothing listens', async () => {
    const sql = connectDb(`postgres://nobody:x@127.0.0.1:${await freePort()}/none`);
    try {
      const times: number[] = [];
      for (let i = 0; i < 8; i++) {
        const started = Date.now();
        await expect(sql`SELECT 1`).rejects.toMatchObject({ code: 'ECONNREFUSED' });
        times.push(Date.now() - started);
      }
      // Without the short back-off, the client waits longer after each failure (up to 20 s).
      expect(Math.max(...times)).toBeLessThan(1_500);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
