/** Error pages in plain words: what happened and what the person can do next. */
import type { WebContext } from './env.js';
import { MESSAGES, preferredLanguage } from './i18n/index.js';
import { Page } from './layout.js';

function ErrorPage(c: WebContext, status: 400 | 403 | 404 | 413 | 500 | 503, title: string, text: string) {
  const t = c.get('t');
  return c.html(
    <Page c={c} title={title}>
      <h1>{title}</h1>
      <p role="alert">{text}</p>
      <p>
        <a href="/">{t.errors.back}</a>
      </p>
    </Page>,
    status,
  );
}

export const NotFound = (c: WebContext) => ErrorPage(c, 404, c.get('t').errors.notFoundTitle, c.get('t').errors.notFound);
export const Forbidden = (c: WebContext) => ErrorPage(c, 403, c.get('t').errors.forbiddenTitle, c.get('t').errors.forbidden);
export const FormExpired = (c: WebContext) => ErrorPage(c, 403, c.get('t').errors.serverTitle, c.get('t').errors.csrf);
export const Unavailable = (c: WebContext) => {
  c.header('Retry-After', '5');
  return ErrorPage(c, 503, c.get('t').errors.serverTitle, c.get('t').errors.unavailable);
};
export const BadLink = (c: WebContext) => ErrorPage(c, 400, c.get('t').errors.badLinkTitle, c.get('t').errors.badLink);
export const ControlCharacters = (c: WebContext) => ErrorPage(c, 400, c.get('t').errors.serverTitle, c.get('t').errors.controlCharacters);
export const TooLarge = (c: WebContext) => ErrorPage(c, 413, c.get('t').errors.serverTitle, c.get('t').errors.tooLarge);
export const ServerError = (c: WebContext) => ErrorPage(c, 500, c.get('t').errors.serverTitle, c.get('t').errors.server);

/** An error can come before the page context was set (a database that is down): fill it in. */
export function prepareErrorPage(c: WebContext): void {
  if (!c.get('t')) {
    const lang = preferredLanguage(c.req.header('accept-language'));
    c.set('lang', lang);
    c.set('t', MESSAGES[lang]);
  }
  if (!c.get('csrf')) c.set('csrf', '');
}

/** For paths outside the API that match no page: a page, not JSON, for a person's browser. */
export function pageNotFound(c: WebContext): Response | Promise<Response> {
  prepareErrorPage(c);
  c.set('person', undefined);
  return NotFound(c);
}
