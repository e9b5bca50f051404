/**
 * Text PostgreSQL refuses (a NUL character) is refused at the door with 400 naming the field,
 * wherever it comes: path, query string or JSON body (keys included).
 */
import type { MiddlewareHandler } from 'hono';
import { problem } from './problem.js';

const NUL = '\u0000';

/** The first place in `value` (a JSON value) holding a NUL character, as a dotted path. */
export function nulAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path || '(body)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulAt(value[i], path ? `${path}.${i}` : String(i));
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (key.includes(NUL)) return here;
      const found = nulAt(inner, here);
      if (found) return found;
    }
  }
  return undefined;
}

const refused = (field: string) => ({ field, message: 'must not contain NUL characters' });

export const refuseNulCharacters: MiddlewareHandler = async (c, next) => {
  let field: string | undefined;
  if (/%00/.test(c.req.path) || c.req.path.includes(NUL)) field = 'path';
  for (const [key, values] of Object.entries(c.req.queries())) {
    if (field) break;
    if (key.includes(NUL) || values.some((v) => v.includes(NUL))) field = `query.${key}`;
  }
  if (!field && ['POST', 'PUT', 'PATCH'].includes(c.req.method) && /json/i.test(c.req.header('content-type') ?? '')) {
    // Parsed once here and cached by Hono for the route's own validation; malformed JSON is left to it.
    const body: unknown = await c.req.json().catch(() => undefined);
    const at = nulAt(body);
    if (at) field = at;
  }
  if (field) return problem(c, 400, 'Invalid input', 'A field holds a NUL character.', { errors: [refused(field)] });
  await next();
};
