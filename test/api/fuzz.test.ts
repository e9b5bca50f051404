// Bad input is always 4xx: property-based tests (fast-check) against every route the app's own
// OpenAPI document lists — real worker, PostgreSQL and Temporal, real tokens. Generated path
// parameters, query strings, JSON bodies (arbitrary ones, and mutations of a valid body per
// route), headers and callers never get a 5xx (every dependency is up here, so not even 503),
// never make the app throw, never hang; every 4xx on /v1 and /health is problem+json naming its own
// status, and a 400 for unstorable text (NUL, a lone surrogate) names a field that holds it.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueToken } from '../../usecases/tokens.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';

const template = builtInTemplates['community-sponsorship']!;
const NUL = '\u0000';

/**
 * Generated requests per route and per kind of input (each `it` runs every route). FUZZ_RUNS_SCALE=10
 * searches ten times longer; FUZZ_SEED=<seed> replays a reported run.
 */
const SCALE = Number(process.env.FUZZ_RUNS_SCALE ?? 1);
const RUNS = { path: 12, query: 12, json: 12, mutation: 25, headers: 15 } as const;
/** Longest any one answer may take (a workflow update waits at most 10 s, then answers 503). */
const ANSWER_WITHIN_MS = 15_000;

// ————————————————————————————————————————— routes, from the app's own OpenAPI document

interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As the document names it, e.g. `/v1/cases/{id}/gates/{gateId}/decision`. */
  path: string;
  key: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  hasBody: boolean;
  /** The body's example in the document, if it has one. */
  documentedExample: unknown;
}

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  example?: unknown;
  $ref?: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

function operationsOf(doc: OpenApiDocument): Operation[] {
  const resolve = (s: Schema | undefined) => (s?.$ref ? doc.components?.schemas?.[s.$ref.split('/').at(-1)!] : s);
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(byMethod)) {
      const method = m.toUpperCase() as Operation['method'];
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
      const params = op.parameters ?? [];
      ops.push({
        method,
        path,
        key: `${method} ${path}`,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
        hasBody: Boolean(op.requestBody),
        documentedExample: resolve(op.requestBody?.content?.['application/json']?.schema)?.example,
      });
    }
  }
  return ops;
}

// ————————————————————————————————————————— the world the requests act in

interface World {
  members: Record<string, Member>;
  parties: Record<string, string>;
  admin: Member;
  /** The case and programme the property runs use, and nothing else does. */
  caseId: string;
  programmeId: string;
  /** A token made only to be revoked by generated requests (the harness's tokens stay valid). */
  spareTokenId: string;
  /** Another municipality, so a reassignment can really apply. */
  otherMunicipality: string;
  gateIds: string[];
}

/** A valid body per route, written by hand; a route without one uses its documented example, else `{}`. */
const VALID_BODIES: Record<string, (w: World) => unknown> = {
  'POST /v1/cases': (w) => ({ reference: 'FUZZ-NEW', pathwayId: template.id, parties: w.parties, household: { principalName: 'A. Example', members: [{ name: 'B. Example', birthYear: 2015 }], needs: ['step-free access'] } }),
  'POST /v1/cases/{id}/gates/{gateId}/decision': () => ({ outcome: 'request_info', reason: 'please send the registration' }),
  'POST /v1/cases/{id}/gates/{gateId}/complete': () => ({ note: 'done' }),
  'POST /v1/cases/{id}/gates/{gateId}/offer': () => ({ address: 'Main street 1', rooms: 2, accessible: true, availableFrom: '2027-03-01', validUntil: '2027-02-01T12:00:00Z' }),
  'POST /v1/cases/{id}/gates/{gateId}/decline-request': () => ({ reason: 'no capacity this year' }),
  'POST /v1/cases/{id}/gates/{gateId}/accept': () => ({ offerId: '6f1c1e4e-8d0a-4d3c-9a55-1d5a4c0e2b11' }),
  'POST /v1/cases/{id}/gates/{gateId}/decline': () => ({ offerId: '6f1c1e4e-8d0a-4d3c-9a55-1d5a4c0e2b11', reason: 'too far from school' }),
  'POST /v1/cases/{id}/gates/{gateId}/publish': () => ({ title: 'Sponsorship agreement', text: 'We agree to support the household.' }),
  'POST /v1/cases/{id}/gates/{gateId}/sign': () => ({ version: 1 }),
  'POST /v1/cases/{id}/gates/{gateId}/request-changes': () => ({ comment: 'please change article 2' }),
  'POST /v1/cases/{id}/gates/{gateId}/checkin': () => ({ reportIndex: 0, report: 'all is well' }),
  'POST /v1/cases/{id}/nudge': () => ({ gateId: 'eligibility' }),
  'POST /v1/cases/{id}/extend': () => ({ gateId: 'eligibility', dueAt: '2027-06-30T12:00:00Z', reason: 'interview planned' }),
  'POST /v1/cases/{id}/reassign': (w) => ({ gateId: 'municipal-consent', organisationId: w.otherMunicipality, reason: 'capacity' }),
  'POST /v1/cases/{id}/hold': () => ({ reason: 'waiting for documents' }),
  'POST /v1/cases/{id}/resume': () => ({}),
  'POST /v1/cases/{id}/withdraw': () => ({ reason: 'the family withdrew' }),
  'POST /v1/programmes': (w) => ({
    name: 'Fuzz programme',
    pathway: template.id,
    quota: 5,
    coordinatorOrganisationId: w.parties.coordinator,
    mouSignatories: [w.parties.coordinator, w.parties.municipality],
    mouTime: { dueIn: '30 days', remindAt: ['14 days', '25 days'], escalateEvery: '7 days' },
  }),
  'POST /v1/programmes/{id}/agreement/publish': () => ({ title: 'MoU', url: 'https://example.org/mou.pdf' }),
  'POST /v1/programmes/{id}/agreement/sign': () => ({ version: 1 }),
  'POST /v1/programmes/{id}/agreement/request-changes': () => ({ comment: 'please change the quota' }),
  'POST /v1/programmes/{id}/pause': () => ({ reason: 'elections' }),
  'POST /v1/programmes/{id}/resume': () => ({}),
  'POST /v1/programmes/{id}/quota': () => ({ quota: 10 }),
  'POST /v1/programmes/{id}/close': () => ({ reason: 'the pilot ended' }),
  'POST /v1/organisations': () => ({ name: 'Fuzz municipality', kind: 'municipality' }),
  'POST /v1/people': (w) => ({ organisationId: w.parties.sponsor, name: 'Fuzz Person', email: `fuzz-${w.caseId.slice(0, 8)}@example.test`, role: 'sponsor', language: 'nl' }),
  'POST /v1/people/{id}/tokens': () => ({ label: 'fuzz' }),
};

