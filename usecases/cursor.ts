/**
 * Opaque keyset cursors: the sort key of the last row a page showed, so the next page starts
 * after it whatever was added meanwhile. A cursor names the list and order it belongs to, and
 * every value is checked before it reaches PostgreSQL: a cursor decoding to an impossible date is
 * bad input (400), not a database error.
 */
import { hasLoneSurrogate } from '../domain/unicode.js';
import { invalidInput } from './problem.js';

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(?:[+-](\d{2})(?::?(\d{2}))?|Z)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What one position of a cursor may hold. */
export type CursorPart = 'timestamp' | 'uuid' | 'text' | 'timestamp-or-infinity';

/** A real instant PostgreSQL can compare: the pattern alone lets "2026-13-45 25:61:61" through. */
function isRealTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [offsetHours, offsetMinutes] = [Number(m[8] ?? 0), Number(m[9] ?? 0)];
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59 || offsetHours > 15 || offsetMinutes > 59) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fits(part: CursorPart, value: unknown): value is string {
  if (typeof value !== 'string') return false;
  switch (part) {
    case 'timestamp':
      return isRealTimestamp(value);
    case 'timestamp-or-infinity':
      return value === 'infinity' || isRealTimestamp(value);
    case 'uuid':
      return UUID.test(value);
    case 'text':
      return value.length <= 200 && !hasLoneSurrogate(value) && !value.includes('\0');
  }
}

export function encodeCursor(list: string, values: string[]): string {
  return Buffer.from(JSON.stringify([list, ...values])).toString('base64url');
}

/** The values of a cursor made by `encodeCursor(list, …)` with parts of these kinds, or a 400. */
export function decodeCursor<const P extends readonly CursorPart[]>(cursor: string, list: string, parts: P): { [K in keyof P]: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(value) && value.length === parts.length + 1 && value[0] === list && parts.every((p, i) => fits(p, value[i + 1]))) {
      return value.slice(1) as { [K in keyof P]: string };
    }
  } catch {
    // not JSON: fall through
  }
  throw invalidInput('cursor', 'not a cursor this API gave out for this list');
}
