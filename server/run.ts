/** Starts the HTTP API with real dependencies from the config. */
import type { RuntimeConfig } from '../infra/config.js';
import { connectDb } from '../infra/db.js';
import { createMailer } from '../infra/mailer.js';
import { migrate } from '../infra/migrate.js';
import { encryptingDataConverter, parseEncryptionKeys } from '../infra/payload-codec.js';
import { createTemporalClient } from '../infra/temporal.js';
import { createApp } from './app.js';
import { serveApi } from './server.js';
import { TASK_QUEUE } from '../workflows/contract.js';

export async function startApi(config: RuntimeConfig): Promise<{ url: string; stop(): Promise<void> }> {
  const sql = connectDb(config.databaseUrl);
  // The API starts when PostgreSQL does, and answers 503 (not crash) whenever it is away later.
  for (let waited = 0; ; waited += 1) {
    try {
      await migrate(sql);
      break;
    } catch (error) {
      if (waited % 10 === 0) console.warn(`[api] waiting for PostgreSQL: ${(error as Error).name} ${(error as { code?: string }).code ?? ''}`.trim());
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  const dataConverter = encryptingDataConverter(parseEncryptionKeys(config.payloadEncryptionKeys));
  const { client, connection } = createTemporalClient(config.temporalAddress, config.temporalNamespace, dataConverter);
  const mailer = createMailer(config.smtpUrl);
  // Decrypting for anyone who asks is only acceptable when only this machine can ask.
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(config.host);
  const uiCodec = config.uiCodecOrigin && loopback ? { codec: dataConverter.payloadCodecs![0]!, uiOrigin: config.uiCodecOrigin } : undefined;
  const app = createApp({ temporal: client, temporalConnection: connection, sql, mailer, config, taskQueue: TASK_QUEUE, uiCodec });
  const server = await serveApi(app, config.host, config.port);
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
