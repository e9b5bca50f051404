/** An action a workflow's update validator refuses: nothing enters history, the reason goes back to the caller. */
import { ApplicationFailure } from '@temporalio/workflow';
import { wellFormed } from '../domain/unicode.js';

export function refused(reason: string): ApplicationFailure {
  // The reason may quote what the caller sent (an unknown gate id); a failure message must be valid UTF-8.
  return ApplicationFailure.create({ type: 'ActionRefused', message: wellFormed(reason), nonRetryable: true });
}
