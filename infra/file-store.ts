/**
 * Where an attachment's bytes are kept. PostgreSQL (the `content` column of `attachments`) is the
 * only store today: the bytes are written and read in the same transaction as the row that
 * describes them, so a file is never listed without its bytes. An S3-compatible store would be a
 * second `FileStore` chosen in `fileStoreFor` by a setting of infra/config.ts; the use cases only
 * see this interface.
 */
import type { Queryable } from './db.js';

export interface FileStore {
  /** Keeps the bytes of attachment `id`, whose row the caller has just inserted in `tx`. */
  put(tx: Queryable, id: string, bytes: Uint8Array): Promise<void>;
  /** The bytes of attachment `id`; undefined when none are kept. */
  get(tx: Queryable, id: string): Promise<Uint8Array | undefined>;
}

export const postgresFileStore: FileStore = {
  async put(tx, id, bytes) {
    await tx`UPDATE attachments SET content = ${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)} WHERE id = ${id}`;
  },
  async get(tx, id) {
    const [row] = await tx<{ content: Buffer | null }[]>`SELECT content FROM attachments WHERE id = ${id}`;
    return row?.content ?? undefined;
  },
};

export type FileStoreKind = 'postgres';

export function fileStoreFor(kind: FileStoreKind = 'postgres'): FileStore {
  switch (kind) {
    case 'postgres':
      return postgresFileStore;
  }
}