const validBody = (op: Operation, w: World): unknown => VALID_BODIES[op.key]?.(w) ?? op.documentedExample ?? {};

/** The real ids a path parameter can take: the resource's own first, then any other. */
function realIds(op: Operation, param: string, w: World): string[] {
  if (param === 'gateId') return w.gateIds;
  const all = [w.caseId, w.programmeId, w.members.sponsor!.personId, w.spareTokenId, w.parties.coordinator!];
  const own = op.path.startsWith('/v1/cases/') ? w.caseId : op.path.startsWith('/v1/programmes/') ? w.programmeId : op.path.startsWith('/v1/people/') ? w.members.sponsor!.personId : op.path.startsWith('/v1/tokens/') ? w.spareTokenId : undefined;
  return own ? [own, own, own, ...all] : all;
}

// ————————————————————————————————————————— generators

/** Stands for JSON nested this deep (arrays, or objects): too deep to build and stringify as a value. */
const DEEP = (depth: number, kind: 'array' | 'object') => `@@deep-${kind}-${depth}@@`;
const deepJson = (text: string) =>
  text.replace(/"@@deep-(array|object)-(\d+)@@"/g, (_, kind: string, n: string) =>
    kind === 'array' ? '['.repeat(Number(n)) + ']'.repeat(Number(n)) : '{"a":'.repeat(Number(n)) + '1' + '}'.repeat(Number(n)),
  );

const SPECIAL_STRINGS = [
  '', ' ', '\t', NUL, `a${NUL}b`, '%00', '..', '../..', '.', '/', '%', '%zz', '%2F', '?', '#', '\\', '+', '&',
  'null', 'undefined', 'true', '[]', '{}', '0', '-1', '-0', '1.5', '1e308', '-1e308', '1e-400', 'NaN', 'Infinity', '-Infinity',
  '99999999999999999999', '9007199254740993', '0x10', '01',
  '2026-13-45', '2026-02-30', '2025-02-29', '2024-02-29', '0000-00-00', '2026-13-45T25:61:61Z', '2026-13-45 25:61:61+00',
  '0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59.999999+14:00', '2026-06-01T12:00:00-23:59',
  '2026-12-31T23:59:60Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z', '2026-06-01T12:00:00',
  '99999999999999999999 days', '9007199254740993 months', '1 second', '0 days',
  'ünïcødé', '🙂', '👨‍👩‍👧‍👦', '\u202e', '\ufeff', '\u2028', 'Ω≈ç√', '𝕏', 'نص', '中文', '\ud800', '\udfff',
  '<script>alert(1)</script>', "' OR 1=1 --", '${x}', '{{x}}', '__proto__', 'constructor', 'toString',
  'eligibility', 'housing', 'community-sponsorship', 'https://example.org', 'javascript:alert(1)', 'file:///etc/passwd',
];

const longString = fc
  .tuple(fc.constantFrom(10_000, 20_001, 70_000), fc.constantFrom('x', 'é', '🙂', ' ', `a${NUL}`))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));

const withNul = fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `${a}${NUL}${b}`);

const weirdString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SPECIAL_STRINGS), weight: 5 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: longString, weight: 1 },
  { arbitrary: withNul, weight: 2 },
  { arbitrary: fc.uuid(), weight: 1 },
);

const weirdNumber = fc.oneof(
  fc.constantFrom(1e308, -1e308, -1, 0, -0, 1.5, -0.5, 2 ** 31, 2 ** 53 + 2, 1e21, 5e-324, 100_001, 1_000_001, 20_000, 2101, 1899),
  fc.integer(),
  fc.double(),
);

const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: weirdString, weight: 6 },
  { arbitrary: weirdNumber, weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [[[[[]]]]], [null], [''], { '': NUL }, [NUL]), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.constantFrom(DEEP(6000, 'array'), DEEP(6000, 'object'), DEEP(60_000, 'array')), weight: 1 },
);

const weirdKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '', NUL, `k${NUL}`, 'gateId', 'actor', 'id', '🙂', 'x'.repeat(10_000)), fc.string({ maxLength: 12 }));

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const year = fc.oneof(fc.constantFrom(1, 1899, 1900, 1969, 1970, 2024, 2026, 2027, 2038, 2100, 9999), fc.integer({ min: 0, max: 9_999 }));
const calendarDate = fc.record({ y: year, mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) }).map(({ y, mo, d }) => `${pad(y, 4)}-${pad(mo)}-${pad(d)}`);

/** Values of the same form as a valid one, that a schema may let through: the domain must cope. */
const variants = fc.record({
  dateTime: fc.oneof(
    fc
      .record({ date: calendarDate, h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }), frac: fc.constantFrom('', '.5', '.999999', '.123456789'), off: fc.constantFrom('Z', '+00:00', '+14:00', '-12:00', '+23:59', '-23:59', '+05:30') })
      .map(({ date, h, mi, s, frac, off }) => `${date}T${pad(h)}:${pad(mi)}:${pad(s)}${frac}${off}`),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  ),
  date: fc.oneof(calendarDate, fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))),
  duration: fc
    .tuple(fc.oneof(fc.integer({ min: 0, max: 1_000 }), fc.constantFrom('99999999999999999999', '9007199254740993', '1000000000', '01')), fc.constantFrom('second', 'seconds', 'minute', 'hours', 'day', 'days', 'weeks', 'month', 'months', 'year'))
    .map(([n, unit]) => `${n} ${unit}`),
  id: fc.uuid(),
  number: weirdNumber,
  text: weirdString,
  count: fc.constantFrom(0, 1, 11, 21, 51, 61, 1_000),
});

/** One change to a valid body: `at` picks a place in it (modulo the number of places). */
interface Mutation {
  at: number;
  op: 'set' | 'vary' | 'delete' | 'add-key' | 'wrap-in-array';
  key: string;
  value: unknown;
  variant: { dateTime: string; date: string; duration: string; id: string; number: number; text: string; count: number };
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('set', 'set', 'set', 'vary', 'vary', 'vary', 'delete', 'add-key', 'wrap-in-array'),
  key: weirdKey,
  value: weirdValue,
  variant: variants,
});

function variantOf(here: unknown, v: Mutation['variant']): unknown {
  if (typeof here === 'number') return v.number;
  if (typeof here === 'boolean') return !here;
  if (Array.isArray(here)) return Array.from({ length: v.count }, () => structuredClone(here[0] ?? null));
  if (typeof here !== 'string') return {};
  if (/^\d{4}-\d{2}-\d{2}T/.test(here)) return v.dateTime;
  if (/^\d{4}-\d{2}-\d{2}$/.test(here)) return v.date;
  if (/^\d+ [a-z]+$/.test(here)) return v.duration;
  if (/^[0-9a-f-]{36}$/i.test(here)) return v.id;
  return v.text;
}

type Path = (string | number)[];

function placesIn(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => placesIn(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) placesIn(v, [...at, k], out);
  return out;
}

function mutate(valid: unknown, mutations: Mutation[]): unknown {
  let body: unknown = structuredClone(valid);
  for (const { value: shared, ...rest } of mutations) {
    // Generated values may be shared between runs (constants): change only copies.
    const m = { ...rest, value: structuredClone(shared) };
    const places = placesIn(body);
    const place = places[m.at % places.length]!;
    const get = (p: Path) => p.reduce<any>((v, k) => v?.[k], body);
    // As own properties, even '__proto__' (which plain assignment would take for the prototype).
    const own = (o: object, k: string | number, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    const set = (p: Path, v: unknown) => {
      if (p.length === 0) body = v;
      else own(get(p.slice(0, -1)), p.at(-1)!, v);
    };
    const here = get(place);
    switch (m.op) {
      case 'set':
        set(place, m.value);
        break;
      case 'vary':
        set(place, variantOf(here, m.variant));
        break;
      case 'delete': {
        if (place.length === 0) body = {};
        else {
          const parent = get(place.slice(0, -1));
          if (Array.isArray(parent)) parent.splice(place.at(-1) as number, 1);
          else delete parent[place.at(-1)!];
        }
        break;
      }
      case 'add-key':
        if (Array.isArray(here)) here.push(m.value);
        else if (here && typeof here === 'object') own(here, m.key, m.value);
        else set(place, { [m.key]: m.value });
        break;
      case 'wrap-in-array':
        set(place, [here]);
        break;
    }
  }
  return body;
}

const RAW_BODIES = [
  '', ' ', '{', '}', '{"a":', '[', 'nul', 'null', 'true', '0', '"x"', '[]', '{}', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}',
  NUL, `"${NUL}"`, '"\\u0000"', '{"reason":"\\u0000"}', '{"\\u0000":1}', '\ufeff{}', '{"a":"\\ud800"}', '{"a":1e999}', '{"a":-0}',
  '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}',
  '['.repeat(6000) + ']'.repeat(6000), '{"a":'.repeat(6000) + '1' + '}'.repeat(6000), '['.repeat(100_000) + ']'.repeat(100_000),
  '['.repeat(6000), JSON.stringify({ reason: 'x'.repeat(300_000) }), 'x'.repeat(300_000), 'reason=hello&gateId=eligibility', '<xml/>',
];

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/problem+json', 'application/merge-patch+json',
  'application/json-seq', 'application/jsonx', 'application/json; charset=latin1', 'application/json;;;', 'application/json, text/plain',
  'text/plain', 'text/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'json', '*/*', '',
];

/** A header value as a server receives it: UTF-8 bytes, one character each; no NUL, CR or LF (unsendable). */
const onTheWire = (value: string) => Buffer.from(value.replace(/[\0\r\n]/g, ''), 'utf8').toString('latin1');

