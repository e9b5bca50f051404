/** The frame of every page: language, skip link, navigation for the person's role, the flash message. */
import { randomUUID } from 'node:crypto';
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { WebContext } from './env.js';
import { ErrorSummary } from './error-summary.js';
import type { Flash } from './flash.js';
import type { Messages } from './i18n/index.js';
import { STYLE } from './style.js';

type Section = 'cases' | 'new-case' | 'inbox' | 'board' | 'reports' | 'programmes' | 'me' | 'sign-in' | 'admin' | 'group';

/**
 * Every form posts the anti-forgery token and its own key with it: a second press of this rendering
 * is the same action. After an unknown outcome (503) the page comes back with the key the form was
 * sent with, so trying again cannot apply it twice; after anything else the form gets a fresh key.
 */
export function Form(props: { c: WebContext; action: string; gateId?: string; class?: string; children?: Child }) {
  const draft = props.c.get('draft');
  const retryKey = draft?.retryKey && draft.path === props.action && draft.gateId === props.gateId ? draft.retryKey : undefined;
  return (
    <form method="post" action={props.action} class={props.class ?? 'action'}>
      <input type="hidden" name="_csrf" value={props.c.get('csrf')} />
      <input type="hidden" name="_key" value={retryKey ?? randomUUID()} />
      {props.gateId && <input type="hidden" name="gateId" value={props.gateId} />}
      {props.children}
    </form>
  );
}

/**
 * A table that scrolls sideways if it must and, on a phone, shows one labelled line per cell (the
 * cells carry `data-label` with their column's header). Named by a heading (`labelledBy`) or `label`.
 */
export function Table(props: { headers: string[]; labelledBy?: string; label?: string; children?: Child }) {
  return (
    <div class="table-wrap">
      <table class="stack" aria-labelledby={props.labelledBy} aria-label={props.label}>
        <thead>
          <tr>
            {props.headers.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

type NavLink = [Section, string, string];

function MainNav(props: { t: Messages; links: NavLink[]; section: Section | undefined; class?: string }) {
  return (
    <nav aria-label={props.t.nav.label} class={props.class}>
      <ul>
        {props.links.map(([section, href, label]) => (
          <li>
            <a href={href} aria-current={props.section === section ? 'page' : undefined}>{label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Page(props: { c: WebContext; title: string; section?: Section; flash?: Flash; children?: Child }) {
  const { c } = props;
  const t = c.get('t');
  const person = c.get('person');
  const here = new URL(c.req.url);
  const links: NavLink[] = person
    ? [
        ['cases', '/cases', t.nav.cases],
        // Coordinators and sponsor groups open cases (usecases/case-template.ts, mayOpen).
        ...(person.organisationKind === 'coordinator' || person.organisationKind === 'sponsor_group' ? [['new-case', '/cases/new', t.newCase.link] as NavLink] : []),
        ['inbox', '/inbox', t.nav.inbox],
        ...(person.role === 'coordinator' ? [['board', '/board', t.nav.board] as NavLink] : []),
        ...(person.role === 'coordinator' ? [['reports', '/reports', t.programmeReports.title] as NavLink] : []),
        ['programmes', '/programmes', t.nav.programmes],
        // A sponsor group's people keep its members and their checks (web/group.tsx).
        ...(person.organisationKind === 'sponsor_group' ? [['group', '/group', t.group.nav] as NavLink] : []),
        ['me', '/me', t.me.title],
        // Admins erase personal data and export the read log (web/erasure.tsx).
        ...(person.role === 'admin' ? [['admin', '/admin', t.erasure.nav] as NavLink] : []),
      ]
    : [];
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={t.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · SafeRoutes`}</title>
          <style>{raw(STYLE)}</style>
        </head>
        <body>
          <a class="skip" href="#main">{t.skip}</a>
          <header>
            <a class="brand" href="/">SafeRoutes</a>
            {links.length > 0 && <MainNav t={t} links={links} section={props.section} class="wide" />}
            <div class="who">
              <a href={`/language/${t.otherLanguage.code}?back=${encodeURIComponent(here.pathname + here.search)}`} lang={t.otherLanguage.code}>
                {t.otherLanguage.label}
              </a>
              {person && <span class="wide">{t.signedInAs(person.name)}</span>}
              {person && (
                <Form c={c} action="/sign-out" class="inline wide">
                  <button type="submit">{t.nav.signOut}</button>
                </Form>
              )}
            </div>
            {/*
              On a phone the navigation and the account fold into one "Menu" (a <details>: no script
              needed), so the header stays one row; only one of the two navigations is displayed at
              a time, and a hidden one is not in the accessibility tree.
            */}
            {person && (
              <details class="menu">
                <summary>{t.nav.menu}</summary>
                <div class="menu-panel">
                  {links.length > 0 && <MainNav t={t} links={links} section={props.section} />}
                  <p>{t.signedInAs(person.name)}</p>
                  <Form c={c} action="/sign-out" class="inline">
                    <button type="submit">{t.nav.signOut}</button>
                  </Form>
                </div>
              </details>
            )}
          </header>
          <main id="main" tabindex={-1}>
            {props.flash?.fields?.length ? (
              <ErrorSummary t={t} errors={props.flash.fields} intro={props.flash.text} />
            ) : (
              props.flash && (
                <div class={`flash ${props.flash.kind}`} role={props.flash.kind === 'error' ? 'alert' : 'status'}>
                  {props.flash.text}
                </div>
              )
            )}
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}
