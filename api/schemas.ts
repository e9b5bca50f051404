import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem', {
    example: { type: 'about:blank', title: 'Invalid input', status: 400, errors: [{ field: 'reference', message: 'Too small: expected string to have >=1 characters' }] },
  });

export const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });

/** 503: sent with `Retry-After`; `detail` says whether the action may still apply and whether a retry is safe. */
export const unavailableResponse = {
  ...problemResponse(
    'A service is unavailable or the outcome is not known yet. `Retry-After` says when to try again; `detail` says whether the action may still apply. With the same Idempotency-Key a retry never applies it twice.',
  ),
  headers: z.object({ 'Retry-After': z.string().openapi({ description: 'Seconds to wait before retrying', example: '5' }) }),
};

/** The answers of every action route (a case's or a programme's), `state` being what it answers on success. */
export const actionResponses = (what: 'case' | 'programme', state: z.ZodType) => ({
  200: { description: `Applied: the new ${what} state (the same answer again for a retry with the same Idempotency-Key)`, content: { 'application/json': { schema: state } } },
  400: problemResponse('Invalid input; `errors` names each field'),
  401: problemResponse('No valid API token'),
  404: problemResponse(`No such ${what} visible to you`),
  409: problemResponse('Refused in the current state (`detail` says why), or the Idempotency-Key was used for another request'),
  413: problemResponse('Request body too large'),
  415: problemResponse('The body is not JSON'),
  503: unavailableResponse,
});
