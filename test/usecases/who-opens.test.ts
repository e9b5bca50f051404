// Who may open a case (usecases/case-template.ts) and what counts as the same reference or name (usecases/similar-cases.ts).
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { mayOpen } from '../../usecases/case-template.js';
import { normalName, normalReference } from '../../usecases/similar-cases.js';

describe('who may open a case, as the template allows', () => {
  const parties = { coordinator: 'c', sponsor: 's', municipality: 'm', immigration: 'i', iom: 'o' };
  const template = builtInTemplates['community-sponsorship']!;

  it('the organisation in the coordinator slot or a sponsor group slot, and no other', () => {
    expect(mayOpen(template, parties, 'c')).toEqual(['coordinator']);
    expect(mayOpen(template, parties, 's')).toEqual(['sponsor']);
    for (const org of ['m', 'i', 'o', 'nobody']) expect(mayOpen(template, parties, org)).toEqual([]);
  });

  it('on a pathway without a sponsor group only the coordinator opens', () => {
    const resettlement = builtInTemplates.resettlement!;
    expect(mayOpen(resettlement, { coordinator: 'c', immigration: 'i', reception: 'r', iom: 'o', municipality: 'm' }, 'c')).toEqual(['coordinator']);
    expect(mayOpen(resettlement, { coordinator: 'c', immigration: 'i', reception: 'r', iom: 'o', municipality: 'm' }, 'r')).toEqual([]);
  });
});

describe('the same reference or name, written differently', () => {
  it('ignores case, spaces and punctuation in references', () => {
    expect(normalReference(' cs 2027/004 ')).toBe(normalReference('CS-2027-004'));
    expect(normalReference('CS-2027-004')).not.toBe(normalReference('CS-2027-005'));
  });

  it('ignores case and repeated spaces in names', () => {
    expect(normalName('  Noor   HADDAD ')).toBe(normalName('noor haddad'));
  });
});
