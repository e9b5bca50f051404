/**
 * The one reader of `process.env`. Every setting is validated here; a bad value stops start-up
 * with a message naming the variable and what it expects.
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const hostPort = z
  .string()
  .regex(/^[^\s:/]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:7233');
const url = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `expected a ${protocols.join(' or ')} URL, e.g. ${example}`,
  );

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  PUBLIC_URL: url(['http:', 'https:'], 'https://saferoutes.example.org').optional(),
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user:pass@127.0.0.1:5432/saferoutes').optional(),
  EMBEDDED_PG_PORT: port.default(54329),
  SMTP_URL: url(['smtp:', 'smtps:'], 'smtp://user:pass@mail.example.org:587').optional(),
  SMTP_SINK_PORT: port.default(2525),
  MAILBOX_PORT: port.default(8025),
  MAIL_FROM: z.string().min(3).default('SafeRoutes <no-reply@saferoutes.local>'),
  DATA_DIR: z.string().min(1).default('.data'),
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  /** "id:base64(32 bytes)[,id:base64…]"; the first encrypts, all decrypt. npm start makes one. */
  PAYLOAD_ENCRYPTION_KEYS: z
    .string()
    .regex(/^[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]+:[A-Za-z0-9+/]{43}=)*$/, 'expected key-id:base64-of-32-bytes, comma-separated, e.g. k1:' + 'A'.repeat(43) + '=')
    .optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** "json": one JSON object per line (production, log shippers); "pretty": readable lines. Default: pretty unless NODE_ENV=production. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** When set, GET /metrics asks for `Authorization: Bearer <METRICS_TOKEN>`; otherwise it is open (counts only, no personal data). */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** The worker's own /metrics (Temporal SDK and application metrics) for a worker running as a process of its own; 0: none. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Serve /codec for a Temporal Web UI at this origin, to operators only (npm start sets it for its own UI). */
  UI_CODEC_ORIGIN: url(['http:', 'https:'], 'http://127.0.0.1:8233').optional(),
  /** The secret path segment of the UI's codec endpoint (`<api>/codec/<secret>`); without it, admin tokens only. */
  UI_CODEC_SECRET: z.string().regex(/^[A-Za-z0-9_-]{24,200}$/, 'expected 24 to 200 letters, digits, - or _').optional(),
  /** TLS to the Temporal frontend: "1" with the system's CAs (implied by an API key or any file below). */
  TEMPORAL_TLS: z.enum(['0', '1']).optional(),
  /** PEM files: the CA that signed the server's certificate, and the client's certificate and key for mTLS. */
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  /** The name the server's certificate is checked against, when it differs from the address's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** An API key (e.g. Temporal Cloud's), sent as a bearer token over TLS. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /** Worker tuning: workflows kept in memory, and workflow and activity tasks run at once, per task queue of cases. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(500),
  WORKER_MAX_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1_000).default(10),
  WORKER_MAX_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(20),
  /** How often the worker's watchdog looks for cases that stopped unseen. */
  WATCHDOG_INTERVAL_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  /** Months after a case closed when its personal data is erased by the retention schedule (usecases/retention.ts). */
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).default(24),
  /** "1": stop when the process that started this one goes away (test harnesses). */
  EXIT_WITH_PARENT: z.enum(['0', '1']).default('0'),
});

export type Env = z.infer<typeof envSchema>;

export interface LogSettings {
  level: Env['LOG_LEVEL'];
  format: 'json' | 'pretty';
}

/**
 * The log settings alone, never throwing: the logger exists before the rest of the configuration is
 * read (and must be able to report that it is wrong), so a bad value falls back to the default here
 * and is reported by loadEnv like any other.
 */
