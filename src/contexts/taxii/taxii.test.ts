import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.ts';
import {
  COLLECTIONS,
  acceptsTaxii,
  errorResource,
  isTaxiiContentType,
  presentCollections,
  taxiiErrorOf,
} from './taxii.ts';
import { parseFilters } from './taxii.params.ts';

describe('TAXII 2.1 pure rules', () => {
  it('Accept: TAXII 2.1, unversioned taxii+json and wildcards are acceptable; other versions and types are not', () => {
    expect(acceptsTaxii('application/taxii+json;version=2.1')).toBe(true);
    expect(acceptsTaxii('application/taxii+json')).toBe(true);
    expect(acceptsTaxii('application/taxii+json; version=2.1; q=0.9')).toBe(true);
    expect(acceptsTaxii('*/*')).toBe(true);
    expect(acceptsTaxii(undefined)).toBe(true);
    expect(acceptsTaxii('application/taxii+json;version=2.0')).toBe(false);
    expect(acceptsTaxii('application/stix+json;version=2.1')).toBe(false);
    expect(acceptsTaxii('application/json')).toBe(false);
  });

  it('Content-Type: only application/taxii+json (version 2.1 or none) is a TAXII body', () => {
    expect(isTaxiiContentType('application/taxii+json;version=2.1')).toBe(true);
    expect(isTaxiiContentType('application/taxii+json')).toBe(true);
    expect(isTaxiiContentType('application/taxii+json;version=2.0')).toBe(false);
    expect(isTaxiiContentType('application/stix+json;version=2.1')).toBe(false);
    expect(isTaxiiContentType(undefined)).toBe(false);
  });

  it('the collections resource omits `collections` when there is none to list', () => {
    expect(presentCollections([], null)).toEqual({});
    expect(presentCollections(COLLECTIONS, null)).toHaveProperty('collections');
  });

  it('error messages carry title, description, error_code, http_status as a string equal to the status, and details', () => {
    const { status, body } = taxiiErrorOf(new DomainError('validation', 'limit: must be a positive integer', 'limit'));
    expect(status).toBe(400);
    expect(body).toEqual({
      title: 'Bad Request',
      description: 'limit: must be a positive integer',
      error_code: 'validation',
      http_status: '400',
      details: { field: 'limit' },
    });
    expect(errorResource(404, 'Not Found', 'x')).toEqual({ title: 'Not Found', description: 'x', http_status: '404' });
    expect(taxiiErrorOf({ statusCode: 405, message: 'nope' }).body).toMatchObject({
      title: 'Method Not Allowed',
      http_status: '405',
    });
  });

  it('filters: defaults (last, limit 100), OR-combined versions, and malformed or repeated parameters are 400', () => {
    expect(parseFilters({}, ['version'])).toMatchObject({ versions: ['last'], limit: 100, ids: [], types: [] });
    expect(parseFilters({ 'match[version]': 'first,last,2024-01-01T00:00:00Z' }, ['version']).versions).toEqual([
      'first',
      'last',
      { key: '2024-01-01T00:00:00.000000000Z' },
    ]);
    expect(parseFilters({ limit: '5000' }, []).limit).toBe(1000);
    const bad = (
      q: Record<string, unknown>,
      allowed: Array<'id' | 'type' | 'version' | 'spec_version'> = ['id', 'type', 'version', 'spec_version'],
    ) => {
      try {
        parseFilters(q, allowed);
        return undefined;
      } catch (e) {
        return (e as DomainError).field;
      }
    };
    expect(bad({ 'match[type]': ['indicator', 'malware'] })).toBe('match[type]');
    expect(bad({ added_after: ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'] })).toBe('added_after');
    expect(bad({ 'match[id]': 'indicator--00000000-0000-4000-8000-000000000000' }, ['version'])).toBe('match[id]');
    expect(bad({ 'match[version]': 'newest' })).toBe('match[version]');
    expect(bad({ 'match[spec_version]': '3.0' })).toBe('match[spec_version]');
    expect(bad({ next: 'abc' })).toBe('next');
    expect(bad({ limit: '-1' })).toBe('limit');
    expect(bad({ 'match[type]': 'indicator,malware' })).toBeUndefined();
  });
});
