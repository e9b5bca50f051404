/**
 * The error answers the API documents, declared once: every route spreads `v1Errors` or
 * `v1BodyErrors` and adds the refusals its own use case gives (403, 404, 409) with `problemResponse`.
 */
import { z } from '@hono/zod-openapi';
// The action routes document the use cases' own body schemas; this gives them their examples.

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    // Extension members of a refused action (409): the refusal itself, for a client to word it.
    code: z.string().optional().openapi({
      description: 'For a refused action (409): what kind of refusal it is, stable across releases (e.g. `not-your-turn`, `gate-not-open`); `unknown` when only `detail` is known',
      example: 'gate-not-open',
    }),
    params: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .optional()
      .openapi({ description: 'For a refused action (409): what the refusal concerns, by name (ids, ISO 8601 instants, numbers)', example: { gateId: 'housing', stageId: 'agreement' } }),
  })
  .openapi('Problem', {
    example: { type: 'about:blank', title: 'Invalid input', status: 400, detail: '1 field(s) are invalid', instance: '/v1/cases', errors: [{ field: 'reference', message: 'Too small: expected string to have >=1 characters' }] },
  });

/** An example answer: what the API really says for this status (the schema's own example is a 400). */
type ProblemExample = { status: number; title: string; detail?: string; errors?: { field: string; message: string }[]; code?: string; params?: Record<string, string | number> };

export const problemResponse = (description: string, example?: ProblemExample) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema, ...(example ? { example: { type: 'about:blank', ...example } } : {}) } },
});

const RetryAfter = z.object({ 'Retry-After': z.string().openapi({ description: 'Seconds to wait before retrying', example: '5' }) });

/** 503 of a read, or of a change that is refused before anything is sent on: nothing happened. */
export const unavailableResponse = {
  ...problemResponse('PostgreSQL or Temporal cannot be reached, so nothing was read or changed. `Retry-After` says when to try again.', {
    status: 503,
    title: 'PostgreSQL is unavailable',
    detail: 'A service SafeRoutes depends on cannot be reached. Nothing was changed; try again shortly.',
  }),
  headers: RetryAfter,
};

/** 503 of a change whose outcome may not be known yet (usecases/updates.ts). */
export const changeUnavailableResponse = {
  ...problemResponse(
    'A service is unavailable or the outcome is not known yet. `Retry-After` says when to try again; `detail` says whether the change may still apply. With the same Idempotency-Key a retry never applies it twice.',
    {
      status: 503,
      title: 'Outcome not known yet',
      detail: 'SafeRoutes could not confirm the action in time; it may still be applied. Send the same request again with the same Idempotency-Key: it will not be applied twice.',
    },
  ),
  headers: RetryAfter,
};

const unauthorisedResponse = {
  ...problemResponse('No valid API token: none was sent, or it is unknown or revoked', { status: 401, title: 'Invalid token', detail: 'The token is unknown or was revoked.' }),
  headers: z.object({ 'WWW-Authenticate': z.string().openapi({ description: 'Says that a bearer token is needed, and whether the one sent was refused', example: 'Bearer error="invalid_token"' }) }),
};

/**
 * What any /v1 route can answer besides its own refusals: 401 and 503 from the token check, which
 * runs first and reads PostgreSQL (api/auth.ts); 400 when the path, query, headers or body fail
 * validation (api/validation.ts) — `invalid` says what this route checks — or hold text that cannot
 * be stored, which is refused on every route (api/unstorable-text.ts).
 */
export const v1Errors = (invalid: string, unavailable: typeof unavailableResponse = unavailableResponse) => ({
  400: problemResponse(`${invalid}; \`errors\` names each offending field`, {
    status: 400,
    title: 'Invalid input',
    detail: '1 field(s) are invalid',
    errors: [{ field: 'id', message: 'Invalid UUID' }],
  }),
  401: unauthorisedResponse,
  503: unavailable,
});

/** `v1Errors` of a route that takes a JSON body: the size limit and the media-type check come first (api/app.ts). */
export const v1BodyErrors = (invalid: string, unavailable: typeof unavailableResponse = unavailableResponse) => ({
  ...v1Errors(invalid, unavailable),
  413: problemResponse('The request body is larger than 256 KiB', { status: 413, title: 'Request body too large', detail: 'The limit is 262144 bytes.' }),
  415: problemResponse('The request body is not sent as `application/json`', { status: 415, title: 'Unsupported media type', detail: 'Send the request body as application/json.' }),
});

/** The 409 of every request that takes an Idempotency-Key (usecases/idempotency.ts). */
export const KEY_REUSED = 'the Idempotency-Key was used before with another request';

/** 404 of a case or programme the caller's organisation takes no part in, or that does not exist (usecases/scope.ts). */
export const notVisible = (what: 'case' | 'programme') =>
  problemResponse(`No such ${what} visible to you`, { status: 404, title: what === 'case' ? 'Case not found' : 'Programme not found', detail: `No ${what} with this id is visible to you.` });

/** The answers of every action route (a case's or a programme's), `state` being what it answers on success. */
export const actionResponses = (what: 'case' | 'programme', state: z.ZodType) => ({
  200: { description: `Applied: the new ${what} state (the same answer again for a retry with the same Idempotency-Key)`, content: { 'application/json': { schema: state } } },
  ...v1BodyErrors('Invalid path parameter, Idempotency-Key or body', changeUnavailableResponse),
  404: notVisible(what),
  409: problemResponse(`Refused in the ${what}'s current state (\`detail\` says why in English; \`code\` and \`params\` say it for you to word), or ${KEY_REUSED}`, {
    status: 409,
    title: 'Action refused',
    ...(what === 'case'
      ? { detail: 'gate "housing" is not open: the case is in stage "agreement"', code: 'gate-not-open', params: { gateId: 'housing', stageId: 'agreement' } }
      : { detail: 'only an active programme can be paused; it is negotiating', code: 'programme-not-active', params: { status: 'negotiating' } }),
  }),
});
