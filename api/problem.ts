/** RFC 9457 problem details: every error the API returns has this shape, never a stack trace. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** For 400: each offending field and what is wrong with it. */
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export function problem(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  detail?: string,
  extensions: Record<string, unknown> = {},
): Response {
  const body: Problem = { type: 'about:blank', title, status, ...(detail ? { detail } : {}), instance: c.req.path, ...extensions };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}
