/** Which update is this, and was it applied before (perhaps in an earlier run of the workflow)? */
import { currentUpdateInfo } from '@temporalio/workflow';
import { REMEMBERED_UPDATES } from '../domain/case-model.js';
import { keepLast } from '../domain/text-ref.js';

export function updateId(): string {
  const info = currentUpdateInfo();
  if (!info) throw new TypeError('updateId() called outside an update');
  return info.id;
}

/** Records an applied update id in `recent` (bounded), so a repeat is answered without applying it again. */
export function rememberUpdate(recent: string[], id: string): void {
  recent.push(id);
  keepLast(recent, REMEMBERED_UPDATES);
}
