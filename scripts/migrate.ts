/** Applies the migrations to DATABASE_URL. */
import { loadEnv, ConfigError } from '../infra/config.js';
import { connectDb } from '../infra/db.js';
import { migrate } from '../infra/migrate.js';

const env = loadEnv();
if (!env.DATABASE_URL) throw new ConfigError('DATABASE_URL must be set (npm start applies migrations to its embedded PostgreSQL itself)');
const sql = connectDb(env.DATABASE_URL, { max: 1 });
const applied = await migrate(sql);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
await sql.end();
