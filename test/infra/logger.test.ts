// The logger's settings and what it keeps of an error: JSON in production, readable otherwise; an
// error is cut to its type, code and first line, because drivers put the values they refused in
// their details (PostgreSQL: "Key (email)=(…) already exists").
import { describe, expect, it } from 'vitest';
import { logSettingsFromEnv } from '../../infra/config.js';
import { safeError } from '../../infra/logger.js';

describe('log settings', () => {
  it('writes JSON in production and readable lines elsewhere, unless told', () => {
    expect(logSettingsFromEnv({ NODE_ENV: 'production' })).toEqual({ level: 'info', format: 'json' });
    expect(logSettingsFromEnv({})).toEqual({ level: 'info', format: 'pretty' });
    expect(logSettingsFromEnv({ NODE_ENV: 'production', LOG_FORMAT: 'pretty', LOG_LEVEL: 'debug' })).toEqual({ level: 'debug', format: 'pretty' });
  });

  it('falls back to the defaults on a bad value (loadEnv reports it) and is quieter under vitest', () => {
    expect(logSettingsFromEnv({ LOG_LEVEL: 'loud', LOG_FORMAT: 'xml' })).toEqual({ level: 'info', format: 'pretty' });
    expect(logSettingsFromEnv({ VITEST: 'true' }).level).toBe('warn');
  });
});

describe('safeError', () => {
  it('keeps the type, the code and the first line, and nothing the driver added', () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "people_email_key"\nDETAIL: Key (email)=(someone@example.org)'), {
      code: '23505',
      detail: 'Key (email)=(someone@example.org) already exists.',
    });
    expect(safeError(error)).toEqual({ type: 'Error', code: '23505', message: 'duplicate key value violates unique constraint "people_email_key"' });
    expect(JSON.stringify(safeError(error))).not.toContain('someone@example.org');
    expect(safeError('a string')).toEqual({ type: 'string' });
  });
});
