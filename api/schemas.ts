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
