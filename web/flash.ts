/** One message carried across a redirect (post/redirect/get): what just happened, or what went wrong. */
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { COOKIE, type WebContext } from './env.js';
import type { FieldError } from './error-summary.js';
import type { RefusedAction } from './refusals.js';

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
  /** A refused action's refusal, so the case page can word it again with its titles (never carried across a redirect). */
  refused?: RefusedAction;
  /** The fields of a form that came back to be fixed: the page shows an error summary linking to them (never carried across a redirect). */
  fields?: FieldError[];
}

export function setFlash(c: WebContext, flash: Flash): void {
  setCookie(c, COOKIE.flash, Buffer.from(JSON.stringify(flash)).toString('base64url'), { path: '/', httpOnly: true, sameSite: 'Lax', secure: c.get('secure'), maxAge: 120 });
}

export function takeFlash(c: WebContext): Flash | undefined {
  const raw = getCookie(c, COOKIE.flash);
  if (!raw) return undefined;
  deleteCookie(c, COOKIE.flash, { path: '/', secure: c.get('secure') });
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
    return (parsed.kind === 'ok' || parsed.kind === 'error') && typeof parsed.text === 'string' ? { kind: parsed.kind, text: parsed.text.slice(0, 2000) } : undefined;
  } catch {
    return undefined;
  }
}

/** Redirects after a POST, so a reload does not send the form again. */
export function redirectWith(c: WebContext, to: string, flash?: Flash): Response {
  if (flash) setFlash(c, flash);
  return c.redirect(to, 303);
}
