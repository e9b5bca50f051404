/**
 * `npm start`: the whole of SafeRoutes on one machine. Starts a Temporal dev server, an embedded
 * PostgreSQL and an SMTP sink unless TEMPORAL_ADDRESS, DATABASE_URL or SMTP_URL point elsewhere,
 * then the worker and the API. Ctrl-C or SIGTERM stops everything it started.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { startServer } from '../server/run.js';
import { startEmbeddedPostgres } from '../devstack/embedded-postgres.js';
import { devEncryptionKeys } from '../devstack/payload-key.js';
import { recordRunningStack } from '../devstack/running-stack.js';
import { startMailbox } from '../devstack/mailbox.js';
import { startSmtpSink } from '../devstack/smtp-sink.js';
import { startTemporalDevServer } from '../devstack/temporal-dev-server.js';
import { loadEnv, logSettingsFromEnv, runtimeConfigFromEnv } from '../infra/config.js';
import { runUntilSignal, type Stoppable } from '../infra/lifecycle.js';
import { log as processLog } from '../infra/logger.js';
import { projectRoot } from '../infra/paths.js';
import { connectDb } from '../infra/db.js';
import { createMailer } from '../infra/mailer.js';
import { startMailDispatcher } from '../notifications/dispatcher.js';
import { startWorker } from '../worker/run.js';
import { searchAttributeKeys } from '../workflows/contract.js';

await runUntilSignal('saferoutes', async () => {
  const env = loadEnv();
  const log = processLog.child({ component: 'saferoutes' });
  const dataDir = resolve(projectRoot, env.DATA_DIR);
  const started: Stoppable[] = [];
  const stopAll = async () => {
    for (const part of started.reverse()) await part.stop().catch((e: unknown) => log.error({ err: e }, 'could not stop a part'));
  };
  const lines: string[] = [];

  try {
    const uiCodecSecret = randomBytes(24).toString('base64url');
    let temporalAddress = env.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      log.info('starting Temporal dev server…');
      const temporal = await startTemporalDevServer({
        searchAttributes: searchAttributeKeys,
        port: env.TEMPORAL_PORT,
        uiPort: env.TEMPORAL_UI_PORT,
        dbFile: join(dataDir, 'temporal.db'),
        namespace: env.TEMPORAL_NAMESPACE,
        logFile: join(dataDir, 'logs', 'temporal.log'),
        // The UI shows decrypted payloads through the API's codec endpoint, by a secret made for this run.
        uiCodecEndpoint: `http://localhost:${env.PORT}/codec/${uiCodecSecret}`,
      });
      started.push(temporal);
      temporalAddress = temporal.address;
      lines.push(`Temporal UI     ${temporal.uiUrl}  (server ${temporal.address}, data ${join(env.DATA_DIR, 'temporal.db')})`);
    } else lines.push(`Temporal        ${temporalAddress} (external)`);

    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      log.info('starting embedded PostgreSQL…');
      const pg = await startEmbeddedPostgres({ dir: join(dataDir, 'pg'), port: env.EMBEDDED_PG_PORT });
      started.push(pg);
      databaseUrl = pg.url;
      lines.push(`PostgreSQL      ${pg.url}  (data ${join(env.DATA_DIR, 'pg')})`);
    } else lines.push('PostgreSQL      DATABASE_URL (external)');

    let smtpUrl = env.SMTP_URL;
    if (!smtpUrl) {
      const sink = await startSmtpSink({ port: env.SMTP_SINK_PORT, mailDir: join(dataDir, 'mail') });
      started.push(sink);
      smtpUrl = sink.url;
      const mailbox = await startMailbox({ port: env.MAILBOX_PORT, mailDir: sink.mailDir });
      started.push(mailbox);
      lines.push(`Mailbox         ${mailbox.url}  (what SafeRoutes emails, sign-in links too; SMTP ${sink.url}, files in ${join(env.DATA_DIR, 'mail')})`);
    } else lines.push('Mail            SMTP_URL (external)');

    // Without PAYLOAD_ENCRYPTION_KEYS, a development key is made once and kept with the data.
    const payloadEncryptionKeys = env.PAYLOAD_ENCRYPTION_KEYS ?? devEncryptionKeys(dataDir);
    const uiCodecOrigin = env.TEMPORAL_ADDRESS ? undefined : `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`;
    // The embedded dev server listens on loopback without TLS; an external one is reached as configured.
    const temporalSecurity = env.TEMPORAL_ADDRESS ? undefined : {};
    const config = runtimeConfigFromEnv(env, { temporalAddress, temporalSecurity, databaseUrl, smtpUrl, payloadEncryptionKeys, uiCodecOrigin, uiCodecSecret: uiCodecOrigin ? uiCodecSecret : undefined });
    log.info('starting worker (bundling workflows)…');
    const worker = await startWorker(config);
    started.push(worker);
    const api = await startServer(config);
    started.push(api);
    // `npm run seed` and `npm run token` find this stack through it, whatever ports it was given.
    const forget = recordRunningStack(dataDir, { apiUrl: api.url, databaseUrl: config.databaseUrl });
    started.push({ stop: async () => forget() });
    const mail = connectDb(config.databaseUrl, { max: 4 });
    const mailer = createMailer(config.smtpUrl);
    const dispatcher = startMailDispatcher({ sql: mail, mailer, mailFrom: config.mailFrom, publicUrl: config.publicUrl });
    started.push({ stop: async () => { await dispatcher.stop(); mailer.close(); await mail.end({ timeout: 5 }); } });

    // For a person at a terminal; a log shipper gets the same as one JSON line.
    const said = [
      'SafeRoutes is running.',
      `Web pages       ${config.publicUrl}  (sign in with a person's email address; \`npm run seed\` makes demo people)`,
      `API             ${config.publicUrl}/v1  (health ${config.publicUrl}/health)`,
      `API reference   ${config.publicUrl}/docs  (${config.publicUrl}/openapi.json)`,
      `Metrics         ${config.publicUrl}/metrics  (Prometheus: the application's and the Temporal SDK's)`,
      ...lines,
      'Press Ctrl-C to stop everything.',
    ];
    if (logSettingsFromEnv().format === 'pretty') console.log(['', ...said, ''].join('\n'));
    else log.info({ lines: said }, 'SafeRoutes is running');
    return { stop: stopAll, done: worker.done };
  } catch (error) {
    await stopAll();
    throw error;
  }
});
