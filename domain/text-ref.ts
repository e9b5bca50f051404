/**
 * Free text a person writes — a reason, a comment, a note — is personal and stays in PostgreSQL
 * (table `texts`). Workflows, their history and the timeline carry only its id.
 */
export type TextRef = string;

/** Keeps the newest `max` entries of a list that would otherwise grow with every action. */
export function keepLast<T>(list: T[], max: number): void {
  if (list.length > max) list.splice(0, list.length - max);
}