const idempotencyKey = fc.oneof(
  fc.uuid(),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.constantFrom('', ' ', 'a b', ' key ', '\tkey', 'ключ', '🙂', 'é', 'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(10_000), '%00', 'null'),
  weirdString,
);

// ————————————————————————————————————————— requests, answers and checks

type Caller = 'coordinator' | 'sponsor' | 'municipality' | 'immigration' | 'iom' | 'admin' | '(no token)' | '(unknown token)' | '(malformed authorization)';

const caller = (weightOthers: number): fc.Arbitrary<Caller> =>
  fc.oneof(
    { arbitrary: fc.constant<Caller>('coordinator'), weight: 10 },
    { arbitrary: fc.constantFrom<Caller>('sponsor', 'municipality', 'immigration', 'iom', 'admin'), weight: weightOthers },
    { arbitrary: fc.constantFrom<Caller>('(no token)', '(unknown token)', '(malformed authorization)'), weight: Math.max(1, weightOthers - 1) },
  );

type Body = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; text: string };

interface Spec {
  op: Operation;
  params: Record<string, string>;
  query: [string, string][];
  body: Body;
  headers: Record<string, string>;
  caller: Caller;
  authorization?: string;
}

interface Built {
  method: string;
  url: string;
  headers: Headers;
  body?: string;
}

function encodeSegment(value: string, raw: boolean): string {
  if (raw) return value;
  try {
    return encodeURIComponent(value);
  } catch {
    return value; // a lone surrogate: sent as it is (the URL parser makes it U+FFFD)
  }
}

function bodyText(body: Body): string | undefined {
  if (body.kind === 'none') return undefined;
  if (body.kind === 'raw') return body.text;
  return deepJson(JSON.stringify(body.value) ?? '');
}

const show = (s: string, max = 160) => (s.length > max ? `${JSON.stringify(s.slice(0, max))}… (${s.length} chars)` : JSON.stringify(s));

function describeSpec(s: Spec, built?: Built): string {
  const b = bodyText(s.body);
  return [
    `${s.op.method} ${built ? show(built.url, 300) : s.op.path} as ${s.caller}${s.caller === '(malformed authorization)' ? ` ${show(s.authorization ?? '', 80)}` : ''}`,
    `params ${Object.entries(s.params).map(([k, v]) => `${k}=${show(v, 80)}`).join(' ') || '-'}`,
    `query ${s.query.map(([k, v]) => `${show(k, 40)}=${show(v, 80)}`).join(' ') || '-'}`,
    `headers ${Object.entries(s.headers).map(([k, v]) => `${k}: ${show(v, 80)}`).join('; ') || '-'}`,
    `body ${b === undefined ? '-' : show(b, 400)}`,
  ].join('\n  ');
}

/**
 * Every string (and object key) of a JSON body as the app parses it, with its dotted place;
 * undefined when it is not JSON. Iterative: bodies are nested far deeper than the stack allows.
 */
function textsOf(body: string): { at: string; text: string }[] | undefined {
  let parsed: unknown;
  try {
    // As the app reads it: UTF-8 on the wire (a lone surrogate becomes U+FFFD), BOM dropped.
    parsed = JSON.parse(new TextDecoder().decode(new TextEncoder().encode(body)));
  } catch {
    return undefined;
  }
  const texts: { at: string; text: string }[] = [];
  const stack: [unknown, string][] = [[parsed, '']];
  while (stack.length) {
    const [value, at] = stack.pop()!;
    if (typeof value === 'string') texts.push({ at: at || '(body)', text: value });
    else if (Array.isArray(value)) value.forEach((v, i) => stack.push([v, at ? `${at}.${i}` : String(i)]));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const here = at ? `${at}.${k}` : k;
        texts.push({ at: here, text: k });
        stack.push([v, here]);
      }
    }
  }
  return texts;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every field the app may name for unstorable text (NUL, a lone surrogate) in this request (see api/unstorable-text.ts). */
function unstorableFields(built: Built): Set<string> {
  const fields = new Set<string>();
  const url = new URL(built.url, 'http://localhost');
  if (url.pathname.includes('%00')) fields.add('path');
  // Hono drops a parameter without a name (`?=x`): the app never sees it.
  for (const [k, v] of url.searchParams) if (k !== '' && (k.includes(NUL) || v.includes(NUL))) fields.add(`query.${k}`);
  if (built.body !== undefined && /json/i.test(built.headers.get('content-type') ?? '')) {
    for (const { at, text } of textsOf(built.body) ?? []) if (text.includes(NUL) || LONE_SURROGATE.test(text)) fields.add(at);
  }
  return fields;
}

