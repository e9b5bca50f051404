import type { Client } from '@temporalio/client';
import type { Sql } from '../infra/db.js';

/** What the use cases need: the one PostgreSQL client and the one Temporal client of the process. */
export interface Deps {
  temporal: Client;
  sql: Sql;
}
