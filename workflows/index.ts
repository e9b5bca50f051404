// The workflow bundle's entry point: every workflow type the worker runs.
export { caseWorkflow } from './case.js';
export { programmeWorkflow } from './programme.js';
export { bulkActionWorkflow } from './bulk.js';
export { digestWorkflow } from './digest.js';
export { alertsWorkflow } from './alerts.js';
export { retentionWorkflow } from './retention.js';
export { departureBatchWorkflow } from './departure-batch.js';
export { rosterDeliveryWorkflow } from './roster-delivery.js';
