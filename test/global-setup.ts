/**
 * Once per test run: ONE Temporal dev server, ONE PostgreSQL, ONE SMTP sink, and the workflow
 * bundle built once. Test files get their addresses through `inject()`.
 *
 * A setup that fails part-way leaves nothing running: what had started is stopped again before the
 * error goes up (test/support/test-servers.ts; test/system/failed-setup.test.ts holds it).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { ensureChromium } from '../devstack/chromium.js';
import { findTool } from '../devstack/tools.js';
import { connectDb } from '../infra/db.js';
import { migrate } from '../infra/migrate.js';
import { workflowInterceptorModules, workflowsPath } from '../worker/worker.js';
import { startTestServers, type TestServers } from './support/test-servers.js';

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

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export default async function setup(project: TestProject) {
  const scratchDir = mkdtempSync(join(tmpdir(), 'saferoutes-test-'));
  // Run as root, PostgreSQL runs as its own user, which must be able to reach its data directory.
  chmodSync(scratchDir, 0o755);
  let servers: TestServers | undefined;
  const teardown = async () => {
    // A server that cannot be stopped is said loudly: it is a process left running.
    await servers?.stop().catch((error: unknown) => console.error(`[test teardown] ${reasonOf(error)}`));
    servers = undefined;
    if (!process.env.KEEP_TEST_DATA) rmSync(scratchDir, { recursive: true, force: true });
  };
  try {
    const testServerPath = findTool('temporal-test-server');
    // The page tests drive a real browser; installing it (apt) happens here, once, if it is missing.
    const chromiumPath = ensureChromium();
    // The servers (each stopped again by startTestServers if another fails) and the bundle side by
    // side; both settle before anything is decided, so nothing comes up after a clean-up.
    const [started, bundled] = await Promise.allSettled([
      startTestServers({ scratchDir }),
      bundleWorkflowCode({
        workflowsPath,
        workflowInterceptorModules: [...workflowInterceptorModules, createRequire(import.meta.url).resolve('@temporalio/testing/lib/assert-to-failure-interceptor')],
        logger: { log() {}, info() {}, warn() {}, error: console.error, debug() {}, trace() {} },
      }),
    ]);
    if (started.status === 'fulfilled') servers = started.value;
    else throw started.reason;
    if (bundled.status === 'rejected') throw new Error(`test setup failed: the workflow bundle could not be built: ${reasonOf(bundled.reason)}`, { cause: bundled.reason });
    const sql = connectDb(servers.postgres.url, { max: 1 });
    try {
      await migrate(sql);
    } catch (error) {
      throw new Error(`test setup failed: the migrations could not be applied: ${reasonOf(error)}`, { cause: error });
    } finally {
      await sql.end();
    }
    const workflowBundlePath = join(scratchDir, 'workflow-bundle.js');
    writeFileSync(workflowBundlePath, bundled.value.code);

    project.provide('temporalAddress', servers.temporal.address);
    project.provide('databaseUrl', servers.postgres.url);
    project.provide('smtpUrl', servers.smtp.url);
    project.provide('mailDir', servers.smtp.mailDir);
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
