import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv, runtimeConfigFromEnv } from '../../infra/config.js';
import { newEncryptionKey } from '../../infra/payload-codec.js';

describe('configuration', () => {
  it('has embedded defaults for everything', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3000, TEMPORAL_PORT: 7233, TEMPORAL_UI_PORT: 8233, DATA_DIR: '.data' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('names each bad variable and what it expects', () => {
    expect(() => loadEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'no-port' })).toThrowError(ConfigError);
    try {
      loadEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'no-port' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT="eighty": .*number/);
      expect(message).toMatch(/DATABASE_URL="mysql:\/\/x": expected a postgres: or postgresql: URL/);
      expect(message).toMatch(/TEMPORAL_ADDRESS="no-port": expected host:port/);
    }
  });

  it('refuses a malformed encryption key', () => {
    expect(() => loadEnv({ PAYLOAD_ENCRYPTION_KEYS: 'k1:short' })).toThrowError(/PAYLOAD_ENCRYPTION_KEYS="k1:short": expected key-id:base64-of-32-bytes/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv({ SMTP_URL: '' }).SMTP_URL).toBeUndefined();
  });

  it('requires the three services when run without the launcher', () => {
    expect(() => runtimeConfigFromEnv(loadEnv({ TEMPORAL_ADDRESS: '127.0.0.1:7233' }))).toThrowError(/DATABASE_URL[\s\S]*SMTP_URL[\s\S]*PAYLOAD_ENCRYPTION_KEYS/);
    const config = runtimeConfigFromEnv(
      loadEnv({ TEMPORAL_ADDRESS: 'temporal:7233', DATABASE_URL: 'postgres://a@b/c', SMTP_URL: 'smtp://mail:25', PAYLOAD_ENCRYPTION_KEYS: newEncryptionKey('k1') }),
    );
    expect(config).toMatchObject({ temporalAddress: 'temporal:7233', publicUrl: 'http://localhost:3000' });
  });
});
