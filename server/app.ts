/**
 * The HTTP app of the API process: the API (api/) and the web pages (web/), two doors onto the same
 * use cases, put side by side here so that neither knows the other. What no door answers is a 404
 * in the asker's terms: a page for a person's browser, problem+json for an API client.
 */
import { apiApp } from '../api/app.js';
import type { ApiDeps } from '../api/deps.js';
import { onError } from '../api/errors.js';
import { problem } from '../api/problem.js';
import { pageNotFound } from '../web/problems.js';
import { webPages } from '../web/routes.js';

export function createApp(deps: ApiDeps) {
  const app = apiApp(deps);
  app.route('/', webPages(deps));
  app.notFound((c) =>
    !c.req.path.startsWith('/v1/') && c.req.header('accept')?.includes('text/html')
      ? pageNotFound(c as never)
      : problem(c, 404, 'Not found', `No route for ${c.req.method} ${c.req.path}`),
  );
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
