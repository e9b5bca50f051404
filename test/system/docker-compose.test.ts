// docker-compose.yml describes the production-like stack, and docker compose accepts it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadEnv, runtimeConfigFromEnv } from '../../infra/config.js';
import { projectRoot } from '../../infra/paths.js';
import { newEncryptionKey } from '../../infra/payload-codec.js';

const file = join(projectRoot, 'docker-compose.yml');

/** `docker compose` (v2) or `docker-compose` (v1), whichever this machine has. */
function composeCli(): string[] | undefined {
  for (const cli of [['docker', 'compose'], ['docker-compose']]) {
    const r = spawnSync(cli[0]!, [...cli.slice(1), 'version'], { stdio: 'ignore' });
    if (r.status === 0) return cli;
  }
  return undefined;
}

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; build?: string; command?: string[]; healthcheck?: { test: string[] } }>;
  };

  it('has Temporal, its UI, PostgreSQL, a mail catcher, and the api, worker and mail dispatcher built from the Dockerfile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'dispatcher', 'mail', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
    expect(compose.services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(compose.services.dispatcher!.command).toEqual(['node', '--import', 'tsx', 'notifications/main.ts']);
    for (const name of ['api', 'worker', 'dispatcher']) {
      const service = compose.services[name]!;
      expect(service.build).toBe('.');
      // The environment it gives is a valid SafeRoutes configuration once the operator's secret is set.
      const env = { ...service.environment } as NodeJS.ProcessEnv;
      expect(env.PAYLOAD_ENCRYPTION_KEYS).toBe('${PAYLOAD_ENCRYPTION_KEYS:-}');
      env.PAYLOAD_ENCRYPTION_KEYS = newEncryptionKey('k1');
      expect(() => runtimeConfigFromEnv(loadEnv(env))).not.toThrow();
    }
    // The API is healthy when it is ready to serve, as /health/ready judges it.
    expect(compose.services.api!.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:3000/health/ready');
  });

  it('is accepted by `docker compose config` where a compose CLI is installed', () => {
    const cli = composeCli();
    if (!cli) {
      console.warn('no docker compose CLI on this machine: only the structure above was checked');
      return;
    }
    const r = spawnSync(cli[0]!, [...cli.slice(1), '-f', file, 'config', '-q'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
