/**
 * A codec endpoint for the Temporal Web UI (its "remote codec"): the UI sends encrypted payloads
 * and shows what comes back decrypted. Mounted only when enabled — `npm start` does so for its
 * own dev server on loopback; a production UI needs an authenticated codec server of its own.
 */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Payload, PayloadCodec } from '@temporalio/common';

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

export function codecRoutes(codec: PayloadCodec, uiOrigin: string) {
  const app = new Hono();
  app.use('/codec/*', cors({ origin: uiOrigin, allowHeaders: ['content-type', 'x-namespace'], allowMethods: ['POST', 'OPTIONS'] }));
  for (const direction of ['decode', 'encode'] as const) {
    app.post(`/codec/${direction}`, async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { payloads?: JsonPayload[] };
      const payloads = await codec[direction]((body.payloads ?? []).map(fromJson));
      return c.json({ payloads: payloads.map(toJson) });
    });
  }
  return app;
}