export function logSettingsFromEnv(source: NodeJS.ProcessEnv = process.env): LogSettings {
  const level = envSchema.shape.LOG_LEVEL.safeParse(source.LOG_LEVEL || undefined);
  const format = envSchema.shape.LOG_FORMAT.safeParse(source.LOG_FORMAT || undefined);
  // Under vitest the default is quieter: request lines would drown the test report.
  const defaultLevel = source.VITEST ? 'warn' : 'info';
  return {
    level: level.success && source.LOG_LEVEL ? level.data : defaultLevel,
    format: (format.success ? format.data : undefined) ?? (source.NODE_ENV === 'production' ? 'json' : 'pretty'),
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError listing every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `  ${name}=${JSON.stringify(source[name])}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** How to reach Temporal beyond its address: TLS (`{}` trusts the system's CAs) and an API key. */
export interface TemporalSecurity {
  tls?: TLSConfig;
  apiKey?: string;
}

/** How much a worker takes on at once; the programmes' task queue gets a tenth of the cache and half the slots. */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
}

function readPem(variable: string, path: string | undefined): Buffer | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${variable}=${JSON.stringify(path)}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** TLS and API key for Temporal from the environment; throws a ConfigError naming what is wrong. */
export function temporalSecurityFromEnv(env: Env): TemporalSecurity {
  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
    throw new ConfigError('Invalid configuration:\n  TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: give both (a client certificate and its key) or neither');
  }
  const ca = readPem('TEMPORAL_TLS_CA', env.TEMPORAL_TLS_CA);
  const crt = readPem('TEMPORAL_TLS_CERT', env.TEMPORAL_TLS_CERT);
  const key = readPem('TEMPORAL_TLS_KEY', env.TEMPORAL_TLS_KEY);
  const wantsTls = env.TEMPORAL_TLS === '1' || (env.TEMPORAL_TLS === undefined && Boolean(ca || crt || env.TEMPORAL_API_KEY || env.TEMPORAL_TLS_SERVER_NAME));
  if (env.TEMPORAL_TLS === '0' && (ca || crt || env.TEMPORAL_API_KEY)) {
    throw new ConfigError('Invalid configuration:\n  TEMPORAL_TLS="0": an API key or TLS files need TLS; leave TEMPORAL_TLS unset or set it to 1');
  }
  return {
    ...(wantsTls
      ? {
          tls: {
            ...(ca ? { serverRootCACertificate: ca } : {}),
            ...(crt && key ? { clientCertPair: { crt, key } } : {}),
            ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
          },
        }
      : {}),
    ...(env.TEMPORAL_API_KEY ? { apiKey: env.TEMPORAL_API_KEY } : {}),
  };
}

/** What the worker and the API need: every service resolved to an address. */
export interface RuntimeConfig {
  host: string;
  port: number;
  publicUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalSecurity: TemporalSecurity;
  workerTuning: WorkerTuning;
  databaseUrl: string;
  smtpUrl: string;
  mailFrom: string;
  workflowBundlePath?: string;
  payloadEncryptionKeys: string;
  uiCodecOrigin?: string;
  uiCodecSecret?: string;
  logLevel: Env['LOG_LEVEL'];
  metricsToken?: string;
  /** The worker's own metrics listener, when it runs as a process of its own (WORKER_METRICS_PORT). */
  workerMetrics?: { host: string; port: number };
  watchdogIntervalMs: number;
  /** RETENTION_MONTHS: closed cases' personal data is erased this many months after closing. */
  retentionMonths: number;
  exitWithParent: boolean;
}

/**
 * For processes started on their own (docker, production): the three services must be given.
 * The dev launcher instead fills them in with the embedded services it starts.
 */
export function runtimeConfigFromEnv(
  env: Env,
  services: Partial<Pick<RuntimeConfig, 'temporalAddress' | 'temporalSecurity' | 'databaseUrl' | 'smtpUrl' | 'payloadEncryptionKeys' | 'uiCodecOrigin' | 'uiCodecSecret'>> = {},
): RuntimeConfig {
  const temporalAddress = services.temporalAddress ?? env.TEMPORAL_ADDRESS;
  const databaseUrl = services.databaseUrl ?? env.DATABASE_URL;
  const smtpUrl = services.smtpUrl ?? env.SMTP_URL;
  const payloadEncryptionKeys = services.payloadEncryptionKeys ?? env.PAYLOAD_ENCRYPTION_KEYS;
  const missing = [
    !temporalAddress && 'TEMPORAL_ADDRESS (host:port of the Temporal frontend)',
    !databaseUrl && 'DATABASE_URL (postgres://…)',
    !smtpUrl && 'SMTP_URL (smtp://…)',
    !payloadEncryptionKeys && 'PAYLOAD_ENCRYPTION_KEYS (key-id:base64 of 32 random bytes; the same for worker and API)',
  ].filter(Boolean);
  if (missing.length > 0 || !temporalAddress || !databaseUrl || !smtpUrl || !payloadEncryptionKeys) {
    throw new ConfigError(
      `Missing configuration (use \`npm start\` to run everything embedded):\n  ${missing.join('\n  ')}`,
    );
  }
  return {
    host: env.HOST,
    port: env.PORT,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE,
    // `npm start` gives its embedded dev server's (plain loopback); otherwise the environment's.
    temporalSecurity: services.temporalSecurity ?? temporalSecurityFromEnv(env),
    workerTuning: {
      maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: env.WORKER_MAX_ACTIVITIES,
    },
    databaseUrl,
    smtpUrl,
    mailFrom: env.MAIL_FROM,
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH,
    payloadEncryptionKeys,
    uiCodecOrigin: services.uiCodecOrigin ?? env.UI_CODEC_ORIGIN,
    uiCodecSecret: services.uiCodecSecret ?? env.UI_CODEC_SECRET,
    logLevel: env.LOG_LEVEL,
    metricsToken: env.METRICS_TOKEN,
    workerMetrics: env.WORKER_METRICS_PORT ? { host: env.WORKER_METRICS_HOST, port: env.WORKER_METRICS_PORT } : undefined,
    watchdogIntervalMs: env.WATCHDOG_INTERVAL_MS,
    retentionMonths: env.RETENTION_MONTHS,
    exitWithParent: env.EXIT_WITH_PARENT === '1',
  };
}
