/** The mail dispatcher on its own (docker, production): needs DATABASE_URL and SMTP_URL. */
import { loadEnv } from '../infra/config.js';
import { connectDb } from '../infra/db.js';
import { runUntilSignal } from '../infra/lifecycle.js';
import { log } from '../infra/logger.js';
import { createMailer } from '../infra/mailer.js';
import { migrate } from '../infra/migrate.js';
import { startMailDispatcher } from './dispatcher.js';
import { ConfigError } from '../infra/config.js';

await runUntilSignal('dispatcher', async () => {
  const env = loadEnv();
  if (!env.DATABASE_URL || !env.SMTP_URL) throw new ConfigError('Missing configuration: DATABASE_URL and SMTP_URL (use `npm start` to run everything embedded)');
  const sql = connectDb(env.DATABASE_URL, { max: 4 });
  await migrate(sql);
  const mailer = createMailer(env.SMTP_URL);
  const dispatcher = startMailDispatcher({ sql, mailer, mailFrom: env.MAIL_FROM, publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}` });
  log.info({ component: 'dispatcher' }, 'running');
  return {
    exitWithParent: env.EXIT_WITH_PARENT === '1',
    async stop() {
      await dispatcher.stop();
      mailer.close();
      await sql.end({ timeout: 5 });
    },
  };
});
