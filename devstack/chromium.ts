/**
 * The browser the page tests drive: Debian's Chromium, installed with apt when it is missing.
 * CHROMIUM_PATH points at another build. Only the browser tests need it.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless run as root in a container, with no traffic but to the page under test. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function aptInstall(): void {
  const asRoot = process.getuid?.() === 0;
  const apt = (args: string[]) =>
    spawnSync(asRoot ? 'apt-get' : 'sudo', [...(asRoot ? [] : ['-n', 'apt-get']), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      encoding: 'utf8',
    });
  console.log('[saferoutes] installing chromium with apt-get for the browser tests…');
  let result = apt(['install', '-y', '--no-install-recommends', 'chromium']);
  // A fresh machine may have no package lists yet.
  if (result.status !== 0) {
    apt(['update']);
    result = apt(['install', '-y', '--no-install-recommends', 'chromium']);
  }
  if (result.status !== 0) {
    throw new Error(
      `Could not install chromium with apt-get (exit ${result.status}): ${(result.stderr ?? result.error?.message ?? '').trim().slice(-500)}\n` +
        'Install it yourself (apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
}

/** The path of a Chromium to launch, installing Debian's package when there is none. */
export function ensureChromium(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!executable(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file`);
    return configured;
  }
  if (!executable(DEBIAN_CHROMIUM)) aptInstall();
  if (!executable(DEBIAN_CHROMIUM)) throw new Error(`apt-get installed chromium, but ${DEBIAN_CHROMIUM} is still missing`);
  return DEBIAN_CHROMIUM;
}
