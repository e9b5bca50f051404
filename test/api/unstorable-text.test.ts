// What the door refuses before any handler walks a body: NUL characters (PostgreSQL refuses them),
// lone surrogates (Temporal cannot carry them) and nesting deeper than any real body (a recursive
// walk would overflow the stack: a 500).
import { describe, expect, it } from 'vitest';
import { bodyFault, MAX_BODY_DEPTH } from '../../api/unstorable-text.js';
import { wellFormed } from '../../domain/unicode.js';

const nested = (depth: number, inner: unknown): unknown => {
  let value = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
};

describe('bodyFault', () => {
  it('finds nothing wrong in a real body', () => {
    expect(bodyFault({ reference: 'R-1', parties: { sponsor: 'x' }, household: { members: [{ name: 'A', age: 3 }] } })).toBeUndefined();
    expect(bodyFault(undefined)).toBeUndefined();
    expect(bodyFault(nested(MAX_BODY_DEPTH - 1, 'deep but allowed'))).toBeUndefined();
  });

  it('names the first field holding a NUL character, in a value or in a key', () => {
    expect(bodyFault({ a: 'fine', b: { c: ['x', 'y\u0000'] } })).toEqual({ kind: 'nul', field: 'b.c.1' });
    expect(bodyFault({ 'ke\u0000y': 1 })).toEqual({ kind: 'nul', field: 'ke\u0000y' });
    expect(bodyFault('\u0000')).toEqual({ kind: 'nul', field: '(body)' });
  });

  it('names a field holding half of a surrogate pair, and lets whole pairs (emoji) through', () => {
    expect(bodyFault(JSON.parse('{"gateId":"\\ud800"}'))).toEqual({ kind: 'lone-surrogate', field: 'gateId' });
    expect(bodyFault(JSON.parse('{"a":["ok","x\\udc00y"]}'))).toEqual({ kind: 'lone-surrogate', field: 'a.1' });
    expect(bodyFault({ reason: 'Familie komt 🙂 op 5 mei' })).toBeUndefined();
    expect(wellFormed('gate "\ud800" and 🙂')).toBe('gate "\ufffd" and 🙂');
  });

  it('refuses nesting deeper than any body SafeRoutes takes, however deep, without recursion', () => {
    expect(bodyFault(nested(MAX_BODY_DEPTH + 1, 1))?.kind).toBe('too-deep');
    const veryDeep = JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)) as unknown;
    expect(bodyFault(veryDeep)).toEqual({ kind: 'too-deep', field: Array.from({ length: MAX_BODY_DEPTH }, () => '0').join('.') });
  });
});
