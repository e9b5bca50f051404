/**
 * The one log stream of every SafeRoutes process: JSON lines in production (LOG_FORMAT=json, or
 * NODE_ENV=production), readable lines in development. Every line written while a request is being
 * answered carries that request's id, wherever in the code it is written (`inRequest`).
 *
 * What must never be logged: personal data and free text (names, addresses, emails, reports),
 * tokens, request bodies and query strings. Log ids, types, codes and counts. Errors are reduced
 * to their type, code and message, because a driver's `detail` (PostgreSQL's "Key (email)=(…)")
 * or an HTTP client's request options can carry the very data this rule protects; the keys below
 * are censored as a second line of defence.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';
import { logSettingsFromEnv, type LogSettings } from './config.js';

export type { Logger } from 'pino';

interface RequestContext {
  requestId: string;
}

const requestContext = new AsyncLocalStorage<RequestContext>();

/** Runs `answer` so that every line it logs, however deep, names the request. */
export function inRequest<T>(requestId: string, answer: () => Promise<T>): Promise<T> {
  return requestContext.run({ requestId }, answer);
}

/** Any error, as much of it as is safe to log. */
export function safeError(error: unknown): { type: string; code?: string; message?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  // The first line only: further lines of SDK and driver messages quote payloads and queries.
  const message = error.message.split('\n')[0]?.slice(0, 300);
  return { type: error.name, ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}), ...(message ? { message } : {}) };
}

const CENSORED = [
  'authorization',
  'cookie',
  'token',
  'password',
  'email',
  'name',
  'address',
  'text',
  'body',
  'detail',
  '*.authorization',
  '*.cookie',
  '*.token',
  '*.password',
  '*.email',
  '*.address',
  '*.text',
  '*.body',
  '*.detail',
  'headers.authorization',
  'headers.cookie',
];

function createLogger(settings: LogSettings): Logger {
  const options = {
    level: settings.level,
    base: { pid: process.pid },
    messageKey: 'msg',
    mixin: () => requestContext.getStore() ?? {},
    serializers: { err: safeError, error: safeError },
    redact: { paths: CENSORED, censor: '[not logged]' },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (settings.format === 'json') return pino(options);
  // Synchronous, in this thread: a line is out before the process exits (no worker thread to flush).
  return pino(options, PinoPretty({ sync: true, singleLine: true, colorize: Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}

/** The process's logger; `log.child({ component: 'worker' })` for a part of it. */
export const log: Logger = createLogger(logSettingsFromEnv());
