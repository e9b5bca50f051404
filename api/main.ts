/** The API on its own (docker, production): needs TEMPORAL_ADDRESS, DATABASE_URL and SMTP_URL. */
import { loadEnv, runtimeConfigFromEnv } from '../infra/config.js';
import { runUntilSignal } from '../infra/lifecycle.js';
import { startApi } from './run.js';

await runUntilSignal('api', async () => {
  const api = await startApi(runtimeConfigFromEnv(loadEnv()));
  console.log(`[api] listening on ${api.url}`);
  return { stop: api.stop };
});
