/** The PostgreSQL client. Each process creates exactly one, at start-up, and passes it down. */
import postgres from 'postgres';

export type Sql = postgres.Sql;
/** The `sql` inside `sql.begin(async (tx) => …)`; functions that may run in a transaction take it. */
export type Tx = postgres.TransactionSql;
export type Queryable = Sql | Tx;

/** `debug` sees every statement sent with its parameters (tests use it to EXPLAIN the real queries). */
export function connectDb(url: string, options: { max?: number; debug?: (connection: number, query: string, parameters: unknown[]) => void } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    ...(options.debug ? { debug: options.debug } : {}),
    onnotice: () => {},
    connect_timeout: 5,
    // After failed connections the client waits before trying again, and queries wait with it: by
    // default up to 20 s, so a request would hang while PostgreSQL is away and for a while after it
    // is back. At most a second here: a request fails fast (503) and recovery is prompt.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
  });
}
