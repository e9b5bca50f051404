/**
 * Sign-in by emailed link. Asking for a link never reveals whether an address has an account.
 * Opening the link shows a button rather than signing in at once, so a mail scanner that fetches
 * links does not use up the person's one-time link.
 */
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { DoorDeps } from '../usecases/deps.js';
import { sendNow } from '../infra/outbox.js';
import { COOKIE, type WebContext, type WebEnv } from './env.js';
import { redirectWith, takeFlash } from './flash.js';
import { safeNext } from './guard.js';
import { MESSAGES, type Messages } from './i18n/index.js';
import { Form, Page } from './layout.js';
import { createSignInLink, endSession, newSecret, openSession, personByEmail, SESSION_TTL_HOURS, signInLinkRefusal, useSignInLink } from './session.js';
import { log } from '../infra/logger.js';

/** At most this many links per person per quarter hour, so nobody can flood an inbox. */
const MAX_LINKS_PER_QUARTER = 5;

const Email = z.string().trim().toLowerCase().email().max(320);

function SignInForm({ c, next, email, error }: { c: WebContext; next: string; email?: string; error?: string }) {
  const t = c.get('t');
  return (
    <Form c={c} action="/sign-in">
      <input type="hidden" name="next" value={next} />
      <label for="email">{t.signIn.email}</label>
      <input id="email" name="email" type="email" autocomplete="email" required value={email} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'email-error' : undefined} />
      {error && (
        <p id="email-error" class="hint" role="alert">
          {error}
        </p>
      )}
      <button class="primary" type="submit">{t.signIn.send}</button>
    </Form>
  );
}

function signInPage(c: WebContext, opts: { next: string; notice?: string; error?: string; email?: string }, status: 200 | 400 | 410 = 200) {
  const t = c.get('t');
  const flash = takeFlash(c) ?? (opts.notice ? { kind: 'error' as const, text: opts.notice } : undefined);
  return c.html(
    <Page c={c} title={t.signIn.title} section="sign-in" flash={flash}>
      <h1>{t.signIn.title}</h1>
      <p>{t.signIn.intro}</p>
      <SignInForm c={c} next={opts.next} email={opts.email} error={opts.error} />
    </Page>,
    status,
  );
}

function signInMail(t: Messages, name: string, link: string) {
  const lines = t.signIn.mailLines(name);
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return {
    subject: t.signIn.mailSubject,
    text: [...lines, '', link, '', t.signIn.mailIgnore].join('\n'),
    html: `<!doctype html><html lang="${t.lang}"><body>${lines.map((l) => `<p>${esc(l)}</p>`).join('')}<p><a href="${esc(link)}">${esc(link)}</a></p><p>${esc(t.signIn.mailIgnore)}</p></body></html>`,
  };
}

export function signInRoutes({ sql, mailer, config }: DoorDeps) {
  const app = new Hono<WebEnv>();

  app.get('/sign-in', (c) => {
    if (c.get('person')) return c.redirect('/', 303);
    const next = safeNext(c.req.query('next'));
    return signInPage(c, { next, notice: next !== '/' ? c.get('t').signIn.needed : undefined });
  });

  app.post('/sign-in', async (c) => {
    const t = c.get('t');
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    const email = Email.safeParse(form.email);
    if (!email.success) return signInPage(c, { next, email: typeof form.email === 'string' ? form.email : '', error: t.errors.invalid(t.fields.email!) }, 400);
    const person = await personByEmail(sql, email.data);
    const made = person && (await createSignInLink(sql, person.id, MAX_LINKS_PER_QUARTER));
    if (person && made) {
      const link = `${config.publicUrl}/sign-in/link?token=${encodeURIComponent(made.token)}${next === '/' ? '' : `&next=${encodeURIComponent(next)}`}`;
      // Sent after answering: the answer takes as long, and reads the same, whether or not the
      // address has an account, and a mail server that is down does not tell either.
      const send = () => sendNow(sql, mailer, config.mailFrom, { key: `sign-in:${made.id}`, personId: person.id, template: 'sign-in', render: () => ({ to: person.email, ...signInMail(MESSAGES[person.language], person.name, link) }) });
      setTimeout(() => void send().catch((error: unknown) => log.warn({ component: 'web', err: error }, 'a sign-in email could not be sent')), 0);
    }
    return c.html(
      <Page c={c} title={t.signIn.sentTitle} section="sign-in">
        <h1>{t.signIn.sentTitle}</h1>
        <p role="status">{t.signIn.sent(email.data)}</p>
      </Page>,
    );
  });

  app.get('/sign-in/link', async (c) => {
    const t = c.get('t');
    const token = c.req.query('token') ?? '';
    const next = safeNext(c.req.query('next'));
    // Looks without using the link, so a dead link is explained before anyone presses the button.
    const refused = await signInLinkRefusal(sql, token);
    if (refused) return signInPage(c, { next, notice: t.signIn.refused[refused] }, refused === 'unknown' ? 400 : 410);
    return c.html(
      <Page c={c} title={t.signIn.linkTitle} section="sign-in">
        <h1>{t.signIn.linkTitle}</h1>
        <p>{t.signIn.linkIntro}</p>
        <Form c={c} action="/sign-in/link">
          <input type="hidden" name="token" value={token} />
          <input type="hidden" name="next" value={next} />
          <button class="primary" type="submit">{t.signIn.linkButton}</button>
        </Form>
      </Page>,
    );
  });

  app.post('/sign-in/link', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    const used = await useSignInLink(sql, typeof form.token === 'string' ? form.token : '');
    if ('refused' in used) return signInPage(c, { next, notice: c.get('t').signIn.refused[used.refused] }, used.refused === 'unknown' ? 400 : 410);
    // Whoever was signed in on this browser before is signed out: one person per browser.
    const previous = c.get('person');
    if (previous) await endSession(sql, previous.sessionId);
    const session = await openSession(sql, used.personId);
    const secure = c.get('secure');
    setCookie(c, COOKIE.session, session, { path: '/', httpOnly: true, sameSite: 'Lax', secure, maxAge: SESSION_TTL_HOURS * 3600 });
    // A new session gets a new form token: one seen before sign-in is worth nothing after it.
    setCookie(c, COOKIE.csrf, newSecret(), { path: '/', httpOnly: true, sameSite: 'Lax', secure });
    return c.redirect(next, 303);
  });

  app.post('/sign-out', async (c) => {
    const person = c.get('person');
    if (person) await endSession(sql, person.sessionId);
    const secure = c.get('secure');
    deleteCookie(c, COOKIE.session, { path: '/', secure });
    setCookie(c, COOKIE.csrf, newSecret(), { path: '/', httpOnly: true, sameSite: 'Lax', secure });
    return redirectWith(c, '/sign-in', { kind: 'ok', text: c.get('t').signIn.signedOut });
  });

  /** Switches the page language for this browser and goes back where the person was. */
  app.get('/language/:lang{en|nl}', (c) => {
    setCookie(c, COOKIE.lang, c.req.param('lang'), { path: '/', httpOnly: true, sameSite: 'Lax', secure: c.get('secure'), maxAge: 365 * 86_400 });
    return c.redirect(safeNext(c.req.query('back')), 303);
  });

  return app;
}
