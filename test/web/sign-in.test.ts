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
