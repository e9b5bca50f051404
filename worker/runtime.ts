/**
 * The Temporal runtime of a worker process: the SDK's log lines (its own, the core's, and what
 * workflows and activities log) go into the process's one log stream, and the SDK's runtime metrics
 * (task latencies, slots, sticky cache, failures) are exported on loopback and joined to this
 * process's /metrics. Must run before any worker or native connection exists, once per process.
 */
import { createServer } from 'node:net';
import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import { log } from '../infra/logger.js';
import { addMetricsSource } from '../infra/metrics.js';

const sdk = log.child({ component: 'temporal' });

const write: Record<LogLevel, (meta: object, message: string) => void> = {
  TRACE: (meta, message) => sdk.trace(meta, message),
  DEBUG: (meta, message) => sdk.debug(meta, message),
  INFO: (meta, message) => sdk.info(meta, message),
  WARN: (meta, message) => sdk.warn(meta, message),
  ERROR: (meta, message) => sdk.error(meta, message),
};

/** A port the SDK's exporter may bind on loopback (asked of the OS, then released for it). */
async function loopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The SDK logs a worker's whole options when it creates one (at debug level): the data converter
 * with its encryption keys, the connection. Only what identifies the worker is kept of them.
 */
function withoutSecrets(meta: LogEntry['meta']): object {
  if (!meta || !('options' in meta)) return { ...meta };
  const { options, ...rest } = meta as { options?: { namespace?: unknown; identity?: unknown; taskQueue?: unknown } };
  return { ...rest, options: { namespace: options?.namespace, identity: options?.identity, taskQueue: options?.taskQueue } };
}

let installed = false;

export async function installWorkerRuntime(level: 'debug' | 'info' | 'warn' | 'error'): Promise<void> {
  if (installed) return;
  installed = true;
  const sdkLevel = level.toUpperCase() as LogLevel;
  const exporter = `127.0.0.1:${await loopbackPort()}`;
  Runtime.install({
    // Workflow and activity loggers add ids and types (workflowId, activityType…) as meta; no payloads.
    logger: new DefaultLogger(sdkLevel, (entry: LogEntry) => write[entry.level](withoutSecrets(entry.meta), entry.message)),
    telemetryOptions: {
      // The core's debug lines print whole activations and task tokens, many per workflow task: too
      // much to read, and payloads (encrypted, but still) do not belong in logs. INFO at most.
      logging: { filter: { core: sdkLevel === 'DEBUG' ? 'INFO' : sdkLevel, other: 'WARN' }, forward: {} },
      metrics: { prometheus: { bindAddress: exporter, countersTotalSuffix: true, useSecondsForDurations: true, unitSuffix: true } },
    },
  });
  addMetricsSource(async () => {
    const response = await fetch(`http://${exporter}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? response.text() : '';
  });
}
