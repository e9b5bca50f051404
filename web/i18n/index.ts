/**
 * Every text of the pages, in English and Dutch. A person sees their own language (from their
 * profile) unless they switch; someone not signed in gets their browser's preference.
 */
import type { Language } from '../../domain/organisation.js';
import { en, type Messages } from './en.js';
import { nl } from './nl.js';

export type { Messages };

export const MESSAGES: Record<Language, Messages> = { en, nl };

/** The language of someone not signed in, from the browser's Accept-Language. */
export function preferredLanguage(acceptLanguage: string | undefined): Language {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'nl' || tag === 'en') return tag;
  }
  return 'en';
}

/** A title from a pathway template in the reader's language, when the built-in pathways have it. */
export const localTitle = (t: Messages, title: string): string => t.titles[title] ?? title;

export const isLanguage = (value: unknown): value is Language => value === 'en' || value === 'nl';
