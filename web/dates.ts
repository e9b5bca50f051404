/**
 * Dates as people in the Netherlands mean them. A form's "until 5 December" is the end of that day
 * in Amsterdam, and every date shown is in Amsterdam time, so the two always agree.
 */
import type { Messages } from './i18n/index.js';

const ZONE = 'Europe/Amsterdam';
const isoDay = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** A date (and time, when asked) in the page's language. */
export function formatDate(t: Messages, iso: string | number | Date, withTime = false): string {
  return new Intl.DateTimeFormat(t.date, { dateStyle: 'medium', ...(withTime ? { timeStyle: 'short' } : {}), timeZone: ZONE }).format(new Date(iso));
}

/** `YYYY-MM-DD` in Amsterdam, `days` from now: the value and minimum of date inputs. */
export function localDay(days = 0): string {
  return isoDay.format(new Date(Date.now() + days * 86_400_000));
}

/** The last second of a `YYYY-MM-DD` day in Amsterdam, as an ISO instant with its offset. */
export function endOfLocalDay(day: string): string {
  const noon = new Date(`${day}T12:00:00Z`);
  const offset = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, timeZoneName: 'longOffset' }).formatToParts(noon).find((p) => p.type === 'timeZoneName')!.value;
  // "GMT+01:00" in winter, "GMT+02:00" in summer
  return `${day}T23:59:59${offset === 'GMT' ? '+00:00' : offset.slice(3)}`;
}
