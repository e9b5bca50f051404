// Root in a private home folder: embedded PostgreSQL (run as the `postgres` user) could not reach
// it and failed deep in initdb; now start-up stops at once with one sentence saying what to do.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refuseUnreachableFolders } from '../../devstack/embedded-postgres.js';

describe('embedded PostgreSQL started by root', () => {
  const base = mkdtempSync(join(tmpdir(), 'saferoutes-home-'));
  chmodSync(base, 0o755);
  const privateHome = join(base, 'root-home');
  mkdirSync(join(privateHome, 'saferoutes'), { recursive: true });
  chmodSync(privateHome, 0o700);
  const open = join(base, 'srv', 'saferoutes');
  mkdirSync(open, { recursive: true });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('stops at once, naming the folder and what to do, when the postgres user cannot enter it', () => {
    expect(() => refuseUnreachableFolders([join(privateHome, 'saferoutes', '.data', 'pg')], 0)).toThrowError(
      new RegExp(`cannot enter ${privateHome} \\(mode 700\\)\\. Run as a user other than root, or put the project in a folder others may enter .*, or set DATABASE_URL`),
    );
  });

  it('goes ahead where every folder can be entered, and for any user but root', () => {
    expect(() => refuseUnreachableFolders([join(open, '.data', 'pg')], 0)).not.toThrow();
    expect(() => refuseUnreachableFolders([join(privateHome, 'saferoutes')], 1000)).not.toThrow();
  });
});
