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
import { createSignInLink, endSession, newSecret, openSession, personByEmail, saveLanguage, SESSION_TTL_HOURS, signInLinkRefusal, useSignInLink } from './session.js';
import { ErrorMessage, ErrorSummary, fieldAria } from './error-summary.js';
import type { Language } from '../domain/organisation.js';
import { log } from '../infra/logger.js';

/** At most this many links per person per quarter hour, so nobody can flood an inbox. */
const MAX_LINKS_PER_QUARTER = 5;

const Email = z.string().trim().toLowerCase().email().max(320);

function SignInForm({ c, next, email, error }: { c: WebContext; next: string; email?: string; error?: string }) {
  const t = c.get('t');
  return (
    <>
      <ErrorSummary t={t} errors={error ? [{ id: 'email', message: error }] : []} />
      <Form c={c} action="/sign-in">
        <input type="hidden" name="next" value={next} />
        <label for="email">{t.signIn.email}</label>
        <ErrorMessage t={t} id="email" message={error} />
        <input id="email" name="email" type="email" autocomplete="email" required value={email} {...fieldAria('email', error)} />
        <button class="primary" type="submit">{t.signIn.send}</button>
      </Form>
    </>
  );
}

/**
 * "Check your email", with what to do when nothing comes: send the link again (limited like the
 * first), or go back to the form with the address filled in to correct it. Both are forms, so the
 * address travels in a request body and never in a URL (which ends up in logs and history).
 */
function SentPage({ c, email, next, again }: { c: WebContext; email: string; next: string; again: boolean }) {
  const t = c.get('t');
  return (
    <Page c={c} title={t.signIn.sentTitle} section="sign-in">
      <h1>{t.signIn.sentTitle}</h1>
      <p role="status">{again ? t.signIn.sentAgain(email) : t.signIn.sent(email)}</p>
      <p>{t.signIn.notArrived}</p>
      <Form c={c} action="/sign-in">
        <input type="hidden" name="email" value={email} />
        <input type="hidden" name="next" value={next} />
        <input type="hidden" name="again" value="1" />
        <button class="secondary" type="submit">{t.signIn.resend}</button>
      </Form>
      <Form c={c} action="/sign-in/change">
        <input type="hidden" name="email" value={email} />
        <input type="hidden" name="next" value={next} />
        <button class="secondary" type="submit">{t.signIn.changeAddress}</button>
      </Form>
    </Page>
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
    if (!email.success) return signInPage(c, { next, email: typeof form.email === 'string' ? form.email : '', error: t.signIn.emailInvalid }, 400);
    const person = await personByEmail(sql, email.data);
    const made = person && (await createSignInLink(sql, person.id, MAX_LINKS_PER_QUARTER));
    if (person && made) {
      const link = `${config.publicUrl}/sign-in/link?token=${encodeURIComponent(made.token)}${next === '/' ? '' : `&next=${encodeURIComponent(next)}`}`;
      // Sent after answering: the answer takes as long, and reads the same, whether or not the
      // address has an account, and a mail server that is down does not tell either.
      const send = () => sendNow(sql, mailer, config.mailFrom, { key: `sign-in:${made.id}`, personId: person.id, template: 'sign-in', render: () => ({ to: person.email, ...signInMail(MESSAGES[person.language], person.name, link) }) });
      setTimeout(() => void send().catch((error: unknown) => log.warn({ component: 'web', err: error }, 'a sign-in email could not be sent')), 0);
    }
    return c.html(<SentPage c={c} email={email.data} next={next} again={form.again === '1'} />);
  });

  // The language link of that page comes back here by GET: the form, empty (the address was never in the URL).
  app.get('/sign-in/change', (c) => c.redirect('/sign-in', 303));

  /** Back to the form from "check your email", with the address filled in to correct it. */
  app.post('/sign-in/change', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    return signInPage(c, { next, email: typeof form.email === 'string' ? form.email.slice(0, 320) : '' });
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

  /**
   * Switches the language and goes back where the person was. Signed in, it is saved on their
   * profile, so every device and every email to them (notifications/, sign-in links) follows it;
   * the cookie keeps it for this browser after signing out.
   */
  app.get('/language/:lang{en|nl}', async (c) => {
    const lang = c.req.param('lang') as Language;
    const person = c.get('person');
    // Saved only when the link was followed from our own pages (the browser says so in
    // Sec-Fetch-Site): a link on another site must not change someone's profile. A browser
    // that sends no such header is treated as ours: it cannot tell, and the change is harmless.
    const site = c.req.header('sec-fetch-site');
    if (person && (site === undefined || site === 'same-origin' || site === 'none')) await saveLanguage(sql, person.personId, lang);
    setCookie(c, COOKIE.lang, lang, { path: '/', httpOnly: true, sameSite: 'Lax', secure: c.get('secure'), maxAge: 365 * 86_400 });
    return c.redirect(safeNext(c.req.query('back')), 303);
  });

  return app;
}
