// Where one message to one person goes: their preference, their absence, and whom they stand in for.
import { describe, expect, it } from 'vitest';
import { allowedDeliveries, NOTIFICATION_KINDS, routeMessage } from '../../domain/notification-preferences.js';

const person = { preference: null, away: false, standsInFor: [] as string[] };

describe('routing a message to a person', () => {
  it('sends at once by default, holds digest kinds, and drops switched-off ones (kept for the record)', () => {
    expect(routeMessage('reminder', person)).toEqual({ send: true, onBehalfOf: [] });
    expect(routeMessage('reminder', { ...person, preference: 'digest' })).toEqual({ send: false, withheld: 'digest' });
    expect(routeMessage('case-update', { ...person, preference: 'off' })).toEqual({ send: false, withheld: 'off' });
  });

  it('never delays or drops an essential message, even one stored otherwise or for someone away', () => {
    for (const kind of ['escalation', 'offer-expiring']) {
      expect(allowedDeliveries(kind)).toEqual(['immediately']);
      expect(routeMessage(kind, { ...person, preference: 'off', away: true })).toEqual({ send: true, onBehalfOf: [] });
    }
    expect(NOTIFICATION_KINDS.filter((k) => allowedDeliveries(k).includes('off'))).toEqual(['action-required', 'reminder', 'offer-made', 'offer-lapsed', 'case-update']);
  });

  it('withholds from someone away, and sends at once, saying for whom, to the colleague standing in', () => {
    expect(routeMessage('reminder', { ...person, away: true })).toEqual({ send: false, withheld: 'away' });
    expect(routeMessage('reminder', { ...person, preference: 'digest', standsInFor: ['anna'] })).toEqual({ send: true, onBehalfOf: ['anna'] });
    expect(routeMessage('escalation', { ...person, standsInFor: ['anna'] })).toEqual({ send: true, onBehalfOf: ['anna'] });
  });
});
