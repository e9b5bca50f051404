/**
 * The web pages, served by the API's process from the same functions as the API. Middleware is
 * bound to the pages' own paths so that API requests never get cookies or HTML.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import type { DoorDeps } from '../usecases/deps.js';
import { isUnavailable } from '../infra/unavailable.js';
import { ProblemError } from '../usecases/problem.js';
import { boardPage } from './board.js';
import { bulkPages } from './bulk.js';
import { departureBatchPages } from './departure-batches.js';
import { casePages } from './cases.js';
import { personOf, type WebContext, type WebEnv } from './env.js';
import { toActionsPage } from './actions.js';
import { attachmentPages, UPLOAD_FORM_PATH } from './attachments.js';
import { MAX_FILE_BYTES } from '../usecases/file-types.js';
import { checkForm, ControlCharacterInForm, FormForgery, requireSignIn, visitor } from './guard.js';
import { inboxPage } from './inbox.js';
import { newCasePages } from './new-case.js';
import { BadLink, ControlCharacters, Forbidden, FormExpired, NotFound, prepareErrorPage, ServerError, TooLarge, Unavailable } from './problems.js';
import { programmePages } from './programmes.js';
import { programmeAlertPages } from './programme-alerts.js';
import { savedViewPages } from './saved-views.js';
import { reportPages } from './report-pages.js';
import { mePages } from './me.js';
import { checkinReportPages } from './checkin-reports.js';
import { groupPages } from './group.js';
import { erasurePages } from './erasure.js';
import { signInRoutes } from './sign-in.js';
import { log } from '../infra/logger.js';

// `/x/*` also matches `/x` itself: each page path is bound once, so its middleware runs once.
const PUBLIC_PATHS = ['/sign-in/*', '/sign-out', '/language/*'];
const SIGNED_IN_PATHS = ['/', '/cases/*', '/inbox', '/board/*', '/programmes/*', '/reports', '/views/*', '/bulk-actions/*', '/departure-batches/*', '/me/*', '/admin/*', '/group/*'];
const MAX_FORM_BYTES = 256 * 1024;
const [formLimit, uploadLimit] = [bodyLimit({ maxSize: MAX_FORM_BYTES }), bodyLimit({ maxSize: MAX_FILE_BYTES + 64 * 1024 })];
/** A form's body is at most 256 KiB; only the case page's file upload may carry a file of up to 10 MiB. */
const limitBody: MiddlewareHandler = (c, next) => (c.req.method === 'POST' && UPLOAD_FORM_PATH.test(c.req.path) ? uploadLimit : formLimit)(c, next);

function onPageError(error: Error, c: WebContext): Response | Promise<Response> {
  prepareErrorPage(c);
  if (error instanceof FormForgery) return FormExpired(c);
  if (error instanceof ControlCharacterInForm) return ControlCharacters(c);
  if (error instanceof HTTPException && error.status === 413) return TooLarge(c);
  if (error instanceof ProblemError) {
    if (error.status === 404) return NotFound(c);
    if (error.status === 403) return Forbidden(c);
    if (error.status === 400) return BadLink(c);
  }
  if (error instanceof ZodError) return BadLink(c);
  if (isUnavailable(error) || (error instanceof ProblemError && error.status === 503)) return Unavailable(c);
  // The error type only: messages can carry personal data from the request.
  // The type and where it was thrown: messages can carry what was typed into a form.
  log.error({ component: 'web', type: error.name, at: error.stack?.split('\n')[1]?.trim(), method: c.req.method, route: c.req.routePath }, 'unexpected error');
  return ServerError(c);
}

export function webPages(deps: DoorDeps) {
  const app = new Hono<WebEnv>();
  for (const path of [...PUBLIC_PATHS, ...SIGNED_IN_PATHS]) {
    app.use(path, limitBody, visitor(deps.sql, deps.config.publicUrl));
  }
  for (const path of SIGNED_IN_PATHS) app.use(path, requireSignIn);
  for (const path of [...PUBLIC_PATHS, ...SIGNED_IN_PATHS]) app.use(path, checkForm);

  app.get('/', (c) => c.redirect(personOf(c).role === 'coordinator' ? '/board' : personOf(c).role === 'admin' ? '/admin' : '/inbox', 303));
  app.get('/cases/:id/actions/:type', toActionsPage);
  app.get('/programmes/:id/actions/:type', toActionsPage);
  app.route('/', signInRoutes(deps));
  // Before the case pages: `/cases/new` is not a case's id.
  app.route('/', newCasePages(deps));
  // Before the case pages: `/cases/export.csv` is not a case's id.
  app.route('/', savedViewPages(deps));
  app.route('/', casePages(deps));
  app.route('/', attachmentPages(deps));
  app.route('/', checkinReportPages(deps));
  app.route('/', inboxPage(deps));
  app.route('/', boardPage(deps));
  app.route('/', bulkPages(deps));
  app.route('/', programmeAlertPages(deps));
  app.route('/', departureBatchPages(deps));
  app.route('/', programmePages(deps));
  app.route('/', reportPages(deps));
  app.route('/', mePages(deps));
  app.route('/', groupPages(deps));
  app.route('/', erasurePages(deps));
  app.onError(onPageError);
  return app;
}
