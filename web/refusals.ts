/**
 * The workflow's reasons for refusing an action, made readable: dates in the reader's format and,
 * for Dutch readers, the common reasons in Dutch. A reason without a translation stays as the
 * workflow wrote it (English), which is still the true reason.
 */
import type { Language } from '../domain/organisation.js';
import { formatDate } from './dates.js';
import type { Messages } from './i18n/index.js';

const STATUS_NL: Record<string, string> = { accepted: 'geaccepteerd', declined: 'geweigerd', lapsed: 'verlopen', completed: 'afgerond', rejected: 'afgewezen', withdrawn: 'ingetrokken' };

const DUTCH: [RegExp, (...groups: string[]) => string][] = [
  [/^your organisation does not act at gate "(.+)" now$/, (g) => `uw organisatie is nu niet aan zet bij stap "${g}"`],
  [/^gate "(.+)" is not open: the case is in stage "(.*)"$/, (g, s) => `stap "${g}" staat niet open: de casus is in fase "${s}"`],
  [/^gate "(.+)" is already (decided|completed)$/, (g, how) => `stap "${g}" is al ${how === 'decided' ? 'besloten' : 'afgerond'}`],
  [/^gate "(.+)" was rejected$/, (g) => `stap "${g}" is afgewezen`],
  [/^offer \S+ was already (\w+)$/, (status) => `dit woningaanbod is al ${STATUS_NL[status] ?? status}`],
  [/^offer \S+ lapsed at (.+)$/, (d) => `dit woningaanbod is verlopen op ${d}`],
  [/^offer \S+ is open until (.+); wait for the answer or its lapse$/, (d) => `er staat al een aanbod open tot ${d}; wacht op het antwoord of tot het verloopt`],
  [/^there is no offer \S+ at this gate$/, () => 'dit woningaanbod bestaat niet (meer) bij deze stap'],
  [/^the agreement is already executed/, () => 'de overeenkomst is al door alle partijen getekend'],
  [/^no version of the agreement has been published yet$/, () => 'er is nog geen versie van de overeenkomst gepubliceerd'],
  [/^version (\d+) is not the current version \((\d+)\); read the current version before signing$/, (v, c) => `versie ${v} is niet de huidige versie (${c}); lees de huidige versie voordat u tekent`],
  [/^your organisation has already signed version (\d+)$/, (v) => `uw organisatie heeft versie ${v} al getekend`],
  [/^your organisation is not a signatory of this agreement$/, () => 'uw organisatie tekent deze overeenkomst niet'],
  [/^the new due date must be later than the current one \((.+)\)$/, (d) => `de nieuwe uiterste datum moet later zijn dan de huidige (${d})`],
  [/^the new due date must be in the future$/, () => 'de nieuwe uiterste datum moet in de toekomst liggen'],
  [/^validUntil must be a date in the future$/, () => '"aanbod geldig tot" moet in de toekomst liggen'],
  [/^the case is already on hold since (.+)$/, (d) => `de casus is al gepauzeerd sinds ${d}`],
  [/^the case is on hold since (.+?): (.*)$/, (d, r) => `de casus is gepauzeerd sinds ${d}: ${r}`],
  [/^the case is not on hold$/, () => 'de casus is niet gepauzeerd'],
  [/^the programme is paused since (.+); actions resume when it does$/, (d) => `het programma is gepauzeerd sinds ${d}; acties kunnen weer zodra het hervat wordt`],
  [/^the programme is already paused since (.+)$/, (d) => `het programma is al gepauzeerd sinds ${d}`],
  [/^the case is (\w+); no further actions are possible$/, (s) => `de casus is ${STATUS_NL[s] ?? s}; er zijn geen acties meer mogelijk`],
  [/^this case is closed; no further actions are possible$/, () => 'deze casus is gesloten; er zijn geen acties meer mogelijk'],
  [/^report (\d+) is due on (.+); it can be submitted from (.+)$/, (n, d, from) => `rapport ${n} moet uiterlijk ${d} binnen zijn; insturen kan vanaf ${from}`],
  [/^every check-in report is already in$/, () => 'alle check-in-rapporten zijn al ingestuurd'],
  [/^the case is waiting for a place in the programme$/, () => 'de casus wacht op een plaats in het programma'],
  [/^the gate is already assigned to that organisation$/, () => 'de stap ligt al bij die organisatie'],
];

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})\b/g;

export function refusalText(t: Messages, lang: Language, reason: string): string {
  const dated = reason.replace(ISO_INSTANT, (instant) => formatDate(t, instant, true));
  if (lang !== 'nl') return dated;
  for (const [pattern, dutch] of DUTCH) {
    const match = pattern.exec(dated);
    if (match) return dutch(...match.slice(1));
  }
  return dated;
}
