/** Agreement and MoU versions: the text stays in PostgreSQL; the workflow gets title, url and hash. */
import { createHash } from 'node:crypto';
// zod with OpenAPI metadata: the API documents these very schemas.
import { z } from '@hono/zod-openapi';
import type { AgreementDocument } from '../domain/agreement.js';
import type { Queryable } from '../infra/db.js';

export const DocumentBody = z
  .object({ title: z.string().trim().min(1).max(200), url: z.url({ protocol: /^https?$/ }).optional(), text: z.string().min(1).max(200_000).optional() })
  .refine((d) => d.url || d.text, 'give the text or a url of the document');

/** Stores a version under `id` (derived from the request, so a retry stores it once). */
export async function storeDocument(sql: Queryable, id: string, owner: { caseId?: string; programmeId?: string }, d: z.infer<typeof DocumentBody>): Promise<AgreementDocument> {
  const contentHash = createHash('sha256').update(d.text ?? d.url ?? '').digest('hex');
  await sql`
    INSERT INTO agreement_documents (id, case_id, programme_id, title, url, body, content_hash)
    VALUES (${id}, ${owner.caseId ?? null}, ${owner.programmeId ?? null}, ${d.title}, ${d.url ?? null}, ${d.text ?? null}, ${contentHash})
    ON CONFLICT (id) DO NOTHING`;
  return { title: d.title, url: d.url, contentHash };
}
