import { invalidInput } from '../../usecases/problem.js';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(?:[+-](\d{2})(?::?(\d{2}))?|Z)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An opaque keyset cursor: the last row's creation time and id. */
export function encodeCursor(position: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** A real instant PostgreSQL can compare: the pattern alone lets "2026-13-45 25:61:61" through. */
function isRealTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [offsetHours, offsetMinutes] = [Number(m[8] ?? 0), Number(m[9] ?? 0)];
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || offsetHours > 15 || offsetMinutes > 59) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { createdAt?: unknown; id?: unknown };
    if (typeof value.createdAt === 'string' && typeof value.id === 'string' && isRealTimestamp(value.createdAt) && UUID.test(value.id)) {
      return { createdAt: value.createdAt, id: value.id };
    }
  } catch {
    // fall through
  }
  throw invalidInput('cursor', 'not a cursor this API gave out');
}
