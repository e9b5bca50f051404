import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

/** Sets the Temporal runtime's log level; must run before any worker or native connection exists. */
export function installWorkerRuntime(level: 'debug' | 'info' | 'warn' | 'error'): void {
  Runtime.install({ logger: new DefaultLogger(level.toUpperCase() as LogLevel) });
}
