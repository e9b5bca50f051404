/**
 * Waarom een actie niet kon, in het Nederlands voor de pagina's: met de titels van stappen en
 * fasen en data zoals mensen ze lezen — geen ids, geen ISO-tijdstippen, geen Engels.
 */
import type { CaseCoordinatorAction, ProgrammeCoordinatorAction, ReasonedAction } from '../../domain/refusal.js';
import type { ProgrammeStatus } from '../../domain/programme-model.js';
import type { RefusalLookups, RefusalWords } from './refusal-words.js';

const step = (l: RefusalLookups, gateId: string): string => {
  const title = l.step(gateId);
  return title ? `stap "${title}"` : 'deze stap';
};

const CLOSED: Record<'completed' | 'rejected' | 'withdrawn', string> = { completed: 'afgerond', rejected: 'afgewezen', withdrawn: 'ingetrokken' };

const COORDINATOR_ONLY: Record<CaseCoordinatorAction, string> = {
  hold: 'alleen de coördinator van de casus kan die aanhouden',
  resume: 'alleen de coördinator van de casus kan die hervatten',
  withdraw: 'alleen de coördinator van de casus kan die intrekken',
  nudge: 'alleen de coördinator van de casus kan een herinnering voor een stap sturen',
  extend: 'alleen de coördinator van de casus kan de uiterste datum van een stap verschuiven',
  reassign: 'alleen de coördinator van de casus kan een stap aan een andere organisatie geven',
  publish_agreement: 'alleen de coördinator van de casus publiceert versies van de overeenkomst',
  complete: 'alleen de coördinator van de casus rondt een stap af voor een vertrekgroep',
};

const PROGRAMME_COORDINATOR_ONLY: Record<ProgrammeCoordinatorAction, string> = {
  publish_mou: 'alleen de coördinator van het programma publiceert versies van het MoU',
  pause: 'alleen de coördinator van het programma kan het pauzeren',
  resume: 'alleen de coördinator van het programma kan het hervatten',
  set_quota: 'alleen de coördinator van het programma kan het aantal plaatsen wijzigen',
  close: 'alleen de coördinator van het programma kan het sluiten',
};

const REASON_NEEDED: Record<ReasonedAction, string> = {
  hold: 'voor aanhouden is een reden nodig',
  withdraw: 'voor intrekken is een reden nodig',
  extend: 'voor het verschuiven van een uiterste datum is een reden nodig',
  reassign: 'voor het overdragen van een stap is een reden nodig',
  decide: 'voor een afwijzing is een reden nodig',
  decline_housing_request: 'voor het afwijzen van een verzoek om woonruimte is een reden nodig',
  decline_offer: 'voor het weigeren van een aanbod is een reden nodig',
  request_changes: 'bij een verzoek om wijzigingen hoort een opmerking',
  decline_match: 'een voorgestelde casus afwijzen kan alleen met een reden',
  request_mou_changes: 'bij een verzoek om wijzigingen hoort een opmerking',
  pause: 'voor het pauzeren van het programma is een reden nodig',
  close: 'voor het sluiten van het programma is een reden nodig',
};

/** Een programma zoals het is, na "dit programma": "…; dit programma is nog een concept". */
const PROGRAMME_IS: Record<ProgrammeStatus, string> = {
  draft: 'is nog een concept',
  negotiating: 'wacht nog op de ondertekening van het MoU',
  active: 'loopt',
  paused: 'is gepauzeerd',
  closed: 'is gesloten',
};

