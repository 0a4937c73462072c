import { describe, expect, it } from 'vitest';
import { checkText, detectLanguage, htmlToText } from './text.ts';

describe('incoming text and HTML', () => {
  it('refuses empty, binary and badly decoded text, naming the field', () => {
    expect(() => checkText('text', '   ')).toThrow('text: is empty');
    expect(() => checkText('text', 'abc\u0000def')).toThrow('text: holds NUL characters');
    expect(() => checkText('text', 'caf\ufffd '.repeat(50))).toThrow('unsupported encoding');
    expect(() => checkText('text', 'x'.repeat(500_001))).toThrow('text: is longer than');
  });

  it('extracts the main text of an article page', () => {
    const html = `<html><head><title>Drones over Poland</title></head><body><nav>Home | News | Sport</nav>
      <article><h1>Drones over Poland</h1><p>${'Foreign Minister Radosław Sikorski said the drones came from Belarus. '.repeat(8)}</p>
      <p>${'The Alliance consulted under Article 4 the same day. '.repeat(8)}</p></article><footer>Cookies</footer></body></html>`;
    const r = htmlToText('html', html);
    expect(r.text).toContain('Radosław Sikorski said');
    expect(r.text).not.toContain('Cookies');
  });

  it('refuses markup bombs', () => {
    expect(() => htmlToText('html', '<div>'.repeat(1000))).toThrow('html: nests elements deeper than 400');
    expect(() => htmlToText('html', '<br>'.repeat(60_000))).toThrow('html: has more than 50000 elements');
  });

  it('detects the language', () => {
    expect(
      detectLanguage('The North Atlantic Alliance will not send troops to Ukraine, the deputy secretary general said.'),
    ).toBe('en');
    expect(
      detectLanguage(
        'Sojusz Północnoatlantycki nie wyśle wojsk na Ukrainę, powiedział zastępca sekretarza generalnego.',
      ),
    ).toBe('pl');
    expect(detectLanguage('ok')).toBe('und');
  });
});
