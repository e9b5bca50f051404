/**
 * The contract between workflows, worker and API: task queue, workflow ids, messages, state types
 * and search attributes. Imported by both sides; nothing here may touch Node or I/O.
 */
import { defineQuery } from '@temporalio/workflow';
import { defineSearchAttributeKey, type Duration } from '@temporalio/common';


/** The one task queue every SafeRoutes workflow and activity runs on. */
export const TASK_QUEUE = 'saferoutes';

export const caseWorkflowId = (caseId: string): string => `case:${caseId}`;

/** Workflow input: ids and non-personal facts only. */
export interface CaseWorkflowInput {
  caseId: string;
  /** When the sponsor group is reminded if the referral has not moved on. */
  referralReminderAfter: Duration;
}

export type CaseStatus = 'open' | 'closed';

/** What the case workflow knows at this moment; returned by `caseStateQuery`. */
export interface CaseState {
  caseId: string;
  status: CaseStatus;
  stage: string;
  openedAt: string;
  remindersSent: number;
  /** Grows with every change; the projection keeps only the newest. */
  version: number;
}

export const caseStateQuery = defineQuery<CaseState>('caseState');

/** Search attributes operators filter on in the Temporal Web UI. */
export const searchAttributes = {
  stage: defineSearchAttributeKey('Stage', 'KEYWORD'),
  waitingOn: defineSearchAttributeKey('WaitingOn', 'KEYWORD_LIST'),
  stuck: defineSearchAttributeKey('Stuck', 'BOOL'),
  programmeId: defineSearchAttributeKey('ProgrammeId', 'KEYWORD'),
} as const;
