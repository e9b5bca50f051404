import type { Hook } from '@hono/zod-openapi';
import { problem } from './problem.js';

/** Turns a failed zod validation into a 400 problem naming each offending field. */
export const validationHook: Hook<unknown, any, any, unknown> = (result, c) => {
  if (result.success) return;
  const errors = result.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.join('.') : '(body)',
    message: issue.message,
  }));
  return problem(c, 400, 'Invalid input', `${errors.length} field(s) are invalid`, { errors });
};
