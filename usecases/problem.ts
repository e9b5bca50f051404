/**
 * An expected refusal or failure, with the HTTP status and words the doors show for it: the API
 * as problem+json, the pages as a message on the page.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    /** Seconds after which a retry may succeed (503). */
    readonly retryAfter?: number,
  ) {
    super(detail ?? title);
  }
}

/** A 400 naming one offending field, for checks that need the database (the rest is zod's). */
export function invalidInput(field: string, message: string): ProblemError {
  return new ProblemError(400, 'Invalid input', message, { errors: [{ field, message }] });
}
