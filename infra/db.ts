/** The PostgreSQL client. Each process creates exactly one, at start-up, and passes it down. */
import postgres from 'postgres';

export type Sql = postgres.Sql;
/** The `sql` inside `sql.begin(async (tx) => …)`; functions that may run in a transaction take it. */
export type Tx = postgres.TransactionSql;
export type Queryable = Sql | Tx;

export function connectDb(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 5,
  });
}
