/**
 * Middleware of every page: security headers, the person's session and language, and the
 * anti-forgery check on every form post.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Sql } from '../infra/db.js';
import { COOKIE, type WebEnv } from './env.js';
import { isLanguage, MESSAGES, preferredLanguage } from './i18n/index.js';
import { newSecret, sessionPerson } from './session.js';

/** No script runs on any page; forms post only here; the pages are never framed. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function visitor(sql: Sql, publicUrl: string): MiddlewareHandler<WebEnv> {
  const httpsSite = publicUrl.startsWith('https:');
  return async (c, next) => {
    const secure = httpsSite || new URL(c.req.url).protocol === 'https:';
    c.set('secure', secure);
    const sessionToken = getCookie(c, COOKIE.session);
    const person = sessionToken ? await sessionPerson(sql, sessionToken) : undefined;
    c.set('person', person);
    // Signed in, the profile decides (the switch saves to it); the cookie is for visitors signed out.
    const chosen = getCookie(c, COOKIE.lang);
    const lang = person ? person.language : isLanguage(chosen) ? chosen : preferredLanguage(c.req.header('accept-language'));
    c.set('lang', lang);
    c.set('t', MESSAGES[lang]);
    let csrf = getCookie(c, COOKIE.csrf);
    if (!csrf || csrf.length < 32) {
      csrf = newSecret();
      setCookie(c, COOKIE.csrf, csrf, { path: '/', httpOnly: true, sameSite: 'Lax', secure });
    }
    c.set('csrf', csrf);
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    // Sign-in links carry their secret in the URL: no page sends it on as a Referer.
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
  };
}

/** Sends people who are not signed in to the sign-in page, and back here afterwards. */
export const requireSignIn: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.get('person')) {
    const url = new URL(c.req.url);
    // A form posted after the session ended leads back to its page (an action has no page).
    const back = c.req.method === 'POST' ? url.pathname.replace(/\/actions\/[^/]*$/, '') : url.pathname + url.search;
    return c.redirect(`/sign-in?next=${encodeURIComponent(back)}`, 303);
  }
  await next();
};

export class FormForgery extends Error {}
/** A form field or query value holds a NUL character, which PostgreSQL cannot store. */
export class ControlCharacterInForm extends Error {}

/** Every form post must carry the token that is also in the visitor's cookie. */
export const checkForm: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (c.req.method === 'POST') {
    const body = await c.req.parseBody();
    const sent = typeof body._csrf === 'string' ? Buffer.from(body._csrf) : Buffer.alloc(0);
    const expected = Buffer.from(c.get('csrf'));
    if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) throw new FormForgery();
    if (Object.values(body).some((v) => typeof v === 'string' && v.includes('\u0000'))) throw new ControlCharacterInForm();
  }
  if (Object.values(c.req.queries()).some((values) => values.some((v) => v.includes('\u0000')))) throw new ControlCharacterInForm();
  await next();
};

const HERE = 'http://saferoutes.invalid';

/**
 * A path inside this site to return to; anything else becomes `/`. Resolved the way a browser
 * would (which drops tabs and newlines and reads `\` as `/`), so `/\t/evil.example` is caught too.
 */
export function safeNext(next: string | undefined): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!next || !next.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  const url = new URL(next, HERE);
  return url.origin === HERE ? url.pathname + url.search + url.hash : '/';
}
