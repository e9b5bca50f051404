/** The API's door: middleware, one `route` per resource, health, the codec, the OpenAPI document and its reference page. server/app.ts puts it beside the pages. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { registerDatabaseGauges } from '../infra/database-gauges.js';
import { adminRoutes } from './admin/index.js';
import { erasureRoutes } from './admin/erasure.js';
import { requireToken } from './auth.js';
import { codecRoutes } from './codec.js';
import { boardRoutes } from './board/index.js';
import { bulkRoutes } from './bulk.js';
import { departureBatchRoutes } from './departure-batches.js';
import { caseActionRoutes } from './cases/actions.js';
import { attachmentRoutes, isUpload, MAX_UPLOAD_BODY_BYTES } from './cases/attachments.js';
import { agreementPdfRoutes } from './agreement-pdfs.js';
import { caseRoutes } from './cases/index.js';
import { caseReportRoutes } from './cases/reports.js';
import { similarCaseRoutes } from './cases/similar.js';
import { programmeActionRoutes } from './programmes/actions.js';
import { programmeRoutes } from './programmes/index.js';
import { alertRoutes } from './alerts.js';
import { reportRoutes } from './reports.js';
import type { ApiDeps } from './deps.js';
import { docsRoutes } from './docs.js';
import { exportRoutes } from './export.js';
import { viewRoutes } from './views.js';
import { groupMemberRoutes } from './group-members.js';
import { meRoutes } from './me.js';
import { refuseUnstorableText } from './unstorable-text.js';
import { healthRoutes } from './health.js';
import { metricsRoutes } from './metrics.js';
import { requestLog } from './request-log.js';
import { problem } from './problem.js';

const MAX_BODY_BYTES = 256 * 1024;

const OPENAPI_INFO = {
  openapi: '3.1.0',
  security: [{ bearerToken: [] }],
  info: {
    title: 'SafeRoutes API',
    version: '0.1.0',
    description: 'Cases and programmes for safe and legal routes: every case is a durable workflow.',
  },
};

/** 415 for a request body that is not JSON: every /v1 body is, but a file upload's (its route checks its own). */
const requireJsonBody: MiddlewareHandler = async (c, next) => {
  const type = c.req.header('content-type');
  if (['POST', 'PUT', 'PATCH'].includes(c.req.method) && type && !isUpload(c) && !/^application\/(.+\+)?json\b/i.test(type)) {
    return problem(c, 415, 'Unsupported media type', 'Send the request body as application/json.');
  }
  await next();
};

export function apiApp(deps: ApiDeps) {
  const app = new OpenAPIHono();
  app.use(requestId());
  app.use(requestLog);
  const limit = (maxSize: number) => bodyLimit({ maxSize, onError: (c) => problem(c, 413, 'Request body too large', `The limit is ${maxSize} bytes.`) });
  const [jsonLimit, uploadLimit] = [limit(MAX_BODY_BYTES), limit(MAX_UPLOAD_BODY_BYTES)];
  // A file upload is the one body allowed past 256 KiB.
  app.use('/v1/*', (c, next) => (isUpload(c) ? uploadLimit : jsonLimit)(c, next));
  app.use('/v1/*', requireJsonBody);
  app.use('/v1/*', requireToken(deps.sql));
  app.use('/v1/*', refuseUnstorableText);
  app.route('/', healthRoutes(deps));
  registerDatabaseGauges(deps.sql);
  app.route('/', metricsRoutes(deps.metricsToken));
  if (deps.uiCodec) app.route('/', codecRoutes(deps.sql, deps.uiCodec));
  // Before the case routes: `/v1/cases/export.csv` is not a case's id.
  app.route('/', exportRoutes(deps));
  app.route('/', viewRoutes(deps));
  app.route('/', meRoutes(deps));
  app.route('/', groupMemberRoutes(deps));
  app.route('/', caseRoutes(deps));
  app.route('/', caseReportRoutes(deps));
  app.route('/', similarCaseRoutes(deps));
  app.route('/', caseActionRoutes(deps));
  app.route('/', attachmentRoutes(deps));
  app.route('/', agreementPdfRoutes(deps));
  app.route('/', programmeRoutes(deps));
  app.route('/', alertRoutes(deps));
  app.route('/', programmeActionRoutes(deps));
  app.route('/', boardRoutes(deps));
  app.route('/', bulkRoutes(deps));
  app.route('/', departureBatchRoutes(deps));
  app.route('/', reportRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.route('/', erasureRoutes(deps));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token from an admin (`POST /v1/people/{id}/tokens`) or `npm run token`.',
  });

  app.doc31('/openapi.json', OPENAPI_INFO);
  app.route('/', docsRoutes());
  return app;
}
