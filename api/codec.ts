/**
 * A codec endpoint for the Temporal Web UI (its "remote codec") and the `temporal` CLI
 * (`--codec-endpoint`): it decrypts payloads, which hold case data, so it answers only when all of
 * these hold, and is not there at all unless UI_CODEC_ORIGIN is set:
 * - the request names this API as its Host (a page that rebinds its own name to this machine's
 *   address sends its own name, and gets nothing);
 * - a browser's request comes from the configured UI origin;
 * - the caller is an operator: either it knows the secret in the path the UI was configured with
 *   (`/codec/<UI_CODEC_SECRET>/decode`; `npm start` makes one for its own UI at every start), or it
 *   sends an admin's API token (`temporal … --codec-auth "Bearer <token>"`).
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Sql } from '../infra/db.js';
import { callerOfToken } from '../usecases/tokens.js';
import { problem } from './problem.js';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

export interface UiCodecOptions {
  codec: PayloadCodec;
  /** The Temporal Web UI's origin, e.g. http://127.0.0.1:8233. */
  uiOrigin: string;
  /** The path secret the UI's codec endpoint carries; without one, only admin tokens are let in. */
  secret?: string;
  /** The Host values that name this API (its public URL's, and loopback with its port). */
  hosts: string[];
}

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export function codecRoutes(sql: Sql, options: UiCodecOptions) {
  const app = new Hono();
  const hosts = new Set(options.hosts.map((h) => h.toLowerCase()));
  app.use('/codec/*', cors({ origin: options.uiOrigin, allowHeaders: ['content-type', 'x-namespace', 'authorization'], allowMethods: ['POST', 'OPTIONS'] }));

  /** Why this request may not use the codec, or undefined when it may. */
  async function refusal(c: Context, secret: string | undefined): Promise<Response | undefined> {
    if (!hosts.has((c.req.header('host') ?? '').toLowerCase())) return problem(c, 403, 'Host not allowed', 'The codec answers only requests addressed to this API by its own name.');
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== options.uiOrigin) return problem(c, 403, 'Origin not allowed', 'The codec answers only the configured Temporal Web UI.');
    if (secret !== undefined && options.secret && sameSecret(secret, options.secret)) return undefined;
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const caller = token ? await callerOfToken(sql, token) : undefined;
    if (caller?.role === 'admin') return undefined;
    c.header('WWW-Authenticate', 'Bearer');
    return problem(c, caller ? 403 : 401, 'Operators only', 'Decrypting payloads needs the codec secret the Temporal Web UI was given, or an admin API token.');
  }

  for (const direction of ['decode', 'encode'] as const) {
    const serve = async (c: Context, secret: string | undefined) => {
      const refused = await refusal(c, secret);
      if (refused) return refused;
      const body = (await c.req.json().catch(() => ({}))) as { payloads?: JsonPayload[] };
      const payloads = await options.codec[direction]((body.payloads ?? []).map(fromJson));
      return c.json({ payloads: payloads.map(toJson) });
    };
    app.post(`/codec/${direction}`, (c) => serve(c, undefined));
    app.post(`/codec/:secret/${direction}`, (c) => serve(c, c.req.param('secret')));
  }
  return app;
}
