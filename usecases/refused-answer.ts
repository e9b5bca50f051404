/**
 * The 409 of a refused action, for cases and programmes alike: problem+json with the English
 * `detail` callers have always read, plus the refusal's `code` and `params` (extension members)
 * for clients and for the pages, which word it in the reader's language. The answer is stored for
 * idempotent replay exactly as sent, so a retry gets the same body, byte for byte.
 */
import { refusalParams, type Refusal, type RefusalCode } from '../domain/refusal.js';
import { refusalText } from '../domain/refusal-text.js';
import type { RefusalReceived } from '../infra/temporal-errors.js';
import type { StoredAnswer } from './idempotency.js';
import { ProblemError } from './problem.js';

export const REFUSED_TITLE = 'Action refused';

export interface RefusedBody {
  title: typeof REFUSED_TITLE;
  detail: string;
  /** `unknown` when the workflow sent words only (a worker older than refusal codes). */
  code: RefusalCode | 'unknown';
  params: Record<string, unknown>;
}

/** The body of a refusal the workflow sent, or of one the use case says itself (the workflow is gone). */
export function refusedBody(received: RefusalReceived | Refusal): RefusedBody {
  if ('code' in received) return { title: REFUSED_TITLE, detail: refusalText(received), code: received.code, params: refusalParams(received) };
  const { refusal, text } = received;
  return { title: REFUSED_TITLE, detail: text, code: refusal?.code ?? 'unknown', params: refusal ? refusalParams(refusal) : {} };
}

/**
 * A stored answer other than 200, thrown as the caller gets it. Answers stored before refusals had
 * codes hold only `title` and `detail`: they replay as they were, without `code` and `params`.
 */
export function storedRefusal(answer: StoredAnswer): ProblemError {
  const p = answer.body as { title?: string; detail?: string; code?: unknown; params?: unknown };
  const extensions = p.code === undefined ? {} : { code: p.code, params: p.params ?? {} };
  return new ProblemError(answer.status as 409, p.title ?? REFUSED_TITLE, p.detail, extensions);
}
