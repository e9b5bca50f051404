// Sign-in by emailed link, sessions and form protection, over the real app, database and SMTP sink.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createMailer } from '../../infra/mailer.js';
import { useApi } from '../support/api.js';
import { createOrganisation, type Member } from '../support/fixtures.js';
import { receivedMail } from '../support/mail.js';
import { TEST_MAIL_FROM } from '../support/stack.js';
import { askForLink, emailedToken, signedIn, textOf, Visitor } from '../support/visitor.js';

describe('signing in to the pages', () => {
  const h = useApi('web-sign-in');
  let sponsor: Member;

  beforeAll(async () => {
    sponsor = await createOrganisation(h.sql, 'sponsor_group');
  });

  it('sends a link to a known address, and says the same for an unknown one without sending anything', async () => {
    const v = new Visitor(h.app);
    const known = await askForLink(v, sponsor.email.toUpperCase(), '/cases');
    const unknown = await askForLink(v, 'nobody-at-all@example.test');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const [knownText, unknownText] = [await textOf(known), await textOf(unknown)];
    expect(knownText).toContain(`If ${sponsor.email} belongs to a SafeRoutes account, a sign-in link is on its way.`);
    expect(unknownText.replace('nobody-at-all@example.test', 'X')).toBe(knownText.replace(sponsor.email, 'X'));
    const { link } = await emailedToken(sponsor.email);
    expect(link).toMatch(/^http:\/\/saferoutes\.test\/sign-in\/link\?token=[\w-]{43}&next=%2Fcases$/);
    expect((await receivedMail()).some((m) => m.to.includes('nobody-at-all@example.test'))).toBe(false);
  });

  it('opens a session with a link once; the link then explains that it was used', async () => {
    const who = await createOrganisation(h.sql, 'municipality');
    const v = new Visitor(h.app);
    await askForLink(v, who.email);
    const { token } = await emailedToken(who.email);

    // Opening the link only shows a button: a mail scanner fetching it does not use it up.
    const page = await v.get(`/sign-in/link?token=${token}`);
    expect(page.status).toBe(200);
    expect((await h.sql`SELECT used_at FROM sign_in_links WHERE person_id = ${who.personId}`)[0]!.used_at).toBeNull();

    const used = await v.post('/sign-in/link', { token, next: '/cases' });
    expect(used.status).toBe(303);
    expect(used.headers.get('location')).toBe('/cases');
    const session = used.headers.getSetCookie().find((c) => c.startsWith('sr_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/);
    expect((await v.get('/cases')).status).toBe(200);

    const other = new Visitor(h.app);
    await other.get('/sign-in');
    const second = await other.post('/sign-in/link', { token });
    expect(second.status).toBe(410);
    expect(await textOf(second)).toContain('This sign-in link was used already');
    expect(other.cookies.has('sr_session')).toBe(false);
    expect(await textOf(await other.get(`/sign-in/link?token=${token}`))).toContain('was used already');
  });

  it('refuses an expired link and an unknown one, with what to do', async () => {
    const who = await createOrganisation(h.sql, 'university');
    const v = new Visitor(h.app);
    await askForLink(v, who.email);
    const { token } = await emailedToken(who.email);
    await h.sql`UPDATE sign_in_links SET expires_at = now() - interval '1 second' WHERE person_id = ${who.personId}`;
    const expired = await v.post('/sign-in/link', { token });
    expect(expired.status).toBe(410);
    expect(await textOf(expired)).toContain('This sign-in link has expired: links work for 15 minutes. Ask for a new link below.');
    const unknown = await v.post('/sign-in/link', { token: 'x'.repeat(43) });
    expect(unknown.status).toBe(400);
    expect(await textOf(unknown)).toContain('This sign-in link is not valid');
  });

  it('returns only to a page of this site after signing in', async () => {
    const who = await createOrganisation(h.sql, 'sponsor_group');
    const v = new Visitor(h.app);
    await askForLink(v, who.email);
    const { token } = await emailedToken(who.email);
    const response = await v.post('/sign-in/link', { token, next: '//evil.example/phish' });
    expect(response.headers.get('location')).toBe('/');
    // Browsers drop tabs and newlines and read "\\" as "/": none of these leaves the site either.
    for (const back of ['/\t/evil.example', '/\n/evil.example', '/\\evil.example', 'https://evil.example', '/%09/evil.example']) {
      const to = (await v.get(`/language/en?back=${encodeURIComponent(back)}`)).headers.get('location')!;
      expect(new URL(to, 'http://saferoutes.test').host, back).toBe('saferoutes.test');
    }
    expect((await v.get('/language/nl?back=%2Fcases%3Fstuck%3Dtrue')).headers.get('location')).toBe('/cases?stuck=true');
  });

  it('refuses every form post without the visitor’s form token, and changes nothing', async () => {
    const who = await createOrganisation(h.sql, 'sponsor_group');
    const v = new Visitor(h.app);
    await v.get('/sign-in');
    for (const csrf of [null, 'forged-token-of-the-right-length-000000000']) {
      const response = await v.post('/sign-in', { email: who.email }, csrf);
      expect(response.status).toBe(403);
      expect(await textOf(response)).toContain('This form had expired, or it was not sent from SafeRoutes. Nothing was changed.');
    }
    expect((await h.sql`SELECT count(*)::int AS n FROM sign_in_links WHERE person_id = ${who.personId}`)[0]!.n).toBe(0);
  });

  it('signs out: the session ends on the server, not only in the browser', async () => {
    const who = await createOrganisation(h.sql, 'coordinator');
    const v = new Visitor(h.app);
    await signedIn(v, who);
    const session = v.cookies.get('sr_session')!;
    expect((await v.get('/board')).status).toBe(200);
    const out = await v.post('/sign-out', {});
    expect(out.status).toBe(303);
    const replay = new Visitor(h.app);
    replay.cookies.set('sr_session', session);
    const after = await replay.get('/board');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/sign-in?next=%2Fboard');
  });

  it('sends at most five links per quarter hour to one person', async () => {
    const who = await createOrganisation(h.sql, 'sponsor_group');
    const answers = await Promise.all(Array.from({ length: 7 }, () => askForLink(new Visitor(h.app), who.email)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect((await h.sql`SELECT count(*)::int AS n FROM sign_in_links WHERE person_id = ${who.personId}`)[0]!.n).toBe(5);
    await emailedToken(who.email, 5);
    expect((await h.sql`SELECT count(*)::int AS n FROM notifications WHERE person_id = ${who.personId} AND template = 'sign-in'`)[0]!.n).toBe(5);
  });

  /** The hidden and named fields of the form posting to `action` that holds `marker`, as a browser would send them. */
  function formOf(html: string, action: string, marker = ''): Record<string, string> {
    const form = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((f) => f[1] === action && f[2]!.includes(marker));
    expect(form, `a form posting to ${action}`).toBeDefined();
    return Object.fromEntries([...form![2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((i) => [i[1]!, i[2]!.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"')]));
  }

  it('shows a mistyped address in an error summary that leads to the field, which says it too, in English and Dutch', async () => {
    for (const [language, heading, message] of [
      ['en', 'There is a problem', 'Enter your email address, like name@example.org'],
      ['nl', 'Er is een probleem', 'Vul uw e-mailadres in, zoals naam@voorbeeld.nl'],
    ] as const) {
      const v = new Visitor(h.app, { 'accept-language': language });
      await v.get('/sign-in');
      const response = await v.post('/sign-in', { email: 'not an address' });
      expect(response.status).toBe(400);
      const html = await response.text();
      const summary = /<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">([\s\S]*?)<\/div>/.exec(html)?.[1];
      expect(summary, language).toBeDefined();
      expect(summary).toContain(`<h2 id="error-summary-title">${heading}</h2>`);
      expect(summary).toContain(`<a href="#email">${message}</a>`);
      expect(html).toMatch(/<input id="email" name="email" type="email"[^>]* value="not an address" aria-invalid="true" aria-describedby="email-error"/);
      expect(html).toMatch(new RegExp(`<p class="error-message" id="email-error"><span class="visually-hidden">[^<]+</span>${message}</p>`));
      // The summary comes before the form, so it is read first.
      expect(html.indexOf('error-summary')).toBeLessThan(html.indexOf('action="/sign-in"'));
    }
  });

  it('sends the link again from “check your email”, limited like the first, and goes back to the form with the address filled in', async () => {
    const who = await createOrganisation(h.sql, 'sponsor_group');
    const v = new Visitor(h.app);
    const first = await (await askForLink(v, who.email, '/cases')).text();
    await emailedToken(who.email, 1);
    expect(await textOf(new Response(first))).toContain('No email after a few minutes?');

    // "Send the link again" posts the same address (and where to go after signing in) once more.
    const again = formOf(first, '/sign-in', 'name="again"');
    expect(again).toMatchObject({ email: who.email, next: '/cases', again: '1' });
    const resent = await v.post('/sign-in', again);
    expect(resent.status).toBe(200);
    expect(await textOf(resent)).toContain(`If ${who.email} belongs to a SafeRoutes account, a new sign-in link is on its way.`);
    const { link } = await emailedToken(who.email, 2);
    expect(link).toContain('&next=%2Fcases');

    // Sending again is limited like the first: at most five links a quarter hour, whatever the page says.
    for (let i = 0; i < 5; i++) expect((await v.post('/sign-in', { ...again, _key: `again-${i}` })).status).toBe(200);
    expect((await h.sql`SELECT count(*)::int AS n FROM sign_in_links WHERE person_id = ${who.personId}`)[0]!.n).toBe(5);

    // "Use another email address": the form again, with the address in it to correct (never in a URL).
    const change = formOf(first, '/sign-in/change');
    expect(change).toMatchObject({ email: who.email, next: '/cases' });
    const back = await v.post('/sign-in/change', change);
    expect(back.status).toBe(200);
    const form = await back.text();
    expect(form).toMatch(new RegExp(`<input id="email" name="email" type="email"[^>]* value="${who.email}"`));
    expect(form).toMatch(/<input type="hidden" name="next" value="\/cases"/);
    expect(form).not.toContain('aria-invalid="true"');
    // Its language link leads back to a page, not to a form's address.
    expect((await v.get('/sign-in/change')).headers.get('location')).toBe('/sign-in');
  });

  it('saves the language chosen while signed in on the profile, and the next email speaks it; signed out, only the browser keeps it', async () => {
    const who = await createOrganisation(h.sql, 'municipality', 'en');
    const language = async () => (await h.sql<{ language: string }[]>`SELECT language FROM people WHERE id = ${who.personId}`)[0]!.language;
    const v = new Visitor(h.app);
    await signedIn(v, who);
    // A link on another site switches nothing on the profile (the browser says where it came from).
    const crossSite = new Visitor(h.app, { 'sec-fetch-site': 'cross-site' });
    for (const [name, value] of v.cookies) crossSite.cookies.set(name, value);
    expect((await crossSite.get('/language/nl?back=%2Finbox')).status).toBe(303);
    expect(await language()).toBe('en');
    const switched = await v.get('/language/nl?back=%2Finbox');
    expect(switched.headers.get('location')).toBe('/inbox');
    expect(await language()).toBe('nl');
    // The profile decides while signed in, on any device: a new browser without the cookie speaks Dutch too.
    const elsewhere = new Visitor(h.app, { 'accept-language': 'en' });
    await signedIn(elsewhere, who, 2);
    expect(elsewhere.cookies.has('sr_lang')).toBe(false);
    expect(await textOf(await elsewhere.get('/inbox'))).toContain('Wacht op ons');

    await v.post('/sign-out', {});
    await askForLink(new Visitor(h.app), who.email);
    await emailedToken(who.email, 3);
    // The first link went out before the switch; the two after it are in the language now saved.
    const subjects = (await receivedMail()).filter((m) => m.to.includes(who.email)).map((m) => m.subject);
    expect(subjects.sort()).toEqual(['Uw inloglink voor SafeRoutes', 'Uw inloglink voor SafeRoutes', 'Your sign-in link for SafeRoutes']);

    // Signed out, the switch is the browser's own: the profile is left as it is.
    const visitor = new Visitor(h.app);
    expect((await visitor.get('/language/en?back=%2Fsign-in')).status).toBe(303);
    expect(await textOf(await visitor.get('/sign-in'))).toContain('Email me a sign-in link');
    expect(await language()).toBe('nl');
  });

  it('marks cookies Secure when the site is served over https', async () => {
    const app = createApp({ temporal: h.client, temporalConnection: h.connection, sql: h.sql, mailer: createMailer(inject('smtpUrl')), config: { publicUrl: 'https://saferoutes.example.org', mailFrom: TEST_MAIL_FROM }, taskQueue: h.taskQueue });
    const response = await app.request('/sign-in', { headers: { accept: 'text/html' } });
    expect(response.headers.getSetCookie().find((c) => c.startsWith('sr_csrf='))).toMatch(/; Secure/);
  });

  it('gives API clients no cookies and pages no place in the API', async () => {
    const apiResponse = await h.call(sponsor, 'GET', '/v1/cases');
    expect(apiResponse.status).toBe(200);
    expect(apiResponse.headers.getSetCookie()).toEqual([]);
    expect((await h.app.request('/health')).headers.getSetCookie()).toEqual([]);
    const missingApi = await h.app.request('/v1/nothing-here', { headers: { accept: 'text/html' } });
    expect(missingApi.headers.get('content-type')).toBe('application/problem+json');
    const missingPage = await h.app.request('/nothing-here', { headers: { accept: 'text/html' } });
    expect(missingPage.status).toBe(404);
    expect(missingPage.headers.get('content-type')).toMatch(/^text\/html/);
  });
});
