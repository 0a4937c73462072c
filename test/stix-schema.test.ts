import { describe, expect, it } from 'vitest';
import { stixSchemaErrors } from './stix-schema.ts';

const ok = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  pattern: "[ipv4-addr:value = '1.2.3.4']",
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
};

describe('the OASIS schema test helper', () => {
  it('accepts a valid object and rejects broken ones (so tests using it can fail)', () => {
    expect(stixSchemaErrors(ok)).toEqual([]);
    expect(stixSchemaErrors({ ...ok, created: '2024-01-01T00:00:00Z' }).length).toBeGreaterThan(0);
    expect(stixSchemaErrors({ ...ok, pattern_type: undefined }).length).toBeGreaterThan(0);
    expect(stixSchemaErrors({ ...ok, id: 'indicator--nope' }).length).toBeGreaterThan(0);
  });

  it('rejects a long invalid custom type name (the linear pattern, not the upstream one that backtracks)', () => {
    const errors = stixSchemaErrors({
      ...ok,
      type: `x-${'a'.repeat(40)}!`,
      id: `x-${'a'.repeat(40)}--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f`,
    });
    expect(errors.length).toBeGreaterThan(0);
  });
});
