/**
 * Once per test run: ONE Temporal dev server, ONE PostgreSQL, ONE SMTP sink, and the workflow
 * bundle built once. Test files get their addresses through `inject()`.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../devstack/embedded-postgres.js';
import { startSmtpSink } from '../devstack/smtp-sink.js';
import { startTemporalDevServer } from '../devstack/temporal-dev-server.js';
import { ensureChromium } from '../devstack/chromium.js';
import { findTool } from '../devstack/tools.js';
import { connectDb } from '../infra/db.js';
import { migrate } from '../infra/migrate.js';
import { workflowInterceptorModules, workflowsPath } from '../worker/worker.js';
import { freePorts } from './support/ports.js';
import { searchAttributeKeys } from '../workflows/contract.js';

/** A key for tests only (never used outside them): 32 bytes, base64. */
const TEST_PAYLOAD_ENCRYPTION_KEYS = 'test1:c2FmZXJvdXRlcy10ZXN0LW9ubHkta2V5LTMyYnl0ZXM=';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    smtpUrl: string;
    mailDir: string;
    workflowBundlePath: string;
    testServerPath: string;
    scratchDir: string;
    payloadEncryptionKeys: string;
    chromiumPath: string;
  }
}

export default async function setup(project: TestProject) {
  const scratchDir = mkdtempSync(join(tmpdir(), 'saferoutes-test-'));
  // Run as root, PostgreSQL runs as its own user, which must be able to reach its data directory.
  chmodSync(scratchDir, 0o755);
  const stops: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((e) => console.error(String(e)));
    if (!process.env.KEEP_TEST_DATA) rmSync(scratchDir, { recursive: true, force: true });
  };
  try {
    const testServerPath = findTool('temporal-test-server');
    // The page tests drive a real browser; installing it (apt) happens here, once, if it is missing.
    const chromiumPath = ensureChromium();
    // Each service's stop is registered the moment it is up, so a failure of another one still
    // tears it down (nothing is left running after a failed setup).
    const started = <T extends { stop(): Promise<void> }>(service: Promise<T>) =>
      service.then((s) => {
        stops.push(() => s.stop());
        return s;
      });
    // Every port chosen up front and distinct, the dev server's HTTP and metrics ports included,
    // so no service can take one another is about to bind.
    const [temporalPort, httpPort, metricsPort, pgPort] = (await freePorts(4)) as [number, number, number, number];
    const settled = await Promise.allSettled([
      started(
        startTemporalDevServer({
          searchAttributes: searchAttributeKeys,
          port: temporalPort,
          logFile: join(scratchDir, 'temporal.log'),
          extraArgs: [
            '--http-port', String(httpPort),
            '--metrics-port', String(metricsPort),
            // Small enough that the long-running tests exercise continue-as-new.
            '--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=500',
          ],
        }),
      ),
      started(startEmbeddedPostgres({ dir: join(scratchDir, 'pg'), port: pgPort })),
      started(startSmtpSink({ port: 0, mailDir: join(scratchDir, 'mail') })),
      bundleWorkflowCode({
        workflowsPath,
        workflowInterceptorModules: [...workflowInterceptorModules, createRequire(import.meta.url).resolve('@temporalio/testing/lib/assert-to-failure-interceptor')],
        logger: { log() {}, info() {}, warn() {}, error: console.error, debug() {}, trace() {} },
      }),
    ] as const);
    // Waits for every start to settle, so nothing comes up after a failure has been cleaned away.
    for (const result of settled) {
      if (result.status === 'rejected') throw result.reason instanceof Error ? result.reason : new Error(`test setup failed: ${JSON.stringify(result.reason) ?? String(result.reason)}`);
    }
    const [temporal, pg, smtp, bundle] = settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
      Awaited<ReturnType<typeof startTemporalDevServer>>,
      Awaited<ReturnType<typeof startEmbeddedPostgres>>,
      Awaited<ReturnType<typeof startSmtpSink>>,
      Awaited<ReturnType<typeof bundleWorkflowCode>>,
    ];
    const sql = connectDb(pg.url, { max: 1 });
    await migrate(sql);
    await sql.end();
    const workflowBundlePath = join(scratchDir, 'workflow-bundle.js');
    writeFileSync(workflowBundlePath, bundle.code);

    project.provide('temporalAddress', temporal.address);
    project.provide('databaseUrl', pg.url);
    project.provide('smtpUrl', smtp.url);
    project.provide('mailDir', smtp.mailDir);
    project.provide('workflowBundlePath', workflowBundlePath);
    project.provide('testServerPath', testServerPath);
    project.provide('chromiumPath', chromiumPath);
    project.provide('scratchDir', scratchDir);
    // Fixed and test-only, so recorded histories stay decryptable by the replay tests.
    project.provide('payloadEncryptionKeys', TEST_PAYLOAD_ENCRYPTION_KEYS);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
