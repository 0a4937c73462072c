import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseObservable, normaliseName, refang } from './observable.ts';

const ok = (type: Parameters<typeof normaliseObservable>[0], v: string) => {
  const n = normaliseObservable(type, v);
  if (!n.ok) throw new Error(n.message);
  return n.value;
};

describe('observable normalisation', () => {
  it('refangs defanged indicators', () => {
    expect(refang('hxxps://evil[.]example(dot)org/a')).toBe('https://evil.example.org/a');
    expect(refang('HXXP://x[.]y')).toBe('http://x.y');
    expect(refang('bob[at]mail[.]example')).toBe('bob@mail.example');
  });
  it('canonicalises domains: case, trailing dot, defang, IDN to punycode', () => {
    expect(ok('domain-name', 'Evil.EXAMPLE.')).toBe('evil.example');
    expect(ok('domain-name', 'evil[.]example')).toBe('evil.example');
    expect(ok('domain-name', 'bücher.example')).toBe('xn--bcher-kva.example');
    expect(ok('domain-name', 'xn--bcher-kva.example')).toBe('xn--bcher-kva.example');
    expect(normaliseObservable('domain-name', 'no spaces.example').ok).toBe(false);
  });
  it('canonicalises URLs: scheme and host case, default port, fragment, IDN', () => {
    expect(ok('url', 'HTTPS://Evil.Example:443/Path?a=1#frag')).toBe('https://evil.example/Path?a=1');
    expect(ok('url', 'hxxp://bücher[.]example')).toBe('http://xn--bcher-kva.example/');
    expect(ok('url', 'evil.example/x')).toBe('http://evil.example/x');
  });
  it('parses IPv4/IPv6, e-mail, hashes, accounts', () => {
    expect(ok('ipv4-addr', '203.0.113[.]7')).toBe('203.0.113.7');
    expect(normaliseObservable('ipv4-addr', '256.1.1.1').ok).toBe(false);
    expect(normaliseObservable('ipv4-addr', '1.2.3').ok).toBe(false);
    expect(ok('ipv6-addr', '2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(ok('email-addr', 'Press[at]Bücher[.]example')).toBe('press@xn--bcher-kva.example');
    expect(ok('file', 'SHA-256:' + 'AB'.repeat(32))).toBe('sha-256:' + 'ab'.repeat(32));
    expect(ok('file', 'd41d8cd98f00b204e9800998ecf8427e')).toBe('md5:d41d8cd98f00b204e9800998ecf8427e');
    expect(ok('user-account', '@Baltic_Truth')).toBe('baltic_truth');
    expect(ok('autonomous-system', 'AS64500')).toBe('64500');
    expect(ok('mac-addr', '00-1A-2b-3c-4d-5e')).toBe('00:1a:2b:3c:4d:5e');
  });
  it('normalises actor names', () => {
    expect(normaliseName('  Ghost-Writer  ')).toBe('ghost writer');
    expect(normaliseName('GHOSTWRITER')).not.toBe(normaliseName('ghost writer'));
  });
  it('keeps to fixed points the property test once missed', () => {
    // A backslash ends a URL host: the name used to be cut there silently ("a.b\\x" became "a.b").
    expect(normaliseObservable('domain-name', 'a.b\\x')).toMatchObject({
      ok: false,
      message: expect.stringContaining('"\\"'),
    });
    expect(normaliseObservable('domain-name', '.\\').ok).toBe(false);
    expect(normaliseObservable('user-account', '@ !')).toEqual({ ok: true, value: '!' });
    expect(normaliseObservable('user-account', '@@name')).toEqual({ ok: true, value: 'name' });
    expect(normaliseObservable('url', 'a://.').ok).toBe(false);
  });
  it('refuses malformed names and addresses instead of storing them', () => {
    const refused = (type: Parameters<typeof normaliseObservable>[0], v: string) =>
      expect(normaliseObservable(type, v), `${type} ${v}`).toMatchObject({ ok: false });
    for (const d of [
      'a..b',
      '.a.b',
      'a.b..',
      'a[.][.]b',
      'a\u3002\u3002b',
      `${'x'.repeat(64)}.example`,
      `${'abcdefghi.'.repeat(26)}com`,
    ])
      refused('domain-name', d);
    expect(normaliseObservable('domain-name', 'a..b')).toEqual({
      ok: false,
      message: expect.stringMatching(/empty label/),
    });
    expect(ok('domain-name', `${'x'.repeat(63)}.example`)).toBe(`${'x'.repeat(63)}.example`);
    // A zero-padded octet is octal to URL parsers (http://010.0.0.1 is 8.0.0.1) and decimal to a reader.
    for (const ip of ['010.1.1.1', '203.000.113.7', '1.2.3.04']) refused('ipv4-addr', ip);
    expect(ok('ipv4-addr', '0.0.0.0')).toBe('0.0.0.0');
    for (const e of ['@x.example', ' @x.example', 'a b@x.example', `${'a'.repeat(65)}@x.example`, 'a@b..example', 'a@'])
      refused('email-addr', e);
    for (const u of [
      'http://a..b/',
      'http://.a.b/',
      'http://a.b../x',
      `http://${'x'.repeat(64)}.example/`,
      'file:///etc/passwd',
      'http:///',
    ])
      refused('url', u);
    expect(ok('url', 'http://a.b./x')).toBe('http://a.b/x');
  });
  it('is idempotent and fast on hostile input', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('domain-name', 'url', 'ipv4-addr', 'email-addr', 'user-account', 'narrative'),
        fc.string({ maxLength: 300 }),
        (type, s) => {
          const n = normaliseObservable(type, s);
          if (n.ok) {
            const again = normaliseObservable(type, n.value);
            expect(again.ok && again.value).toBe(n.value);
          }
        },
      ),
    );
    // Pathological inputs end (their cost is measured in bench/validation.bench.ts).
    for (const [type, value] of [
      ['url', `http://${'[.]('.repeat(500)}`],
      ['domain-name', 'a'.repeat(2048)],
    ] as const) {
      const n = normaliseObservable(type, value);
      if (n.ok) expect(normaliseObservable(type, n.value)).toEqual(n);
    }
    expect(normaliseObservable('domain-name', 'a'.repeat(2048)).ok).toBe(false);
  });
});
