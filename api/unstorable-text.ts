/**
 * Text that cannot be stored or sent on is refused at the door with 400 naming the field, wherever
 * it comes (path, query string, JSON body, keys included): a NUL character (PostgreSQL refuses it),
 * or a lone UTF-16 surrogate (not Unicode: Temporal cannot carry it, and a worker that tries stops).
 * So is a body nested deeper than any real one, before schema checks, hashing or storing walk it.
 */
import type { MiddlewareHandler } from 'hono';
import { hasLoneSurrogate } from '../domain/unicode.js';
import { problem } from './problem.js';

const NUL = '\u0000';

/** Deeper than any body SafeRoutes takes; refused before anything walks it recursively (a stack overflow is a 500). */
export const MAX_BODY_DEPTH = 32;

export type TextFault = 'nul' | 'lone-surrogate';
export type BodyFault = { kind: TextFault | 'too-deep'; field: string };

const MESSAGES: Record<BodyFault['kind'], string> = {
  nul: 'must not contain NUL characters',
  'lone-surrogate': 'must be valid Unicode text (it holds half of a surrogate pair)',
  'too-deep': `nested too deeply (at most ${MAX_BODY_DEPTH} levels)`,
};

export function textFault(text: string): TextFault | undefined {
  if (text.includes(NUL)) return 'nul';
  if (hasLoneSurrogate(text)) return 'lone-surrogate';
  return undefined;
}

/**
 * The first place in `value` (a parsed JSON value) holding unstorable text, or nesting deeper than
 * MAX_BODY_DEPTH, as a dotted path. Walks with its own stack, so no input can exhaust the call stack.
 */
export function bodyFault(value: unknown): BodyFault | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: here, path, depth } = stack.pop()!;
    if (typeof here === 'string') {
      const kind = textFault(here);
      if (kind) return { kind, field: path || '(body)' };
      continue;
    }
    if (!here || typeof here !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { kind: 'too-deep', field: path || '(body)' };
    const entries = Array.isArray(here) ? here.map((v, i) => [String(i), v] as const) : Object.entries(here);
    // Pushed in reverse, so the first field is looked at first and named first.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i]!;
      const at = path ? `${path}.${key}` : key;
      const kind = textFault(key);
      if (kind) return { kind, field: at };
      stack.push({ value: inner, path: at, depth: depth + 1 });
    }
  }
  return undefined;
}

function requestFault(path: string, queries: Record<string, string[]>): BodyFault | undefined {
  const inPath = /%00/.test(path) ? 'nul' : textFault(path);
  if (inPath) return { kind: inPath, field: 'path' };
  for (const [key, values] of Object.entries(queries)) {
    const kind = textFault(key) ?? values.map(textFault).find(Boolean);
    if (kind) return { kind, field: `query.${key}` };
  }
  return undefined;
}

export const refuseUnstorableText: MiddlewareHandler = async (c, next) => {
  let fault = requestFault(c.req.path, c.req.queries());
  if (!fault && ['POST', 'PUT', 'PATCH'].includes(c.req.method) && /json/i.test(c.req.header('content-type') ?? '')) {
    // Parsed once here and cached by Hono for the route's own validation; malformed JSON is left to it.
    fault = bodyFault(await c.req.json().catch(() => undefined));
  }
  if (!fault) return next();
  const detail = fault.kind === 'too-deep' ? `The body nests deeper than ${MAX_BODY_DEPTH} levels.` : fault.kind === 'nul' ? 'A field holds a NUL character.' : 'A field holds text that is not valid Unicode.';
  return problem(c, 400, 'Invalid input', detail, { errors: [{ field: fault.field, message: MESSAGES[fault.kind] }] });
};
