/** The PostgreSQL client. Each process creates exactly one, at start-up, and passes it down. */
import postgres from 'postgres';

export type Sql = postgres.Sql;

export function connectDb(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: 5,
  });
}
