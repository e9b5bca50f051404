/** The worker on its own (docker, production): needs TEMPORAL_ADDRESS, DATABASE_URL and SMTP_URL. */
import { loadEnv, runtimeConfigFromEnv } from '../infra/config.js';
import { runUntilSignal } from '../infra/lifecycle.js';
import { log } from '../infra/logger.js';
import { startWorker } from './run.js';

await runUntilSignal('worker', async () => {
  const config = runtimeConfigFromEnv(loadEnv());
  const worker = await startWorker(config);
  log.info({ component: 'worker' }, 'running');
  return { stop: worker.stop, done: worker.done, exitWithParent: config.exitWithParent };
});
