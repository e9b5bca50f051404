/** Starts the API process's HTTP server (the API and the pages) with real dependencies from the config. */
import type { RuntimeConfig } from '../infra/config.js';
import { connectDb } from '../infra/db.js';
import { createMailer } from '../infra/mailer.js';
import { migrate } from '../infra/migrate.js';
import { encryptingDataConverter, parseEncryptionKeys } from '../infra/payload-codec.js';
import { createTemporalClient } from '../infra/temporal.js';
import { createApp } from './app.js';
import { listen } from './listen.js';
import { log } from '../infra/logger.js';
import { TASK_QUEUE } from '../workflows/contract.js';

/** The Host values that name this API: its public URL's, and the loopback names with its port. */
export function apiHosts(publicUrl: string, port: number): string[] {
  return [new URL(publicUrl).host, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
}

export async function startServer(config: RuntimeConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const sql = connectDb(config.databaseUrl);
  // The API starts when PostgreSQL does, and answers 503 (not crash) whenever it is away later.
  for (let waited = 0; ; waited += 1) {
    try {
      await migrate(sql);
      break;
    } catch (error) {
      if (waited % 10 === 0) log.warn({ component: 'api', err: error }, 'waiting for PostgreSQL');
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  const dataConverter = encryptingDataConverter(parseEncryptionKeys(config.payloadEncryptionKeys));
  const { client, connection } = createTemporalClient(config.temporalAddress, config.temporalNamespace, dataConverter, config.temporalSecurity);
  const mailer = createMailer(config.smtpUrl);
  // Decrypting is for operators only, addressed by this API's own names (api/codec.ts).
  const uiCodec = config.uiCodecOrigin
    ? { codec: dataConverter.payloadCodecs![0]!, uiOrigin: config.uiCodecOrigin, secret: config.uiCodecSecret, hosts: apiHosts(config.publicUrl, config.port) }
    : undefined;
  const app = createApp({ temporal: client, temporalConnection: connection, sql, mailer, config, taskQueue: TASK_QUEUE, uiCodec, metricsToken: config.metricsToken });
  const server = await listen(app, config.host, config.port);
  return {
    url: server.url,
    async stop() {
      await server.close();
      await connection.close().catch(() => {});
      mailer.close();
      await sql.end({ timeout: 5 });
    },
  };
}
