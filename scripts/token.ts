/**
 * Issues an API token (printed once; only its hash is stored).
 *   npm run token -- --email anna@example.org [--label laptop]
 *   npm run token -- --bootstrap-admin --email admin@example.org --name "Site admin"
 * Uses DATABASE_URL, or the database of the stack `npm start` runs from this checkout when it is unset.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { issueToken } from '../usecases/tokens.js';
import { loadEnv } from '../infra/config.js';
import { connectDb } from '../infra/db.js';
import { migrate } from '../infra/migrate.js';
import { stackToUse } from '../devstack/running-stack.js';
import { projectRoot } from '../infra/paths.js';

const { values } = parseArgs({ options: { email: { type: 'string' }, label: { type: 'string', default: 'cli' }, 'bootstrap-admin': { type: 'boolean', default: false }, name: { type: 'string' } } });
if (!values.email) {
  console.error('usage: npm run token -- --email <person email> [--label <label>] | --bootstrap-admin --email <email> --name <name>');
  process.exit(2);
}
const env = loadEnv();
let databaseUrl: string;
try {
  databaseUrl = stackToUse(env, resolve(projectRoot, env.DATA_DIR)).databaseUrl;
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const sql = connectDb(databaseUrl, { max: 1 });
try {
  await migrate(sql);
  if (values['bootstrap-admin']) {
    const [org] = await sql<{ id: string }[]>`
      INSERT INTO organisations (name, kind) SELECT 'SafeRoutes administration', 'coordinator'
      WHERE NOT EXISTS (SELECT 1 FROM organisations WHERE name = 'SafeRoutes administration') RETURNING id`;
    const orgId = org?.id ?? (await sql<{ id: string }[]>`SELECT id FROM organisations WHERE name = 'SafeRoutes administration'`)[0]!.id;
    await sql`INSERT INTO people (organisation_id, name, email, role) VALUES (${orgId}, ${values.name ?? 'Administrator'}, ${values.email}, 'admin') ON CONFLICT (email) DO NOTHING`;
  }
  const [person] = await sql<{ id: string; role: string }[]>`SELECT id, role FROM people WHERE email = ${values.email}`;
  if (!person) {
    console.error(`no person with email ${values.email}`);
    process.exit(1);
  }
  const { token } = await issueToken(sql, person.id, values.label);
  console.log(token);
} finally {
  await sql.end();
}
