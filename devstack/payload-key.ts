/** The development payload-encryption key: made once, kept in the data directory (mode 600). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newEncryptionKey } from '../infra/payload-codec.js';

export function devEncryptionKeys(dataDir: string): string {
  const file = join(dataDir, 'payload-encryption-keys');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, newEncryptionKey('dev1'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
