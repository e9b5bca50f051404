/** Composes the HTTP app: middleware, one `route` per resource, OpenAPI document, errors. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { caseRoutes } from './cases/index.js';
import { programmeRoutes } from './programmes/index.js';
import type { ApiDeps } from './deps.js';
import { docsPage, type OpenApiDoc } from './docs.js';
import { onError } from './errors.js';
import { healthRoutes } from './health.js';
import { problem } from './problem.js';

const MAX_BODY_BYTES = 256 * 1024;

const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'SafeRoutes API',
    version: '0.1.0',
    description: 'Cases and programmes for safe and legal routes: every case is a durable workflow.',
  },
};

export function createApp(deps: ApiDeps) {
  const app = new OpenAPIHono();
  app.use(requestId());
  app.use(
    '/v1/*',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => problem(c, 413, 'Request body too large', `The limit is ${MAX_BODY_BYTES} bytes.`) }),
  );
  app.route('/', healthRoutes(deps));
  app.route('/', caseRoutes(deps));
  app.route('/', programmeRoutes(deps));

  app.doc31('/openapi.json', OPENAPI_INFO);
  app.get('/docs', (c) => c.html(docsPage(app.getOpenAPI31Document(OPENAPI_INFO) as OpenApiDoc)));

  app.notFound((c) => problem(c, 404, 'Not found', `No route for ${c.req.method} ${c.req.path}`));
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
