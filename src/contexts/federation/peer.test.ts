import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffMs, isLoopbackHost, lagOf, normalisePeerUrl, parseAuthors, streamUrlOf, trusts } from './peer.ts';

describe('peer rules', () => {
  it('tokens go only over https, or plain http to loopback', () => {
    expect(normalisePeerUrl('https://pl.example/taxii2/alliance')).toBe('https://pl.example/taxii2/alliance/');
    expect(normalisePeerUrl('http://127.0.0.1:4701/taxii2/alliance/')).toBe('http://127.0.0.1:4701/taxii2/alliance/');
    expect(normalisePeerUrl('http://[::1]:4701/taxii2/alliance/')).toBe('http://[::1]:4701/taxii2/alliance/');
    expect(normalisePeerUrl('http://localhost/taxii2/alliance/')).toBe('http://localhost/taxii2/alliance/');
    expect(normalisePeerUrl('https://10.0.0.5/taxii2/alliance/')).toBe('https://10.0.0.5/taxii2/alliance/');
    for (const bad of [
      'http://pl.example/taxii2/alliance/',
      'http://10.0.0.5/taxii2/alliance/',
      'http://127.0.0.1.evil.example/taxii2/alliance/',
      'ftp://127.0.0.1/taxii2/alliance/',
      'https://u:p@pl.example/taxii2/alliance/',
      'https://pl.example/taxii2/alliance/?x=1',
      'https://pl.example/api/',
      'not a url',
    ])
      expect(normalisePeerUrl(bad)).toMatchObject({ property: 'url' });
    expect(isLoopbackHost('127.9.9.9')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });

  it('the live stream sits beside the TAXII server', () => {
    expect(streamUrlOf('https://pl.example/bulwark/taxii2/alliance/')).toBe('https://pl.example/bulwark/api/v1/stream');
  });

  it('authors are organisation codes; an empty list is refused; absent trusts any', () => {
    expect(parseAuthors('lt, PL,LT')).toEqual(['LT', 'PL']);
    expect(parseAuthors([])).toMatchObject({ property: 'authors' });
    expect(parseAuthors(',')).toMatchObject({ property: 'authors' });
    expect(parseAuthors(['POL'])).toMatchObject({ property: 'authors' });
    expect(trusts({ authors: ['PL'] }, 'LT')).toBe(false);
    expect(trusts({ authors: ['PL'] }, 'PL')).toBe(true);
    expect(trusts({ authors: null }, 'LT')).toBe(true);
  });

  it('the wait between attempts grows exponentially, is bounded, and is jittered over its upper half', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(30_000, 500 * 2 ** Math.min(attempt, 30));
        const w = backoffMs(attempt, 500, 30_000, r);
        expect(w).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(w).toBeLessThanOrEqual(ceiling);
      }),
    );
    expect(backoffMs(0, 500, 30_000, 1)).toBe(500);
    expect(backoffMs(3, 500, 30_000, 1)).toBe(4000);
    expect(backoffMs(20, 500, 30_000, 0)).toBe(15_000);
  });

  it('lag: the last delay while connected, else the time since the node last held everything', () => {
    const now = Date.parse('2026-01-01T00:01:00Z');
    expect(lagOf({ state: 'connected', caughtUpAt: null, lagMs: 40 }, now)).toBe(40);
    expect(lagOf({ state: 'retrying', caughtUpAt: '2026-01-01T00:00:00Z', lagMs: 40 }, now)).toBe(60_000);
    expect(lagOf({ state: 'retrying', caughtUpAt: null, lagMs: null }, now)).toBeNull();
  });
});
