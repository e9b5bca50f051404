/**
 * Encrypts every payload SafeRoutes puts into Temporal (workflow inputs, update arguments,
 * activity results): AES-256-GCM, with the key id in the payload's metadata so keys can rotate —
 * new payloads use the first key, old ones decrypt with whichever key they name. Worker, API and
 * tests use the same data converter; Temporal itself only ever stores ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const { Payload: PayloadProto } = proto.temporal.api.common.v1;

export interface EncryptionKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: EncryptionKey[]) {
    if (keys.length === 0) throw new Error('at least one encryption key is needed');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`encryption key ${k.id} must be 32 bytes`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0]!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(PayloadProto.encode(payload).finish()), cipher.final()]);
      return {
        metadata: { encoding: Buffer.from(ENCODING), [KEY_ID]: Buffer.from(id) },
        data: Buffer.concat([iv, body, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID] ?? []).toString();
      const key = this.byId.get(keyId);
      if (!key) throw new Error(`no encryption key "${keyId}" is configured; add it to PAYLOAD_ENCRYPTION_KEYS`);
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return PayloadProto.decode(plain);
    });
  }
}

/** Parses "id:base64key,id2:base64key" (the first is used for new payloads). */
export function parseEncryptionKeys(value: string): EncryptionKey[] {
  return value.split(',').map((part) => {
    const [id, b64] = part.split(':');
    if (!id || !b64) throw new Error('expected id:base64key[,id:base64key…]');
    return { id, key: Buffer.from(b64, 'base64') };
  });
}

export function newEncryptionKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export function encryptingDataConverter(keys: EncryptionKey[]): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(keys)] };
}
