import type { Client, Connection } from '@temporalio/client';
import type { RuntimeConfig } from '../infra/config.js';
import type { Sql } from '../infra/db.js';
import type { Mailer } from '../infra/mailer.js';

/** What the use cases need: the one PostgreSQL client and the one Temporal client of the process. */
export interface Deps {
  temporal: Client;
  sql: Sql;
}

/** What both doors onto the use cases — the API (api/) and the pages (web/) — are given, once per process. */
export interface DoorDeps extends Deps {
  temporalConnection: Connection;
  mailer: Mailer;
  config: Pick<RuntimeConfig, 'publicUrl' | 'mailFrom'>;
  /** Where case workflows are started; TASK_QUEUE except in tests that isolate their workers. */
  taskQueue: string;
}
