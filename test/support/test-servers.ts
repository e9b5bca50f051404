/**
 * The servers the integration tests share — a Temporal dev server, PostgreSQL and an SMTP sink —
 * started side by side by the global setup. A setup that fails part-way leaves nothing running:
 * whatever had come up is stopped again, newest first, and the error says what failed and what
 * was stopped (or could not be).
 */
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../../devstack/embedded-postgres.js';
import { startSmtpSink, type RunningSmtpSink } from '../../devstack/smtp-sink.js';
import { startTemporalDevServer, type RunningTemporal } from '../../devstack/temporal-dev-server.js';
import { searchAttributeKeys } from '../../workflows/contract.js';
import { freePorts } from './ports.js';

interface Stoppable {
  stop(): Promise<void>;
}

/** Each resource's name (for the report) and how to start it. */
type Starters = Record<string, { name: string; start: () => Promise<Stoppable> }>;
type StartedOf<S extends Starters> = { [K in keyof S]: Awaited<ReturnType<S[K]['start']>> };

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Starts every resource at once and resolves with all of them, plus one `stop` that stops them
 * newest first. When any start fails, it waits for the others to settle (so nothing comes up after
 * the clean-up), stops those that came up, newest first, and rejects with one error naming each
 * failure and what it stopped.
 */
export async function startAll<S extends Starters>(starters: S): Promise<{ started: StartedOf<S>; stop(): Promise<void> }> {
  const up: { name: string; resource: Stoppable }[] = [];
  const entries = Object.entries(starters);
  const settled = await Promise.allSettled(
    entries.map(([, { name, start }]) =>
      // A start that throws at once counts as a failed start like any other.
      Promise.resolve().then(start).then((resource) => {
        up.push({ name, resource }); // in the order they came up
        return resource;
      }),
    ),
  );
  /** Stops everything that came up, newest first; one that cannot be stopped does not keep the others running. */
  const stopAll = async () => {
    const stopped: string[] = [];
    const failed: string[] = [];
    for (const { name, resource } of up.splice(0).reverse()) {
      await resource.stop().then(
        () => stopped.push(name),
        (error: unknown) => failed.push(`${name} (${reasonOf(error)}; it may still be running)`),
      );
    }
    return { stopped, failed };
  };
  const failures = settled.flatMap((r, i) => (r.status === 'rejected' ? [{ name: entries[i]![1].name, error: r.reason as unknown }] : []));
  if (failures.length > 0) {
    const { stopped, failed } = await stopAll();
    const lines = [
      `test setup failed: ${failures.map((f) => `${f.name} could not start: ${reasonOf(f.error)}`).join('; ')}`,
      stopped.length || failed.length ? `stopped again what had started: ${stopped.join(', ') || 'nothing'}` : 'nothing else had started',
      ...(failed.length ? [`COULD NOT STOP: ${failed.join(', ')}`] : []),
    ];
    throw new Error(lines.join('\n'), { cause: failures[0]!.error });
  }
  const started = Object.fromEntries(entries.map(([key], i) => [key, (settled[i] as PromiseFulfilledResult<Stoppable>).value])) as StartedOf<S>;
  return {
    started,
    async stop() {
      const { failed } = await stopAll();
      if (failed.length) throw new Error(`could not stop: ${failed.join(', ')}`);
    },
  };
}

export interface TestServerPorts {
  temporal: number;
  /** The dev server's HTTP API and metrics: chosen too, so no other server takes them. */
  temporalHttp: number;
  temporalMetrics: number;
  postgres: number;
  smtp: number;
}

export interface TestServers {
  temporal: RunningTemporal;
  postgres: RunningPostgres;
  smtp: RunningSmtpSink;
  ports: TestServerPorts;
  /** Stops all three, newest first. */
  stop(): Promise<void>;
}

/** Every port chosen up front and distinct, so no server can take one another is about to bind. */
export async function chooseTestServerPorts(): Promise<TestServerPorts> {
  const [temporal, temporalHttp, temporalMetrics, postgres, smtp] = (await freePorts(5)) as [number, number, number, number, number];
  return { temporal, temporalHttp, temporalMetrics, postgres, smtp };
}

export async function startTestServers(options: { scratchDir: string; ports?: TestServerPorts; postgresDir?: string }): Promise<TestServers> {
  const ports = options.ports ?? (await chooseTestServerPorts());
  const { started, stop } = await startAll({
    temporal: {
      name: `Temporal dev server on 127.0.0.1:${ports.temporal}`,
      start: () =>
        startTemporalDevServer({
          searchAttributes: searchAttributeKeys,
          port: ports.temporal,
          logFile: join(options.scratchDir, 'temporal.log'),
          extraArgs: [
            '--http-port', String(ports.temporalHttp),
            '--metrics-port', String(ports.temporalMetrics),
            // Small enough that the long-running tests exercise continue-as-new.
            '--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=500',
          ],
        }),
    },
    postgres: { name: `PostgreSQL on 127.0.0.1:${ports.postgres}`, start: () => startEmbeddedPostgres({ dir: options.postgresDir ?? join(options.scratchDir, 'pg'), port: ports.postgres }) },
    smtp: { name: `SMTP sink on 127.0.0.1:${ports.smtp}`, start: () => startSmtpSink({ port: ports.smtp, mailDir: join(options.scratchDir, 'mail') }) },
  });
  return { ...started, ports, stop };
}
