import { invalidInput } from '../problem.js';

/** An opaque keyset cursor: the last row's creation time and id. */
export function encodeCursor(position: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { createdAt?: unknown; id?: unknown };
    const timestamp = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (typeof value.createdAt === 'string' && typeof value.id === 'string' && timestamp.test(value.createdAt) && uuid.test(value.id)) {
      return { createdAt: value.createdAt, id: value.id };
    }
  } catch {
    // fall through
  }
  throw invalidInput('cursor', 'not a cursor this API gave out');
}
