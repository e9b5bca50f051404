import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv, runtimeConfigFromEnv, temporalSecurityFromEnv } from '../../infra/config.js';
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

  describe('Temporal anywhere: TLS, an API key, worker tuning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'saferoutes-tls-'));
    const pem = (name: string) => {
      const path = join(dir, name);
      writeFileSync(path, `-----BEGIN ${name}-----\n-----END ${name}-----\n`);
      return path;
    };
    const security = (vars: Record<string, string>) => temporalSecurityFromEnv(loadEnv(vars));

    it('talks plain to a local server unless told otherwise', () => {
      expect(security({})).toEqual({});
    });

    it('uses TLS with the system CAs for an API key (as Temporal Cloud wants)', () => {
      expect(security({ TEMPORAL_API_KEY: 'secret' })).toEqual({ tls: {}, apiKey: 'secret' });
      expect(security({ TEMPORAL_TLS: '1' })).toEqual({ tls: {} });
    });

    it('reads a CA, a client certificate and key (mTLS) and a server name', () => {
      const tls = security({ TEMPORAL_TLS_CA: pem('CA'), TEMPORAL_TLS_CERT: pem('CERT'), TEMPORAL_TLS_KEY: pem('KEY'), TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }).tls!;
      expect(Buffer.from(tls.serverRootCACertificate!).toString()).toContain('BEGIN CA');
      expect(Buffer.from(tls.clientCertPair!.crt).toString()).toContain('BEGIN CERT');
      expect(Buffer.from(tls.clientCertPair!.key).toString()).toContain('BEGIN KEY');
      expect(tls.serverNameOverride).toBe('temporal.internal');
    });

    it('names what is wrong: an unreadable file, a certificate without its key, TLS turned off under an API key', () => {
      expect(() => security({ TEMPORAL_TLS_CA: join(dir, 'missing.pem') })).toThrowError(/TEMPORAL_TLS_CA=".*missing.pem": cannot read it \(ENOENT\)/);
      expect(() => security({ TEMPORAL_TLS_CERT: pem('CERT') })).toThrowError(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: give both/);
      expect(() => security({ TEMPORAL_TLS: '0', TEMPORAL_API_KEY: 'secret' })).toThrowError(/an API key or TLS files need TLS/);
    });

    it('takes worker tuning from the environment, within bounds', () => {
      const base = { TEMPORAL_ADDRESS: 'temporal:7233', DATABASE_URL: 'postgres://x@db/sr', SMTP_URL: 'smtp://mail:25', PAYLOAD_ENCRYPTION_KEYS: newEncryptionKey('k1') };
      expect(runtimeConfigFromEnv(loadEnv(base)).workerTuning).toEqual({ maxCachedWorkflows: 500, maxConcurrentWorkflowTaskExecutions: 10, maxConcurrentActivityTaskExecutions: 20 });
      const tuned = runtimeConfigFromEnv(loadEnv({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '2000', WORKER_MAX_WORKFLOW_TASKS: '40', WORKER_MAX_ACTIVITIES: '100', TEMPORAL_API_KEY: 'k' }));
      expect(tuned.workerTuning).toEqual({ maxCachedWorkflows: 2000, maxConcurrentWorkflowTaskExecutions: 40, maxConcurrentActivityTaskExecutions: 100 });
      expect(tuned.temporalSecurity).toEqual({ tls: {}, apiKey: 'k' });
      expect(() => loadEnv({ WORKER_MAX_WORKFLOW_TASKS: '1' })).toThrowError(/WORKER_MAX_WORKFLOW_TASKS="1"/);
    });
  });
});
