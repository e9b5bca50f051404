/**
 * An action a workflow's update validator refuses: nothing enters history (a rejected update
 * leaves no event), and the refusal goes back to the caller — its English words as the failure's
 * message (what older clients read) and the refusal itself, plain JSON, as its one detail.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { Refusal } from '../domain/refusal.js';
import { refusalText } from '../domain/refusal-text.js';
import { wellFormed } from '../domain/unicode.js';

export function refused(refusal: Refusal): ApplicationFailure {
  // A refusal may quote what the caller sent (an unknown gate id); a failure must be valid UTF-8.
  const mended = Object.fromEntries(Object.entries(refusal).map(([k, v]) => [k, typeof v === 'string' ? wellFormed(v) : v])) as Refusal;
  return ApplicationFailure.create({ type: 'ActionRefused', message: refusalText(mended), details: [mended], nonRetryable: true });
}
