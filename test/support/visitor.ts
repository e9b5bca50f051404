/** A visitor of the web pages without a browser: keeps cookies, reads the form token, follows nothing by itself. */
import { expect } from 'vitest';
import type { createApp } from '../../server/app.js';
import type { Member } from './fixtures.js';
import { receivedMail, waitForMail, type ReceivedMail } from './mail.js';

export class Visitor {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: ReturnType<typeof createApp>,
    private readonly headers: Record<string, string> = {},
  ) {}

  async get(path: string): Promise<Response> {
    return this.send(path, { method: 'GET' });
  }

  /** Posts a form; the page's form token is added unless `csrf` says otherwise. */
  async post(path: string, fields: Record<string, string>, csrf: string | null = this.cookies.get('sr_csrf') ?? ''): Promise<Response> {
    const body = new URLSearchParams({ ...(csrf === null ? {} : { _csrf: csrf }), ...fields });
    return this.send(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await this.app.request(path, { ...init, headers: { accept: 'text/html', ...this.headers, ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const v = value.join('=');
      if (/max-age=0/i.test(line) || v === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), v);
    }
    return response;
  }
}

/** The visible text of an HTML page, tags removed and whitespace folded, for plain assertions. */
export const textOf = async (response: Response) =>
  (await response.text()).replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#39;|&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

const isSignInMail = (email: string) => (m: ReceivedMail) => m.to.includes(email) && /sign-in link|inloglink/i.test(m.subject);

/** How many sign-in emails reached `email` so far. */
export async function signInMailCount(email: string): Promise<number> {
  return (await receivedMail()).filter(isSignInMail(email)).length;
}

/** The link and token of the `nth` sign-in email (1-based) that reached `email`. */
export async function emailedToken(email: string, nth = 1): Promise<{ token: string; link: string }> {
  const mails = await waitForMail(isSignInMail(email), { count: nth });
  const link = /https?:\/\/\S+\/sign-in\/link\?\S+/.exec(mails[nth - 1]!.text)![0];
  return { link, token: new URL(link).searchParams.get('token')! };
}

export async function askForLink(v: Visitor, email: string, next?: string): Promise<Response> {
  await v.get('/sign-in');
  return v.post('/sign-in', { email, ...(next ? { next } : {}) });
}

/** Signs `who` in through their emailed link (their `nth` one). */
export async function signedIn(v: Visitor, who: Member, nth = 1): Promise<void> {
  await askForLink(v, who.email);
  const { token } = await emailedToken(who.email, nth);
  expect((await v.post('/sign-in/link', { token })).status).toBe(303);
}
