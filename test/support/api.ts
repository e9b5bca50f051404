/** The HTTP app against the real servers, and calls made as a given person (with a real token). */
import { inject } from 'vitest';
import { beforeAll } from 'vitest';
import { createApp } from '../../server/app.js';
import { issueToken } from '../../usecases/tokens.js';
import { createMailer } from '../../infra/mailer.js';
import type { Member } from './fixtures.js';
import { PUBLIC_URL, TEST_MAIL_FROM, useDevServer, type DevServerHarness } from './stack.js';

export interface ApiHarness extends DevServerHarness {
  app: ReturnType<typeof createApp>;
  /** A request as `who` (a member, or a raw token string, or nobody). */
  call(who: Member | string | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

export function useApi(label: string): ApiHarness {
  const h = useDevServer(label) as ApiHarness;
  const tokens = new Map<string, string>();
  beforeAll(() => {
    h.app = createApp({ temporal: h.client, temporalConnection: h.connection, sql: h.sql, mailer: createMailer(inject('smtpUrl')), config: { publicUrl: PUBLIC_URL, mailFrom: TEST_MAIL_FROM }, taskQueue: h.taskQueue });
  });
  h.call = async (who, method, path, body, headers = {}) => {
    let token: string | undefined;
    if (typeof who === 'string') token = who;
    else if (who) {
      token = tokens.get(who.personId) ?? (await issueToken(h.sql, who.personId, 'test')).token;
      tokens.set(who.personId, token);
    }
    return h.app.request(path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  };
  return h;
}
