import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, newEncryptionKey, parseEncryptionKeys } from '../../infra/payload-codec.js';

const payload = defaultPayloadConverter.toPayload({ reason: 'medical report for A. Example' })!;

describe('payload encryption', () => {
  it('round-trips a payload and leaves no plaintext in what Temporal stores', async () => {
    const codec = new AesGcmPayloadCodec(parseEncryptionKeys(newEncryptionKey('k1')));
    const [encrypted] = await codec.encode([payload]);
    expect(Buffer.from(encrypted!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(encrypted!.metadata!['encryption-key-id']!).toString()).toBe('k1');
    expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain('A. Example');
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ reason: 'medical report for A. Example' });
  });

  it('rotates keys: new payloads use the first key, old ones still decrypt', async () => {
    const [oldKey, newKey] = [newEncryptionKey('old'), newEncryptionKey('new')];
    const [before] = await new AesGcmPayloadCodec(parseEncryptionKeys(oldKey)).encode([payload]);
    const rotated = new AesGcmPayloadCodec(parseEncryptionKeys(`${newKey},${oldKey}`));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([before!]))[0]!)).toEqual({ reason: 'medical report for A. Example' });
    const [after] = await rotated.encode([payload]);
    expect(Buffer.from(after!.metadata!['encryption-key-id']!).toString()).toBe('new');
  });

  it('refuses to decrypt with an unknown key, and detects tampering', async () => {
    const [encrypted] = await new AesGcmPayloadCodec(parseEncryptionKeys(newEncryptionKey('a'))).encode([payload]);
    await expect(new AesGcmPayloadCodec(parseEncryptionKeys(newEncryptionKey('b'))).decode([encrypted!])).rejects.toThrow(/no encryption key "a"/);
    const codec = new AesGcmPayloadCodec(parseEncryptionKeys(newEncryptionKey('a')));
    const [mine] = await codec.encode([payload]);
    mine!.data![20]! ^= 1;
    await expect(codec.decode([mine!])).rejects.toThrow();
  });

  it('passes through payloads that were never encrypted', async () => {
    const codec = new AesGcmPayloadCodec(parseEncryptionKeys(newEncryptionKey('k')));
    expect(await codec.decode([payload])).toEqual([payload]);
  });
});
