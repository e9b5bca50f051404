import type { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { RuntimeConfig } from '../infra/config.js';
import type { Sql } from '../infra/db.js';
import type { Mailer } from '../infra/mailer.js';

/** What the API's handlers are given; created once per process by api/main.ts or the launcher. */
export interface ApiDeps {
  temporal: Client;
  temporalConnection: Connection;
  sql: Sql;
  mailer: Mailer;
  config: Pick<RuntimeConfig, 'publicUrl' | 'mailFrom'>;
  /** Where case workflows are started; TASK_QUEUE except in tests that isolate their workers. */
  taskQueue: string;
  /** When set, /codec/{decode,encode} serve the Temporal Web UI at this origin (development only). */
  uiCodec?: { codec: PayloadCodec; uiOrigin: string };
}
