/**
 * The shape of a refusal's words in one language: a function for every refusal code of the rules
 * (domain/refusal.ts), so a code without words in English or Dutch does not compile, and
 * test/web/refusal-words.test.ts fails for one that slips through at run time.
 */
import type { RefusalCode, RefusalParams } from '../../domain/refusal.js';

/** What the words may look up on the page that shows them: never an id, always a title. */
export interface RefusalLookups {
  /** A step of the case, by its gate id: its title in the reader's language; undefined when unknown here. */
  step(gateId: string): string | undefined;
  /** A stage of the case, by its id: its title in the reader's language; undefined when unknown here. */
  stage(stageId: string): string | undefined;
  /** An ISO instant, as the pages write a date and time (web/dates.ts). */
  date(iso: string): string;
}

export type RefusalWords = { [C in RefusalCode]: (params: RefusalParams<C>, lookups: RefusalLookups) => string };
