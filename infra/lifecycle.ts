/**
 * Runs a process's parts until SIGINT/SIGTERM/SIGHUP, then stops them. Repeated signals are expected
 * (Ctrl-C reaches the whole process group, and wrappers forward it too) and do not cut the
 * shutdown short; only if stopping takes longer than STOP_TIMEOUT_MS does the process exit anyway.
 */
import { ConfigError } from './config.js';
import { log as processLog } from './logger.js';

const STOP_TIMEOUT_MS = 30_000;

export interface Stoppable {
  stop(): Promise<void>;
  /** Settles if the part ends on its own (e.g. the worker fails); the process then stops too. */
  done?: Promise<void>;
  /** Stop when the process that started this one goes away (test harnesses that kill -9 it). */
  exitWithParent?: boolean;
}

export async function runUntilSignal(name: string, start: () => Promise<Stoppable>): Promise<void> {
  const log = processLog.child({ component: name });
  // A promise nobody awaited that fails (a dropped connection, say) is logged, not fatal: the
  // process serves on and every part retries what it needs.
  process.on('unhandledRejection', (reason) => {
    const e = reason as { name?: string; code?: string };
    log.error({ type: e?.name ?? typeof reason, code: e?.code }, 'unhandled rejection');
  });
  let running: Stoppable;
  try {
    running = await start();
  } catch (error) {
    // A configuration error is a message for a person, said as it is (it names variables, not values of people).
    if (error instanceof ConfigError) console.error(error.message);
    // Nothing of a person's is known yet at start-up: the whole first line is said, however long.
    else log.fatal({ type: (error as Error)?.name }, `failed to start: ${String((error as Error)?.message ?? error).split('\n')[0]}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'stopping…');
    setTimeout(() => {
      log.error(`still stopping after ${STOP_TIMEOUT_MS / 1000} s: exiting anyway`);
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    await running.stop().catch((e: unknown) => log.error({ err: e }, 'error while stopping'));
    process.exit(code);
  };
  if (running.exitWithParent) {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) void stop('its parent process ended', 0);
    }, 500).unref();
  }
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGHUP', () => void stop('SIGHUP', 0));
  running.done?.then(
    () => void stop('a part ended', 1),
    (e: unknown) => void stop(`a part failed: ${String(e)}`, 1),
  );
}
