import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';

/** The optional header every changing POST takes. */
export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .openapi({
      description:
        'Any unique string (a UUID is ideal) per request you mean once. A retry with the same key and body gets the first answer again and is never applied twice; the same key with another body is refused (409). Keys are kept 7 days.',
      example: '8f1c2a57-3f0e-4b8e-9a34-5f3b2f0c7d11',
    }),
});

export const idempotencyKeyOf = (c: Context): string | undefined => c.req.header('idempotency-key') || undefined;
