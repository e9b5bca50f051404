/** The API process on its own — the API and the pages (docker, production): needs TEMPORAL_ADDRESS, DATABASE_URL and SMTP_URL. */
import { loadEnv, runtimeConfigFromEnv } from '../infra/config.js';
import { runUntilSignal } from '../infra/lifecycle.js';
import { log } from '../infra/logger.js';
import { startServer } from './run.js';

await runUntilSignal('api', async () => {
  const config = runtimeConfigFromEnv(loadEnv());
  const api = await startServer(config);
  log.info({ component: 'api', url: api.url }, 'listening');
  return { stop: api.stop, exitWithParent: config.exitWithParent };
});
