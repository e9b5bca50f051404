// The workflow bundle's entry point: every workflow type the worker runs.
export { caseWorkflow } from './case.js';
export { programmeWorkflow } from './programme.js';
