/**
 * The rules' refusals in the English words the API sends as `detail`: the domain tests assert
 * these sentences, so a change of wording that callers read shows there. (Codes and parameters are
 * what the rules return; test/domain/refusal.test.ts and test/web/refusal-words.test.ts hold those.)
 */
import * as agreement from '../../domain/agreement.js';
import * as caseActions from '../../domain/case-actions.js';
import * as programme from '../../domain/programme.js';
import type { Refusal } from '../../domain/refusal.js';
import { refusalText } from '../../domain/refusal-text.js';

const words = (refusal: Refusal | undefined): string | undefined => refusal && refusalText(refusal);

export const refuseAction = (...args: Parameters<typeof caseActions.refuseAction>) => words(caseActions.refuseAction(...args));
export const refuseProgrammeAction = (...args: Parameters<typeof programme.refuseProgrammeAction>) => words(programme.refuseProgrammeAction(...args));
export const refuseSign = (...args: Parameters<typeof agreement.refuseSign>) => words(agreement.refuseSign(...args));
export const refusePublish = (...args: Parameters<typeof agreement.refusePublish>) => words(agreement.refusePublish(...args));
