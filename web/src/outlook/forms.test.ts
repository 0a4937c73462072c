import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { CreateSetBody, SignpostBody } from '../../../src/contexts/outlook/outlook.schema.ts';
import { FORM, check, codes, keyOf, num, place, serverErrors } from './forms.ts';

describe('outlook forms', () => {
  it('keys the schema’s problems by the field path the server also uses', () => {
    const c = check(CreateSetBody, {
      title: 'T',
      question: 'Q',
      horizon: '2027-01-01',
      scenarios: [
        { key: 'a', title: 'A', prior: 0.5 },
        { key: 'b', title: 'B', prior: 0.4 },
      ],
      tlp: 'amber',
    });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.errors).toEqual({ scenarios: 'priors must sum to 1 (within 1e-6)' });
    const s = check(SignpostBody, { key: 'x', title: 'X', likelihoods: { a: 1, b: 0.2 } });
    expect(s.ok).toBe(false);
    if (!s.ok) expect(s.errors['likelihoods.a']).toMatch(/strictly between 0 and 1/);
  });

  it('shows a server refusal at its field, and what the form does not show at its head', () => {
    const e = new ApiError(400, 'validation', 'audience: must not be empty', 'audience');
    expect(serverErrors(e)).toEqual({ audience: 'must not be empty' });
    const nested = new ApiError(400, 'validation', 'scenarios.1.prior: too big', 'scenarios.1.prior', [
      { field: 'scenarios.1.prior', message: 'too big' },
      { field: 'body', message: 'odd' },
    ]);
    expect(serverErrors(nested)).toEqual({ 'scenarios.1.prior': 'too big', [FORM]: 'odd' });
    expect(place({ horizon: 'bad', other: 'no' }, (f) => f === 'horizon')).toEqual({
      horizon: 'bad',
      [FORM]: 'other: no',
    });
  });

  it('reads codes, numbers and keys as typed', () => {
    expect(codes(' pl, lt ;EE ')).toEqual(['PL', 'LT', 'EE']);
    expect(codes('  ')).toBeUndefined();
    expect(num('0,25')).toBe(0.25);
    expect(num('')).toBeUndefined();
    expect(num('abc')).toBeNaN();
    expect(keyOf('Frozen conflict (2027)')).toBe('frozen-conflict-2027');
    expect(keyOf('2 sides')).toBe('sides');
  });
});
