// The household's access table as data: each level shows its fields and no other, and only what a
// read really returned counts as personal (and is logged).
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../usecases/caller.js';
import { HOUSEHOLD_ACCESS, householdAt, householdLevel } from '../../usecases/household.js';

const stored = { principalName: 'P. Principal', members: [{ name: 'C. Child', birthYear: 2019, relation: 'child' }, { name: 'N. Nobirth' }], needs: ['wheelchair'] };
const caller = (organisationKind: Caller['organisationKind'], organisationId = 'org'): Caller => ({ personId: 'p', organisationId, organisationKind, role: 'admin', language: 'en' });

describe('the household access table', () => {
  it('gives each kind of party its level, and the case coordinator everything', () => {
    expect(HOUSEHOLD_ACCESS).toEqual({ coordinator: 'full', sponsor_group: 'full', national_agency: 'full', university: 'principal', municipality: 'housing' });
    expect(householdLevel(caller('coordinator', 'c1'), 'c1')).toBe('full');
    expect(householdLevel(caller('coordinator', 'c2'), 'c1')).toBeNull();
    expect(householdLevel(caller('municipality'), 'c1')).toBe('housing');
  });

  it('shows names only at the levels that carry them', () => {
    const full = householdAt('k', 'full', stored, 2027);
    expect(full.view.members).toEqual([{ name: 'C. Child', birthYear: 2019, age: 8, relation: 'child' }, { name: 'N. Nobirth', age: null, relation: null }]);
    expect(full.fields).toEqual(['principalName', 'memberNames', 'birthYears', 'ages', 'relations', 'needs']);
    const student = householdAt('k', 'principal', stored, 2027);
    expect(student.view.principal).toEqual({ name: 'P. Principal' });
    expect(JSON.stringify(student.view)).not.toMatch(/Child|Nobirth/);
    const housing = householdAt('k', 'housing', stored, 2027);
    expect(housing.view).toEqual({ caseId: 'k', level: 'housing', size: 3, principal: null, members: [{ age: 8, relation: 'child' }, { age: null, relation: null }], needs: ['wheelchair'] });
    expect(housing.fields).toEqual(['ages', 'relations', 'needs']);
  });

  it('counts nothing as personal where nothing personal is shown', () => {
    expect(householdAt('k', 'housing', { principalName: 'Solo', members: [], needs: [] }).fields).toEqual([]);
    expect(householdAt('k', null, stored)).toEqual({ view: { caseId: 'k', level: 'none', size: 3, principal: null, members: [], needs: [] }, fields: [] });
  });
});
