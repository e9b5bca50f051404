/** Coordinators' reports per programme and pathway, as JSON: a thin route onto usecases/programme-reports.ts (the reports page shows the same). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { OrganisationKind } from '../domain/organisation.js';
import { programmeReport, ReportQuery, TREND_WEEKS } from '../usecases/programme-reports.js';
import type { AuthEnv } from './auth.js';
import type { ApiDeps } from './deps.js';
import { notVisible, problemResponse, v1Errors } from './schemas.js';
import { validationHook } from './validation.js';

const Duration = z
  .object({
    pathwayId: z.string(),
    id: z.string().openapi({ description: "The step's (or stage's) id in its pathway" }),
    title: z.string().openapi({ description: "Its title in the pathway's template" }),
    count: z.number().int().openapi({ description: 'How many closed (completed) in the period' }),
    medianDays: z.number().openapi({ description: 'Median days from opening (entering) to closing (completing), to a tenth; time on hold included' }),
    p90Days: z.number().openapi({ description: '90th percentile of the same, interpolated' }),
  })
  .openapi('ReportDuration', { example: { pathwayId: 'community-sponsorship', id: 'housing', title: 'Housing offer', count: 12, medianDays: 18.5, p90Days: 41 } });

const Report = z
  .object({
    period: z.object({ from: z.string(), to: z.string() }).openapi({ description: 'The days covered (UTC), both included' }),
    programme: z.object({ id: z.uuid(), name: z.string(), quota: z.number().int() }).nullable(),
    pathwayId: z.string().nullable(),
    steps: z.array(Duration).openapi({ description: 'Time per step closed in the period (approved, rejected, completed, offer accepted, agreement executed), in pathway order. Check-in steps are left out: they last the support period' }),
    stages: z.array(Duration).openapi({ description: 'Time per stage completed in the period' }),
    waitingNow: z.array(z.object({ partyKind: OrganisationKind, steps: z.number().int(), overdue: z.number().int() })).openapi({ description: 'Open steps now by the kind of organisation whose turn it is (a step waiting on two counts for both), cases on hold left out' }),
    overdueTrend: z.array(z.object({ weekEnding: z.string(), overdue: z.number().int() })).openapi({ description: `Steps overdue at the end of each of the last ${TREND_WEEKS} weeks of the period (not later than now), rebuilt from the timeline; held or paused cases and check-in steps left out` }),
    arrivals: z.object({
      quota: z.number().int().nullable().openapi({ description: "The programme's places; null without `programmeId`" }),
      before: z.number().int().openapi({ description: 'Arrivals before the period' }),
      months: z.array(z.object({ month: z.string().openapi({ example: '2027-03' }), arrivals: z.number().int(), cumulative: z.number().int().openapi({ description: 'Arrivals up to the end of this month, since the start' }) })),
    }),
    checkins: z.object({ onTime: z.number().int(), late: z.number().int(), missing: z.number().int(), open: z.number().int() }).openapi({ description: 'Check-in reports that fell due in the period: sent in time, sent after their deadline, missing after their deadline, not yet at their deadline' }),
    choices: z.object({
      programmes: z.array(z.object({ id: z.uuid(), name: z.string(), pathwayId: z.string() })),
      pathways: z.array(z.object({ id: z.string(), name: z.string() })),
    }).openapi({ description: 'What the filter can choose from: the programmes you coordinate, and the pathways' }),
  })
  .openapi('ProgrammeReport');

const reportRoute = createRoute({
  method: 'get', path: '/v1/reports', tags: ['boards'],
  summary: 'Coordinators: how long steps and stages take, whose turn the open steps are, the overdue trend, arrivals against places and check-in completion — over the cases you coordinate, per programme and pathway',
  request: { query: ReportQuery },
  responses: {
    200: { description: 'The report: counts and durations only, nothing personal', content: { 'application/json': { schema: Report } } },
    ...v1Errors('Invalid filter or period'),
    403: problemResponse('Only coordinators have reports', { status: 403, title: 'Coordinators only', detail: 'Reports are for coordinators.' }),
    404: notVisible('programme'),
  },
});

export function reportRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(reportRoute, async (c) => c.json(await programmeReport(deps.sql, c.get('caller'), c.req.valid('query')), 200));
  return app;
}
