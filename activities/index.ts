/** All activities, built from real dependencies by the worker (and by tests). */
import { createNotifyActivities, type NotifyDeps } from './notify.js';
import { createProjectionActivities } from './projection.js';

export type ActivityDeps = NotifyDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createProjectionActivities(deps),
    ...createNotifyActivities(deps),
  };
}
