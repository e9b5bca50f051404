/** A turn's instruction in the reader's language: "Make a housing offer", "Send report 2 of 4". */
import type { TodoCode } from '../domain/case-turn.js';
import { localTitle, type Messages } from './i18n/index.js';

export interface TodoWords {
  todo: TodoCode | null;
  params: Record<string, unknown>;
  /** The step's title: named by it when the template gives no instruction (or the row predates turns). */
  title: string;
}

export function todoText(t: Messages, { todo, params, title }: TodoWords): string {
  const step = localTitle(t, title);
  const text = typeof params.text === 'string' ? localTitle(t, params.text) : undefined;
  switch (todo) {
    case 'decide':
      return text ?? t.todo.decide(step);
    case 'complete':
      return text ?? t.todo.complete(step);
    case 'make-offer':
      return t.todo.makeOffer;
    case 'answer-offer':
      return t.todo.answerOffer;
    case 'choose-another':
      return t.todo.chooseAnother;
    case 'publish-agreement':
      return t.todo.publishAgreement;
    case 'sign-agreement':
      return t.todo.signAgreement(Number(params.version));
    case 'send-report':
      return t.todo.sendReport(Number(params.report), Number(params.of));
    case 'propose-match':
      return t.todo.proposeMatch;
    case 'answer-match':
      return t.todo.answerMatch;
    case 'meet-group-requirements':
      return t.todo.meetGroupRequirements(Number(params.missing));
    case null:
      return step;
  }
}