describe('bad input is always 4xx (property-based, every route of the OpenAPI document)', () => {
  const h = useApi('fuzz');
  let w: World;
  let operations: Operation[];
  const tokens = new Map<string, string>();
  const statuses = new Map<string, Map<number, number>>();
  const serverErrors: string[] = [];
  const timeSpent = new Map<string, number>();
  /** The request during which the worker stopped, if it did. */
  let workerStopped: string | undefined;
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  let restoreConsole: (() => void) | undefined;

  beforeAll(async () => {
    // What the app logs for an unexpected error (api/errors.ts) goes into the failure message.
    const original = console.error.bind(console);
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      serverErrors.push(args.map(String).join(' '));
      original(...args);
    });
    restoreConsole = () => spy.mockRestore();
    process.on('unhandledRejection', onUncaught);
    process.on('uncaughtException', onUncaught);

    const { members, parties } = await createParties(h.sql, template);
    const adminOrg = await createOrganisation(h.sql, 'coordinator', 'en', 'fuzz-admin');
    const [person] = await h.sql<{ id: string }[]>`
      INSERT INTO people (organisation_id, name, email, role) VALUES (${adminOrg.organisationId}, 'Fuzz Admin', ${`admin-${adminOrg.organisationId}@example.test`}, 'admin') RETURNING id`;
    const admin: Member = { ...adminOrg, personId: person!.id, actor: { ...adminOrg.actor, personId: person!.id, role: 'admin' } };
    const otherMunicipality = (await createOrganisation(h.sql, 'municipality', 'en', 'fuzz-other-municipality')).organisationId;

    w = {
      members,
      parties,
      admin,
      caseId: '',
      programmeId: '',
      spareTokenId: (await issueToken(h.sql, members.sponsor!.personId, 'fuzz: to be revoked')).id,
      otherMunicipality,
      gateIds: template.stages.flatMap((s) => s.gates.map((g) => g.id)),
    };
    for (const m of [...Object.entries(members), ['admin', admin] as const]) tokens.set(m[0], (await issueToken(h.sql, m[1].personId, 'fuzz')).token);
    operations = operationsOf(h.app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } }) as unknown as OpenApiDocument);
  });

  afterAll(() => {
    if (workerStopped) {
      // A worker stopped by a workflow task it could not complete never finishes draining: do not
      // let the harness wait for it for ever.
      const stuck = h.worker;
      h.worker = { ...stuck, stop: () => Promise.race([stuck.stop(), new Promise<void>((r) => setTimeout(r, 5_000))]) };
    }
    restoreConsole?.();
    process.off('unhandledRejection', onUncaught);
    process.off('uncaughtException', onUncaught);
    const total = new Map<number, number>();
    for (const byStatus of statuses.values()) for (const [s, n] of byStatus) total.set(s, (total.get(s) ?? 0) + n);
    console.log(`[fuzz] ${[...total.values()].reduce((a, b) => a + b, 0)} requests on ${statuses.size} routes; answers ${JSON.stringify(Object.fromEntries([...total].sort((a, b) => a[0] - b[0])))}`);
    const slowest = [...timeSpent].sort((a, b) => b[1] - a[1]).slice(0, 4);
    console.log(`[fuzz] slowest routes (total ms): ${slowest.map(([k, ms]) => `${k} ${Math.round(ms)}`).join(', ')}`);
  });

  /**
   * A real case and a real programme, opened through the API, for the property runs only. Each
   * kind of input gets new ones: generated valid bodies really apply (a withdrawal, a closure).
   */
  async function openTargets(label: string) {
    const coordinator = w.members.coordinator!;
    const opened = await h.call(coordinator, 'POST', '/v1/cases', { reference: `FUZZ-${label}`, pathwayId: template.id, parties: w.parties, household: { principalName: 'A. Example' } });
    expect(opened.status).toBe(201);
    const programme = await h.call(coordinator, 'POST', '/v1/programmes', {
      name: `Fuzz ${label}`,
      pathway: template.id,
      quota: 3,
      coordinatorOrganisationId: w.parties.coordinator,
      mouSignatories: [w.parties.coordinator, w.parties.municipality],
    });
    expect(programme.status).toBe(201);
    w.caseId = ((await opened.json()) as { id: string }).id;
    w.programmeId = ((await programme.json()) as { id: string }).id;
  }

  function build(s: Spec): Built {
    let path = s.op.path;
    for (const name of s.op.pathParams) path = path.replace(`{${name}}`, s.params[name]!);
    const query = s.query.length ? `?${new URLSearchParams(s.query).toString()}` : '';
    const headers = new Headers();
    const token =
      s.caller === '(no token)' ? undefined : s.caller === '(unknown token)' ? `Bearer sr_${'A'.repeat(43)}` : s.caller === '(malformed authorization)' ? s.authorization : `Bearer ${tokens.get(s.caller)}`;
    if (token !== undefined) headers.set('authorization', onTheWire(token));
    const body = s.op.method === 'GET' ? undefined : bodyText(s.body);
    if (body !== undefined) headers.set('content-type', 'application/json');
    for (const [k, v] of Object.entries(s.headers)) {
      if (v === '(absent)') headers.delete(k);
      else headers.set(k, onTheWire(v));
    }
    return { method: s.op.method, url: path + query, headers, body };
  }

  async function send(built: Built): Promise<Response> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
    });
    try {
      return await Promise.race([h.app.request(built.url, { method: built.method, headers: built.headers, body: built.body }), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends the request and checks the answer; throws (so fast-check shrinks) on a broken promise. */
  async function check(s: Spec): Promise<void> {
    // The worker stopped during an earlier run of this property: its state is broken, so the runs
    // fast-check tries while shrinking would blame innocent requests. The failure already names the culprit.
    if (workerStopped) return;
    const built = build(s);
    const logged = serverErrors.length;
    let response: Response;
    const started = performance.now();
    try {
      response = await send(built);
    } catch (error) {
      throw new Error(`the app threw instead of answering: ${(error as Error).stack}\n  ${describeSpec(s, built)}`);
    }
    const text = await response.text();
    timeSpent.set(s.op.key, (timeSpent.get(s.op.key) ?? 0) + performance.now() - started);
    const byStatus = statuses.get(s.op.key) ?? new Map<number, number>();
    byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
    statuses.set(s.op.key, byStatus);
    const context = () =>
      `\n  ${describeSpec(s, built)}\n  → ${response.status} ${response.headers.get('content-type')} ${show(text, 600)}` +
      (serverErrors.length > logged ? `\n  server: ${serverErrors.slice(logged).join('\n  server: ')}` : '');
    if (h.worker.worker.getState() !== 'RUNNING') {
      workerStopped = `${describeSpec(s, built)}\n  → ${response.status} ${show(text, 300)}`;
      throw new Error(`the worker stopped (${h.worker.worker.getState()}) during this request — see its "Core reported failure" log above; every case stops moving:${context()}`);
    }

    if (response.status >= 500) throw new Error(`5xx for generated input:${context()}`);
    const pathname = new URL(built.url, 'http://localhost').pathname;
    // Only the API promises problem+json; a path that normalises outside it ('..') reaches the web pages.
    if (!(pathname.startsWith('/v1/') || pathname.startsWith('/health'))) return;
    const nul = pathname.startsWith('/v1/') ? unstorableFields(built) : new Set<string>();
    // PostgreSQL cannot store a NUL, nor Temporal carry a lone surrogate: a request holding one is never accepted.
    expect(response.status < 400 && nul.size > 0, `accepted unstorable text (${[...nul].map((f) => show(f, 40)).join(', ')}):${context()}`).toBe(false);
    if (response.status < 400) return;
    expect(response.headers.get('content-type'), `4xx not problem+json:${context()}`).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(text) as { status?: unknown; title?: unknown; errors?: { field?: unknown; message?: unknown }[] };
    expect(problem.status, `problem status:${context()}`).toBe(response.status);
    expect(typeof problem.title === 'string' && problem.title.length > 0, `problem title:${context()}`).toBe(true);
    if (response.status === 400 && nul.size > 0) {
      // Refused at the door, before any schema, naming a field (the NUL, or another fault found first).
      const errors = problem.errors ?? [];
      expect(errors.length > 0 && errors.every((e) => typeof e.field === 'string' && e.field.length > 0), `a 400 for a NUL character must name the field:${context()}`).toBe(true);
      for (const e of errors.filter((e) => typeof e.message === 'string' && /\bNUL\b|surrogate/.test(e.message))) {
        expect(nul.has(e.field as string), `the field named for unstorable text holds none (it is in ${[...nul].map((f) => show(f, 40)).join(', ')}):${context()}`).toBe(true);
      }
    }
  }

  /** Real path parameters, the declared query left out, a valid body, the coordinator. */
  function specArb(op: Operation, parts: { params?: fc.Arbitrary<Record<string, string>>; query?: fc.Arbitrary<[string, string][]>; body?: fc.Arbitrary<Body>; headers?: fc.Arbitrary<Record<string, string>>; caller?: fc.Arbitrary<Caller> }): fc.Arbitrary<Spec> {
    const real = fc.record(Object.fromEntries(op.pathParams.map((p) => [p, fc.constantFrom(...realIds(op, p, w).slice(0, 1))]))) as fc.Arbitrary<Record<string, string>>;
    const noBody: Body = { kind: 'none' };
    return fc
      .record({
        params: parts.params ?? real,
        query: parts.query ?? fc.constant<[string, string][]>([]),
        body: parts.body ?? fc.constant<Body>(op.hasBody ? { kind: 'json', value: validBody(op, w) } : noBody),
        headers: parts.headers ?? fc.constant({}),
        caller: parts.caller ?? caller(2),
        authorization: fc.oneof(fc.constantFrom('Bearer', 'Bearer ', 'Bearer a b', 'Basic dXNlcjpwYXNz', 'bearer', 'Token x', 'Bearer 🙂', 'Bearer ' + 'x'.repeat(10_000)), fc.string({ maxLength: 30 })),
      })
      .map((s) => {
        const spec: Spec = { op, ...s };
        return Object.assign(spec, { [fc.toStringMethod]: () => describeSpec(spec) });
      });
  }

  const pathParams = (op: Operation) =>
    fc.record(
      Object.fromEntries(
        op.pathParams.map((p) => [
          p,
          fc.oneof(
            { arbitrary: fc.constantFrom(...realIds(op, p, w)), weight: 2 },
            { arbitrary: fc.uuid(), weight: 1 },
            { arbitrary: fc.tuple(fc.oneof(weirdString, fc.constantFrom('%00', '..', '.', '%2e%2e', '%2F', 'a/b', '%', '%zz', '%%')), fc.boolean()).map(([v, raw]) => encodeSegment(v, raw)), weight: 4 },
            { arbitrary: fc.constantFrom(...realIds(op, p, w)).map((id) => id.toUpperCase()), weight: 1 },
            { arbitrary: fc.constantFrom(...realIds(op, p, w)).map((id) => `${id} `), weight: 1 },
          ),
        ]),
      ),
    ) as fc.Arbitrary<Record<string, string>>;

  /** A value for a declared query parameter: mostly plausible, often not. */
  function queryValue(op: Operation, schema: Schema): fc.Arbitrary<string> {
    const plausible: fc.Arbitrary<string>[] = [];
    if (schema.enum?.length) plausible.push(fc.constantFrom(...schema.enum.map(String)));
    if (schema.type === 'integer' || schema.type === 'number')
      plausible.push(fc.integer({ min: Math.max(-1, Math.trunc(schema.minimum ?? -1) - 1), max: Math.min(1_000, Math.trunc(schema.maximum ?? 1_000) + 1) }).map(String));
    if (schema.format === 'uuid') plausible.push(fc.constantFrom(w.programmeId, w.caseId), fc.uuid());
    plausible.push(fc.constantFrom('housing', 'eligibility', 'true', 'false', ''));
    const timestamp = fc
      .record({ y: fc.integer({ min: 0, max: 10_000 }), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }), h: fc.integer({ min: 0, max: 25 }), mi: fc.integer({ min: 0, max: 61 }), s: fc.integer({ min: 0, max: 61 }), off: fc.constantFrom('+00', 'Z', '+15:59', '-16', '+99:99', '') })
      .map(({ y, mo, d, h, mi, s, off }) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')} ${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}${off}`);
    const cursor = fc
      .record({ createdAt: fc.oneof(timestamp, weirdString), id: fc.oneof(fc.uuid(), fc.constantFrom(w.caseId), weirdString) })
      .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url'));
    return fc.oneof(
      { arbitrary: fc.oneof(...plausible), weight: 3 },
      { arbitrary: weirdString, weight: 3 },
      { arbitrary: fc.constantFrom('99999999999999999999', '-1', '-0', '1.5', '1e308', 'NaN', 'Infinity', '0x10', ' 1', '1 ', '9007199254740993', String(Number.MAX_SAFE_INTEGER)), weight: 2 },
      { arbitrary: cursor, weight: op.query.some((q) => q.name === 'cursor') ? 2 : 0 },
      { arbitrary: fc.base64String({ maxLength: 60 }), weight: 1 },
    );
  }

  const queryString = (op: Operation) =>
    fc
      .tuple(
        fc.tuple(...op.query.map((q) => fc.option(queryValue(op, q.schema).map((v): [string, string] => [q.name, v]), { nil: undefined }))),
        fc.array(fc.tuple(fc.oneof(fc.constantFrom(...op.query.map((q) => q.name), '__proto__', 'constructor', 'limit', 'cursor', NUL, ''), fc.string({ maxLength: 10 })), fc.oneof(weirdString, fc.constantFrom('1', 'true'))), { maxLength: 3 }),
      )
      .map(([declared, extra]) => [...declared.filter((d): d is [string, string] => d !== undefined), ...extra]);

  /** Runs one property per route, so that every route gets its share of runs. */
  async function everyRoute(label: string, runs: number, which: (op: Operation) => boolean, arb: (op: Operation) => fc.Arbitrary<Spec>) {
    if (workerStopped) throw new Error(`not run: the worker stopped earlier, during\n  ${workerStopped}`);
    await openTargets(label);
    const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
    const covered = operations.filter(which);
    expect(covered.length).toBeGreaterThan(0);
    for (const op of covered) {
      await fc.assert(
        fc.asyncProperty(arb(op), (s) => check(s)),
        { numRuns: Math.max(1, Math.round(runs * SCALE)), ...(seed !== undefined ? { seed } : {}) },
      );
    }
    expect(uncaught, 'nothing thrown outside a request').toEqual([]);
  }

  it('the routes come from the OpenAPI document: every /v1 path and method, and /health', () => {
    const keys = operations.map((o) => o.key);
    expect(keys).toEqual(expect.arrayContaining(['GET /health', 'GET /health/live', 'GET /health/ready']));
    expect(keys).toContain('POST /v1/cases/{id}/gates/{gateId}/decision');
    expect(keys).toContain('POST /v1/tokens/{id}/revoke');
    expect(operations.every((o) => o.path === '/health' || o.path.startsWith('/health/') || o.path.startsWith('/v1/'))).toBe(true);
    expect(operations.length).toBeGreaterThanOrEqual(37);
  });

  it('path parameters: real ids, random uuids, unicode, %00, .., very long strings', async () => {
    await everyRoute('path', RUNS.path, (op) => op.pathParams.length > 0, (op) => specArb(op, { params: pathParams(op) }));
  });

  it('query strings: the declared parameters and extra ones, with NUL, huge, negative and fractional numbers, impossible dates, unicode, forged cursors', async () => {
    await everyRoute('query', RUNS.query, () => true, (op) => specArb(op, { query: queryString(op) }));
  });

  it('arbitrary JSON bodies, and every field of a valid body given a value of another kind', async () => {
    await everyRoute(
      'json',
      RUNS.json,
      (op) => op.method !== 'GET',
      (op) => {
        const valid = validBody(op, w);
        const fieldsOfValid = valid && typeof valid === 'object' && !Array.isArray(valid) ? Object.keys(valid) : [];
        const json = fc.oneof(
          fc.jsonValue(),
          fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withDate: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true }),
          fc.dictionary(weirdKey, weirdValue, { maxKeys: 4 }),
          fc.record(Object.fromEntries(fieldsOfValid.map((k) => [k, weirdValue]))),
        );
        return specArb(op, { body: json.map((value): Body => ({ kind: 'json', value })) });
      },
    );
  });

  it('mutations of a valid body: NUL inside strings, 10,000+ characters, 1e308, -1, 1.5, "NaN", nested arrays, nulls, wrong types, extra keys, deep nesting', async () => {
    await everyRoute(
      'mutation',
      RUNS.mutation,
      (op) => op.hasBody,
      (op) =>
        specArb(op, {
          body: fc.array(mutation, { minLength: 1, maxLength: 3 }).map((ms): Body => ({ kind: 'json', value: mutate(validBody(op, w), ms) })),
          headers: fc.option(idempotencyKey.map((k) => ({ 'idempotency-key': k })), { nil: {} }),
        }),
    );
  });

  it('headers, raw bodies and callers: Idempotency-Key with spaces, unicode or 10,000 characters; content types; malformed JSON; other roles and no token', async () => {
    await everyRoute(
      'headers',
      RUNS.headers,
      () => true,
      (op) =>
        specArb(op, {
          caller: caller(6),
          headers: fc
            .record({ 'idempotency-key': fc.option(idempotencyKey, { nil: undefined }), 'content-type': fc.option(fc.constantFrom(...CONTENT_TYPES, '(absent)'), { nil: undefined }), accept: fc.option(fc.constantFrom('application/json', 'text/html', '*/*', ''), { nil: undefined }) })
            .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, string>),
          ...(op.method === 'GET'
            ? {}
            : {
                body: fc.oneof(
                  { arbitrary: fc.constant<Body>({ kind: 'json', value: validBody(op, w) }), weight: 3 },
                  { arbitrary: fc.constantFrom(...RAW_BODIES).map((text): Body => ({ kind: 'raw', text })), weight: 3 },
                  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((text): Body => ({ kind: 'raw', text })), weight: 1 },
                  { arbitrary: fc.constant<Body>({ kind: 'none' }), weight: 1 },
                ),
              }),
        }),
    );
  });

  describe('specific answers', () => {
    let otherCase: string;
    beforeAll(async () => {
      // Its own case: the property runs' case is used by nothing else.
      const opened = await h.call(w.members.coordinator!, 'POST', '/v1/cases', { reference: 'FUZZ-SPECIFIC', pathwayId: template.id, parties: w.parties, household: { principalName: 'P' } });
      expect(opened.status).toBe(201);
      otherCase = ((await opened.json()) as { id: string }).id;
    });

    it("a NUL in a decision's reason answers 400 naming `reason`", async () => {
      const r = await h.call(w.members.coordinator!, 'POST', `/v1/cases/${otherCase}/gates/eligibility/decision`, { outcome: 'reject', reason: `not${NUL}eligible` });
      expect(r.status).toBe(400);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await r.json()).toMatchObject({ status: 400, title: 'Invalid input', errors: [{ field: 'reason' }] });
      // Nothing was decided.
      const c = (await (await h.call(w.members.coordinator!, 'GET', `/v1/cases/${otherCase}`)).json()) as { state: { stage: { id: string } } };
      expect(c.state.stage.id).toBe('eligibility');
    });

    it('half a surrogate pair answers 400 naming the field, opens nothing, and leaves the worker running', async () => {
      const nudge = await h.app.request(`/v1/cases/${otherCase}/nudge`, { method: 'POST', headers: { authorization: `Bearer ${tokens.get('coordinator')}`, 'content-type': 'application/json' }, body: '{"gateId":"\\ud800"}' });
      expect(nudge.status).toBe(400);
      expect(await nudge.json()).toMatchObject({ status: 400, errors: [{ field: 'gateId', message: expect.stringMatching(/surrogate/) }] });
      const opened = await h.app.request('/v1/cases', {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get('coordinator')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ reference: 'FUZZ-SURROGATE', pathwayId: template.id, parties: w.parties, household: { principalName: 'P' } }).replace('FUZZ-SURROGATE', 'FUZZ-\\udc00'),
      });
      expect(opened.status).toBe(400);
      expect(await opened.json()).toMatchObject({ errors: [{ field: 'reference' }] });
      expect(h.worker.worker.getState()).toBe('RUNNING');
    });

    it('a list cursor that decodes to an impossible date answers 400 naming `cursor`', async () => {
      const cursor = Buffer.from(JSON.stringify({ createdAt: '2026-13-45 25:61:61+00', id: otherCase })).toString('base64url');
      const r = await h.call(w.members.coordinator!, 'GET', `/v1/cases?cursor=${cursor}`);
      expect(r.status).toBe(400);
      expect(await r.json()).toMatchObject({ status: 400, errors: [{ field: 'cursor' }] });
    });

    it('`after=99999999999999999999` on the timeline answers 400', async () => {
      const r = await h.call(w.members.coordinator!, 'GET', `/v1/cases/${otherCase}/timeline?after=99999999999999999999`);
      expect(r.status).toBe(400);
      const p = (await r.json()) as { status: number; title: string; errors: { field: string }[] };
      expect(p).toMatchObject({ status: 400, title: 'Invalid input' });
      expect(p.errors.map((e) => e.field)).toContain('after');
    });
  });
});
