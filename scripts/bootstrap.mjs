// Dependency-free entry point for `npm start` and `npm test` on a fresh clone:
// installs node_modules when package-lock.json changed since the last install, then hands over.
// Usage: node scripts/bootstrap.mjs <script.ts> [args…]   |   node scripts/bootstrap.mjs --test|--unit [vitest args…]
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'node_modules', '.saferoutes-install-stamp');

function lockHash() {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) h.update(readFileSync(join(root, f)));
  return h.digest('hex');
}

function ensureInstalled() {
  const want = lockHash();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want) return;
  console.log('[saferoutes] installing dependencies (npm ci)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('[saferoutes] npm ci failed; fix the error above and run the command again.');
    process.exit(r.status ?? 1);
  }
  writeFileSync(stampFile, want);
}

ensureInstalled();

const [first, ...rest] = process.argv.slice(2);
const bin = (name) => join(root, 'node_modules', '.bin', name);

// `--test`: the static checks first (fast, and a type error explains more than a failed test),
// then every vitest suite against the real servers its global setup starts. `--unit`: only the
// tests that need no server (vitest.config.ts names them), in seconds.
const steps =
  first === '--test'
    ? [
        [bin('tsc'), ['--noEmit']],
        [bin('eslint'), ['.']],
        [bin('vitest'), ['run', ...rest]],
      ]
    : first === '--unit'
      ? [[bin('vitest'), ['run', '--project', 'unit', ...rest]]]
      : // TypeScript runs through tsx's loader in this same node, so no extra process sits in between.
        [[process.execPath, ['--import', 'tsx', first, ...rest]]];

let child;
// Forward termination to the child, so Ctrl-C or SIGTERM stops everything.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child?.kill(signal));
}
// npm does not pass SIGTERM on to its script's children: when our parent goes away, stop too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child?.kill('SIGTERM');
}, 500).unref();

for (const [command, args] of steps) {
  const code = await new Promise((resolve) => {
    child = spawn(command, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
  if (code !== 0) process.exit(code);
}
process.exit(0);
