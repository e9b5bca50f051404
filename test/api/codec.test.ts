// The Temporal Web UI's codec endpoint: decrypts what the UI sends, only where enabled.
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { AesGcmPayloadCodec, newEncryptionKey, parseEncryptionKeys } from '../../infra/payload-codec.js';
import { createMailer } from '../../infra/mailer.js';
import { createTemporalClient } from '../../infra/temporal.js';
import { connectDb } from '../../infra/db.js';

const codec = new AesGcmPayloadCodec(parseEncryptionKeys(newEncryptionKey('ui')));
const UI = 'http://127.0.0.1:8233';

function app(withCodec: boolean) {
  const { client, connection } = createTemporalClient('127.0.0.1:1', 'default', { payloadCodecs: [codec] });
  return createApp({
    temporal: client,
    temporalConnection: connection,
    sql: connectDb('postgres://nobody@127.0.0.1:1/none'),
    mailer: createMailer('smtp://127.0.0.1:1'),
    config: { publicUrl: 'http://x', mailFrom: 'x@x.test' },
    taskQueue: 'unused',
    uiCodec: withCodec ? { codec, uiOrigin: UI } : undefined,
  });
}

const toJson = (p: { metadata?: Record<string, Uint8Array | null> | null; data?: Uint8Array | null }) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

describe('/codec for the Temporal Web UI', () => {
  it('decrypts payloads for the UI origin', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload({ reason: 'awaiting medical report' })!]);
    const response = await app(true).request('/codec/decode', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: UI, 'x-namespace': 'default' },
      body: JSON.stringify({ payloads: [toJson(encrypted!)] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI);
    const { payloads } = (await response.json()) as { payloads: { data: string }[] };
    expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual({ reason: 'awaiting medical report' });
  });

  it('is not there unless enabled', async () => {
    expect((await app(false).request('/codec/decode', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"payloads":[]}' })).status).toBe(404);
  });
});
