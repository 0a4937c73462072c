import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MEMBERS } from '../sharing/organisations.ts';
import { accessionDates, calendarDate, isPartyOn, partiesOn, partnersOn, partyStatus } from './membership.ts';

describe('membership timeline', () => {
  it.each([
    ['1949-04-04', 0],
    ['1949-08-23', 0],
    ['1949-08-24', 12],
    ['1952-02-17', 12],
    ['1952-02-18', 14],
    ['1955-05-06', 15],
    ['1982-05-29', 15],
    ['1982-05-30', 16],
    ['1999-03-12', 19],
    ['2004-03-29', 26],
    ['2009-04-01', 28],
    ['2017-06-05', 29],
    ['2020-03-27', 30],
    ['2023-01-15', 30],
    ['2023-04-04', 31],
    ['2024-03-06', 31],
    ['2024-03-07', 32],
    ['2030-01-01', 32],
  ])('on %s there are %i Parties', (date, n) => {
    expect(partiesOn(date)).toHaveLength(n);
  });

  it.each([
    ['FI', '2023-04-03', false],
    ['FI', '2023-04-04', true],
    ['SE', '2024-03-06', false],
    ['SE', '2024-03-07', true],
    ['DE', '1955-05-05', false],
    ['DE', '1955-05-06', true],
    ['TR', '1952-02-18', true],
    ['US', '1949-08-23', false],
    ['UA', '2025-01-01', false],
    ['RU', '2025-01-01', false],
  ])('%s a Party on %s: %s', (code, date, expected) => {
    expect(isPartyOn(code, date)).toBe(expected);
  });

  it('reports partners and not-yet-acceded members apart from the Parties', () => {
    expect(partyStatus('FI', '2023-01-15')).toMatchObject({ status: 'acceding-later', joined: '2023-04-04' });
    expect(partyStatus('UA', '2023-01-15').status).toBe('partner');
    expect(partyStatus('ZZ', '2023-01-15').status).toBe('unknown');
    const partners = partnersOn('2023-01-15').map((o) => o.code);
    expect(partners).toEqual(expect.arrayContaining(['UA', 'FI', 'SE']));
    expect(partners).not.toContain('PL');
  });

  it('has the eleven accession dates of the domain reference', () => {
    expect(accessionDates()).toEqual([
      '1949-08-24',
      '1952-02-18',
      '1955-05-06',
      '1982-05-30',
      '1999-03-12',
      '2004-03-29',
      '2009-04-01',
      '2017-06-05',
      '2020-03-27',
      '2023-04-04',
      '2024-03-07',
    ]);
  });

  it('takes the UTC calendar date of a date-time', () => {
    expect(calendarDate('2023-04-03T23:30:00-01:00')).toBe('2023-04-04');
    expect(calendarDate('2023-04-04')).toBe('2023-04-04');
    expect(() => calendarDate('yesterday')).toThrow(/not an ISO date/);
  });

  it('property: a member is a Party exactly from its accession date on', () => {
    const day = fc
      .integer({ min: Date.UTC(1940, 0, 1), max: Date.UTC(2040, 0, 1) })
      .map((t) => new Date(t).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.constantFrom(...MEMBERS), day, (m, d) => {
        expect(isPartyOn(m.code, d)).toBe(d >= m.joined!);
      }),
    );
  });
});
