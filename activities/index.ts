/** All activities, built from real dependencies by the worker (and by tests). */
import type { Client } from '@temporalio/client';
import type { Sql } from '../infra/db.js';
import { createBulkActivities } from './bulk.js';
import { createAlertActivities } from './alerts.js';
import { createDigestActivities } from './digest.js';
import { createDepartureBatchActivities } from './departure-batches.js';
import { createGroupRequirementActivities } from './group-requirements.js';
import { createProgrammeLinkActivities } from './programme-link.js';
import { createProjectionActivities } from './projection.js';
import { createRetentionActivities } from './retention.js';
import { createRosterDeliveryActivities } from './roster-delivery.js';

export interface ActivityDeps {
  sql: Sql;
  /** For the messages between a case and its programme (updates sent from activities). */
  temporal: Client;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createProjectionActivities(deps),
    ...createProgrammeLinkActivities(deps),
    ...createBulkActivities(deps),
    ...createDigestActivities(deps),
    ...createAlertActivities(deps),
    ...createGroupRequirementActivities(deps),
    ...createRetentionActivities(deps),
    ...createRosterDeliveryActivities(deps),
    ...createDepartureBatchActivities(deps),
  };
}
