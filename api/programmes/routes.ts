import { createRoute, z } from '@hono/zod-openapi';
import { PathwayTemplate, TimePolicy } from '../../domain/pathway.js';
import { problemResponse } from '../schemas.js';

export const CreateProgrammeBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    /** A built-in pathway id, or the programme's own template (validated here). */
    pathway: z.union([z.string().min(1).max(40), PathwayTemplate]),
    quota: z.number().int().min(0).max(100_000),
    coordinatorOrganisationId: z.uuid(),
    /** Every organisation that must sign the MoU (national, regional and local government, sponsors…). */
    mouSignatories: z.array(z.uuid()).min(1).max(50),
    mouTime: TimePolicy.default({ dueIn: '30 days', remindAt: ['14 days', '25 days'], escalateEvery: '7 days' }),
  })
  .openapi('CreateProgramme', {
    example: {
      name: 'Community sponsorship pilot Catalonia',
      pathway: 'community-sponsorship',
      quota: 10,
      coordinatorOrganisationId: '0b3f6a52-51a4-4f0e-9a61-3c3f0d0c1a01',
      mouSignatories: ['0b3f6a52-51a4-4f0e-9a61-3c3f0d0c1a01', '7d0e3c1b-6a59-4c38-8f0e-2d7b9a1e4c22'],
      mouTime: { dueIn: '30 days', remindAt: ['14 days', '25 days'], escalateEvery: '7 days' },
    },
  });

export const ProgrammeStateSchema = z
  .object({
    programmeId: z.uuid(),
    name: z.string(),
    pathwayId: z.string(),
    status: z.enum(['draft', 'negotiating', 'active', 'paused', 'closed']),
    quota: z.object({ total: z.number().int(), used: z.number().int(), reserved: z.number().int(), free: z.number().int(), waitlisted: z.number().int() }),
  })
  .passthrough()
  .openapi('ProgrammeState');

export const ProgrammeSchema = z.object({ id: z.uuid(), name: z.string(), workflowId: z.string(), state: ProgrammeStateSchema.nullable() }).openapi('Programme');


export const createProgrammeRoute = createRoute({
  method: 'post',
  path: '/v1/programmes',
  tags: ['programmes'],
  summary: 'Create a programme (draft) with its pathway template, quota and MoU signatories',
  request: { body: { required: true, content: { 'application/json': { schema: CreateProgrammeBody } } } },
  responses: {
    201: { description: 'The programme exists; its MoU can be published', content: { 'application/json': { schema: ProgrammeSchema } } },
    400: problemResponse('Invalid input, including an invalid template; `errors` names each field'),
    403: problemResponse('Only a coordinator of the coordinating organisation creates its programmes'),
    503: problemResponse('Temporal or PostgreSQL unavailable; nothing was created'),
  },
});

export const getProgrammeRoute = createRoute({
  method: 'get',
  path: '/v1/programmes/{id}',
  tags: ['programmes'],
  summary: "A programme with its workflow's live state: status, quota used/reserved/free, MoU",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: 'The programme', content: { 'application/json': { schema: ProgrammeSchema } } },
    404: problemResponse('No such programme'),
  },
});
