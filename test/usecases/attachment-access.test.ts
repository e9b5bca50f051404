// Who reads and who adds a case's files (usecases/attachment-access.ts), and what a file is
// (usecases/file-types.ts): the rules alone, without servers.
import { describe, expect, it } from 'vitest';
import { attachablePlaces, attachmentReach, checkPlace, mayReadAttachment, type CaseSteps } from '../../usecases/attachment-access.js';
import type { Caller } from '../../usecases/caller.js';
import { contentDisposition, safeFileName, sniffMediaType } from '../../usecases/file-types.js';

const caller = (organisationId: string, organisationKind: Caller['organisationKind']): Caller => ({ personId: `p-${organisationId}`, organisationId, organisationKind, role: 'sponsor', language: 'en' });
const coordinator = caller('coord', 'coordinator');
const sponsor = caller('sponsor', 'sponsor_group');
const municipality = caller('muni', 'municipality');
const agency = caller('ind', 'national_agency');
const otherCoordinator = caller('other-coord', 'coordinator');

const steps: CaseSteps = {
  coordinator: 'coord',
  steps: [
    { gateId: 'housing', actors: new Set(['muni', 'sponsor']), reportWriters: new Set(), reports: [] },
    { gateId: 'visa', actors: new Set(['ind']), reportWriters: new Set(), reports: [] },
    { gateId: 'checkins', actors: new Set(['sponsor']), reportWriters: new Set(['sponsor']), reports: [0, 1] },
  ],
};

describe('who reads a case file', () => {
  it('gives each party its reach by its part in the case', () => {
    expect(attachmentReach(coordinator, 'coord')).toBe('all');
    expect(attachmentReach(sponsor, 'coord')).toBe('all');
    expect(attachmentReach(agency, 'coord')).toBe('case');
    expect(attachmentReach(municipality, 'coord')).toBe('steps');
    expect(attachmentReach(otherCoordinator, 'coord')).toBe('steps');
  });

  it('lets the municipality read its steps and its own files only; the agency the case and its steps', () => {
    const bySponsor = (gateId: string | null) => ({ gateId, organisationId: 'sponsor' });
    expect(mayReadAttachment(municipality, steps, bySponsor('housing'))).toBe(true);
    expect(mayReadAttachment(municipality, steps, bySponsor(null))).toBe(false);
    expect(mayReadAttachment(municipality, steps, bySponsor('checkins'))).toBe(false);
    expect(mayReadAttachment(municipality, steps, { gateId: null, organisationId: 'muni' })).toBe(true);
    expect(mayReadAttachment(agency, steps, bySponsor(null))).toBe(true);
    expect(mayReadAttachment(agency, steps, bySponsor('visa'))).toBe(true);
    expect(mayReadAttachment(agency, steps, bySponsor('checkins'))).toBe(false);
    expect(mayReadAttachment(coordinator, steps, { gateId: 'visa', organisationId: 'ind' })).toBe(true);
  });
});

describe('who adds a case file, and where', () => {
  it('takes the case from anyone, a step from who acts on it, a report from who writes it, anything from the coordinator', () => {
    expect(() => checkPlace(municipality, steps, {})).not.toThrow();
    expect(() => checkPlace(municipality, steps, { gateId: 'housing' })).not.toThrow();
    expect(() => checkPlace(municipality, steps, { gateId: 'visa' })).toThrow(expect.objectContaining({ status: 403, title: 'Not your step' }));
    expect(() => checkPlace(sponsor, steps, { gateId: 'checkins', reportIndex: 1 })).not.toThrow();
    expect(() => checkPlace(municipality, steps, { gateId: 'checkins', reportIndex: 1 })).toThrow(expect.objectContaining({ status: 403, title: 'Not your report' }));
    expect(() => checkPlace(coordinator, steps, { gateId: 'checkins', reportIndex: 0 })).not.toThrow();
    expect(() => checkPlace(sponsor, steps, { gateId: 'checkins', reportIndex: 5 })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => checkPlace(sponsor, steps, { reportIndex: 0 })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => checkPlace(coordinator, steps, { gateId: 'nowhere' })).toThrow(expect.objectContaining({ status: 400 }));
  });

  it("offers each party's form the places it may use, in the pathway's order", () => {
    expect(attachablePlaces(sponsor, steps)).toEqual([{ gateId: 'housing' }, { gateId: 'checkins' }, { gateId: 'checkins', reportIndex: 0 }, { gateId: 'checkins', reportIndex: 1 }]);
    expect(attachablePlaces(municipality, steps)).toEqual([{ gateId: 'housing' }]);
    expect(attachablePlaces(coordinator, steps)).toHaveLength(5);
  });
});

describe('what a file is', () => {
  it('reads the type from the first bytes, whatever the name says', () => {
    expect(sniffMediaType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('Bonnetje supermarkt: € 12,40\r\n'))).toBe('text/plain');
    expect(sniffMediaType(Buffer.from([0x4d, 0x5a, 0x90, 0x00]))).toBeUndefined();
    expect(sniffMediaType(Buffer.from([0xc3, 0x28]))).toBeUndefined(); // not UTF-8
    expect(sniffMediaType(Buffer.from('PK\u0003\u0004zip'))).toBeUndefined();
  });

  it('names a file safely, with the extension of its real type', () => {
    expect(safeFileName('C:\\Users\\a\\plan.PDF', 'application/pdf')).toBe('plan.PDF');
    expect(safeFileName('scan.pdf', 'image/png')).toBe('scan.pdf.png');
    expect(safeFileName('"\u0000\u001b"', 'text/plain')).toBe('file.txt');
    expect(contentDisposition('bon één.pdf')).toBe(`attachment; filename="bon __n.pdf"; filename*=UTF-8''bon%20%C3%A9%C3%A9n.pdf`);
  });
});