export const refusalsNl: RefusalWords = {
  'case-final': (p) => `de casus is ${CLOSED[p.status]}; er zijn geen acties meer mogelijk`,
  'case-closed': () => 'deze casus is gesloten; er zijn geen acties meer mogelijk',
  'case-on-hold': (p, l) => `de casus is aangehouden sinds ${l.date(p.since)}`,
  'case-already-on-hold': (p, l) => `de casus is al aangehouden sinds ${l.date(p.since)}`,
  'case-not-on-hold': () => 'de casus is niet aangehouden',
  'case-held-by-programme': () => 'de casus wacht omdat het programma gepauzeerd is; hervat het programma',
  'case-waitlisted': () => 'de casus wacht op een plaats in het programma',
  'programme-paused': (p, l) => `het programma is gepauzeerd sinds ${l.date(p.since)}; acties kunnen weer zodra het hervat wordt`,
  'coordinator-only': (p) => COORDINATOR_ONLY[p.action],
  'reason-needed': (p) => REASON_NEEDED[p.action],
  'gate-unknown': () => 'deze route heeft zo’n stap niet',
  'gate-not-open': (p, l) => {
    const stage = p.stageId === undefined ? undefined : l.stage(p.stageId);
    return stage ? `${step(l, p.gateId)} staat niet open: de casus is in fase "${stage}"` : `${step(l, p.gateId)} staat nu niet open`;
  },
  'gate-done': (p, l) => `${step(l, p.gateId)} is al ${p.gateKind === 'decision' ? 'besloten' : 'afgerond'}`,
  'gate-rejected': (p, l) => `${step(l, p.gateId)} is afgewezen`,
  'gate-kind-mismatch': (p, l) => `deze actie hoort niet bij ${step(l, p.gateId)}`,
  'not-your-turn': (p, l) => `uw organisatie is nu niet aan zet bij ${step(l, p.gateId)}`,
  'due-date-invalid': () => 'de nieuwe uiterste datum is geen datum',
  'due-date-past': () => 'de nieuwe uiterste datum moet in de toekomst liggen',
  'due-date-not-later': (p, l) => `de nieuwe uiterste datum moet later zijn dan de huidige (${l.date(p.currentDueAt)})`,
  'reassign-agreement': () => 'een overeenkomst wordt getekend door haar partijen; die kan niet aan een andere organisatie worden gegeven',
  'reassign-coordinator-gate': () => 'een stap van de coördinator zelf kan niet aan een andere organisatie worden gegeven',
  'reassign-same-organisation': () => 'de stap ligt al bij die organisatie',
  'offer-open': (p, l) => `er staat al een aanbod open tot ${l.date(p.validUntil)}; wacht op het antwoord of tot het verloopt`,
  'offer-valid-until-past': () => '"aanbod geldig tot" moet in de toekomst liggen',
  'offer-already-made': () => 'dit woningaanbod is al gedaan',
  'offer-unknown': () => 'dit woningaanbod bestaat niet (meer) bij deze stap',
  'offer-lapsed': (p, l) => `dit woningaanbod is verlopen op ${l.date(p.lapsedAt)}`,
  'offer-answered': (p) => `dit woningaanbod is al ${p.status === 'accepted' ? 'geaccepteerd' : 'geweigerd'}`,
  'agreement-executed': () => 'de overeenkomst is al door alle partijen getekend',
  'agreement-executed-no-new-version': () => 'de overeenkomst is al door alle partijen getekend; er kan geen nieuwe versie meer komen',
  'agreement-unpublished': () => 'er is nog geen versie van de overeenkomst gepubliceerd',
  'not-a-signatory': () => 'uw organisatie tekent deze overeenkomst niet',
  'agreement-version-stale': (p) => `versie ${p.version} is niet de huidige versie (${p.currentVersion}); lees de huidige versie voordat u tekent`,
  'agreement-already-signed': (p) => `uw organisatie heeft versie ${p.version} al getekend`,
  'checkins-complete': () => 'alle check-in-rapporten zijn al ingestuurd',
  'checkin-out-of-order': (p) => `het volgende rapport is nummer ${p.nextIndex + 1}`,
  'match-proposal-open': (p, l) => `de casus is voorgesteld aan een organisatie die tot ${l.date(p.answerBy)} kan antwoorden; wacht op het antwoord of tot het voorstel verloopt`,
  'match-proposal-lapsed': (p, l) => `het voorstel is verlopen op ${l.date(p.lapsedAt)}`,
  'shortlist-invalid': (p) => `kies 1 tot ${p.max} verschillende organisaties`,
  'not-done-in-batch': (p, l) => `${step(l, p.gateId)} wordt niet afgerond bij ${p.event === 'departure' ? 'het vertrek' : 'de aankomst'} van een vertrekgroep`,
  'checkin-too-early': (p, l) => `rapport ${p.reportIndex + 1} moet uiterlijk ${l.date(p.dueAt)} binnen zijn; insturen kan vanaf ${l.date(p.openFrom)}`,
  'programme-closed': () => 'het programma is gesloten',
  'programme-coordinator-only': (p) => PROGRAMME_COORDINATOR_ONLY[p.action],
  'programme-already-paused': (p, l) => `het programma is al gepauzeerd sinds ${l.date(p.since)}`,
  'programme-not-active': (p) => `alleen een lopend programma kan worden gepauzeerd; dit programma ${PROGRAMME_IS[p.status]}`,
  'programme-not-paused': (p) => `het programma is niet gepauzeerd; het ${PROGRAMME_IS[p.status]}`,
  'quota-invalid': () => 'het aantal plaatsen moet een heel getal zijn, 0 of meer',
  'quota-below-taken': (p) => `het aantal plaatsen kan niet lager dan de ${p.taken} plaatsen die al gebruikt of gereserveerd zijn`,
  'programme-has-open-cases': (p) => (p.openCases === 1 ? 'er is nog 1 casus open; rond die eerst af of trek die in' : `er zijn nog ${p.openCases} casussen open; rond die eerst af of trek ze in`),
};
