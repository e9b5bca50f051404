// The codec endpoint decrypts case data: only operators get anything from it — the Temporal Web UI
// by the secret it was configured with, or an admin's token — and only when addressed by this
// API's own name, from the UI's origin, and when it is enabled at all.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { issueToken } from '../../usecases/tokens.js';
import { apiHosts } from '../../server/run.js';
import { AesGcmPayloadCodec, newEncryptionKey, parseEncryptionKeys } from '../../infra/payload-codec.js';
import { createMailer } from '../../infra/mailer.js';
import { createTemporalClient } from '../../infra/temporal.js';
import { createOrganisation } from '../support/fixtures.js';
import { testDb } from '../support/stack.js';

const codec = new AesGcmPayloadCodec(parseEncryptionKeys(newEncryptionKey('ui')));
const UI = 'http://127.0.0.1:8233';
const SECRET = 'codec-secret-for-this-test-only';
const HOST = 'localhost:3000';

const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

describe('/codec for the Temporal Web UI and operators', () => {
  const sql = testDb();
  const { client, connection } = createTemporalClient('127.0.0.1:1', 'default', { payloadCodecs: [codec] });
  afterAll(async () => {
    await sql.end();
    await connection.close().catch(() => undefined);
  });
  const app = (enabled: boolean) =>
    createApp({
      temporal: client,
      temporalConnection: connection,
      sql,
      mailer: createMailer('smtp://127.0.0.1:1'),
      config: { publicUrl: 'http://localhost:3000', mailFrom: 'x@x.test' },
      taskQueue: 'unused',
      uiCodec: enabled ? { codec, uiOrigin: UI, secret: SECRET, hosts: apiHosts('http://localhost:3000', 3000) } : undefined,
    });

  const secretReason = { reason: 'awaiting medical report' };
  async function decode(path: string, headers: Record<string, string>) {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(secretReason)!]);
    const response = await app(true).request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ payloads: [toJson(encrypted!)] }) });
    const text = await response.text();
    return { response, text };
  }
  const decrypted = (text: string) => JSON.parse(Buffer.from((JSON.parse(text) as { payloads: { data: string }[] }).payloads[0]!.data, 'base64').toString()) as unknown;

  it('decrypts for the UI by its secret, from its origin, addressed to this API', async () => {
    const { response, text } = await decode(`/codec/${SECRET}/decode`, { host: HOST, origin: UI, 'x-namespace': 'default' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(UI);
    expect(decrypted(text)).toEqual(secretReason);
  });

  it('decrypts for an admin token (the temporal CLI with --codec-auth), and for no other role', async () => {
    const admin = await createOrganisation(sql, 'coordinator', 'en', 'codec-admin');
    const [person] = await sql<{ id: string }[]>`INSERT INTO people (organisation_id, name, email, role) VALUES (${admin.organisationId}, 'Operator', ${`op-${admin.organisationId}@example.test`}, 'admin') RETURNING id`;
    const adminToken = (await issueToken(sql, person!.id)).token;
    const operator = await decode('/codec/decode', { host: HOST, authorization: `Bearer ${adminToken}` });
    expect(operator.response.status).toBe(200);
    expect(decrypted(operator.text)).toEqual(secretReason);
    const coordinatorToken = (await issueToken(sql, admin.personId)).token;
    const coordinator = await decode('/codec/decode', { host: HOST, authorization: `Bearer ${coordinatorToken}` });
    expect(coordinator.response.status).toBe(403);
    expect(coordinator.text).not.toContain('medical');
  });

  it('gives a caller without the secret or a token nothing, whatever it claims', async () => {
    const refusals = [
      await decode('/codec/decode', { host: HOST, origin: UI }),
      await decode('/codec/not-the-secret-at-all-xxxxxx/decode', { host: HOST, origin: UI }),
      await decode('/codec/decode', { host: HOST, authorization: 'Bearer sr_forged' }),
      // DNS rebinding: the attacker's page reaches this address under its own name.
      await decode(`/codec/${SECRET}/decode`, { host: 'evil.example:3000', origin: 'http://evil.example:3000' }),
      await decode(`/codec/${SECRET}/decode`, { host: HOST, origin: 'http://evil.example' }),
      await decode(`/codec/${SECRET}/decode`, {}),
    ];
    expect(refusals.map((r) => r.response.status)).toEqual([401, 401, 401, 403, 403, 403]);
    for (const r of refusals) {
      expect(r.text).not.toContain('medical');
      expect(r.text).not.toContain(Buffer.from(JSON.stringify(secretReason)).toString('base64').slice(0, 12));
    }
    const encode = await app(true).request('/codec/encode', { method: 'POST', headers: { host: HOST, 'content-type': 'application/json' }, body: JSON.stringify({ payloads: [toJson(defaultPayloadConverter.toPayload({ forged: true })!)] }) });
    expect(encode.status).toBe(401);
  });

  it('is not there unless enabled', async () => {
    expect((await app(false).request(`/codec/${SECRET}/decode`, { method: 'POST', headers: { host: HOST, 'content-type': 'application/json' }, body: '{"payloads":[]}' })).status).toBe(404);
  });
});
