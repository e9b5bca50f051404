/**
 * Text PostgreSQL refuses (a NUL character) is refused at the door with 400 naming the field,
 * wherever it comes: path, query string or JSON body (keys included); so is a body nested deeper
 * than any real one, before schema checks, hashing or storing walk it.
 */
import type { MiddlewareHandler } from 'hono';
import { problem } from './problem.js';

const NUL = '\u0000';

/** Deeper than any body SafeRoutes takes; refused before anything walks it recursively (a stack overflow is a 500). */
export const MAX_BODY_DEPTH = 32;

export type BodyFault = { kind: 'nul' | 'too-deep'; field: string };

/**
 * The first place in `value` (a parsed JSON value) that holds a NUL character, or that nests deeper
 * than MAX_BODY_DEPTH, as a dotted path. Walks with its own stack, so no input can exhaust the call stack.
 */
export function bodyFault(value: unknown): BodyFault | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: here, path, depth } = stack.pop()!;
    if (typeof here === 'string') {
      if (here.includes(NUL)) return { kind: 'nul', field: path || '(body)' };
      continue;
    }
    if (!here || typeof here !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { kind: 'too-deep', field: path || '(body)' };
    const entries = Array.isArray(here) ? here.map((v, i) => [String(i), v] as const) : Object.entries(here);
    // Pushed in reverse, so the first field is looked at first and named first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i]!;
      const at = path ? `${path}.${key}` : key;
      if (key.includes(NUL)) return { kind: 'nul', field: at };
      stack.push({ value: inner, path: at, depth: depth + 1 });
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
    const fault = bodyFault(body);
    if (fault?.kind === 'too-deep') return problem(c, 400, 'Invalid input', `The body nests deeper than ${MAX_BODY_DEPTH} levels.`, { errors: [{ field: fault.field, message: 'nested too deeply' }] });
    if (fault) field = fault.field;
  }
  if (field) return problem(c, 400, 'Invalid input', 'A field holds a NUL character.', { errors: [refused(field)] });
  await next();
};
