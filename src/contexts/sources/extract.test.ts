import { describe, expect, it } from 'vitest';
import { extract, type Extraction } from './extract.ts';
import { loadGazetteer } from './gazetteer.loader.ts';

const g = loadGazetteer();
const named = (r: Extraction, name: string) => r.entities.find((e) => e.name === name);
const aliases = (r: Extraction, name: string) => [...new Set(named(r, name)?.mentions.map((m) => m.text))];
const speakerOf = (r: Extraction, fragment: string) => {
  const c = r.claims.find((x) => x.text.includes(fragment));
  return c && c.speaker !== null ? r.entities[c.speaker]!.name : c ? null : undefined;
};

describe('extraction (texts written for these tests)', () => {
  it('wire: one person under every spelling, one alliance under every name, places and attributed claims', () => {
    const text =
      'BRUSSELS (Wire) — NATO Deputy Secretary General Mircea Geoană said on Tuesday that the North Atlantic ' +
      'Alliance would not send troops to Ukraine. "There is no formal request," Geoana stressed, speaking in ' +
      'Vilnius. He warned that Russia was spreading false stories about the Alliance. Troops will stay in ' +
      'Poland, Geanoa said.';
    const r = extract(text, g);
    expect(aliases(r, 'Mircea Geoană')).toEqual(['Mircea Geoană', 'Geoana', 'Geanoa']);
    expect(named(r, 'Mircea Geoană')?.roles).toEqual(['deputy', 'secretary', 'general']);
    expect(aliases(r, 'NATO')).toEqual(['NATO', 'North Atlantic Alliance', 'Alliance']);
    expect(r.entities.filter((e) => e.kind === 'organisation')).toHaveLength(1);
    for (const p of ['Brussels', 'Ukraine', 'Vilnius', 'Russia', 'Poland']) expect(named(r, p)?.kind).toBe('place');
    expect(speakerOf(r, 'There is no formal request')).toBe('Mircea Geoană');
    expect(speakerOf(r, 'would not send troops')).toBe('Mircea Geoană');
    expect(speakerOf(r, 'Russia was spreading')).toBe('Mircea Geoană'); // "He" is the last person named
    expect(speakerOf(r, 'Troops will stay in Poland')).toBe('Mircea Geoană');
    for (const e of r.entities) for (const m of e.mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
    for (const c of r.claims) expect(text.slice(c.start, c.end)).toBe(c.text);
  });

  it('two people sharing a surname stay two; a bare surname goes to the one named last', () => {
    const text =
      'Former Secretary General Jens Stoltenberg met the epidemiologist Camilla Stoltenberg in Oslo. ' +
      'Kaja Kallas and Siim Kallas spoke in Tallinn. Kallas said the sanctions must continue.';
    const r = extract(text, g);
    expect(aliases(r, 'Jens Stoltenberg')).toEqual(['Jens Stoltenberg']);
    expect(aliases(r, 'Camilla Stoltenberg')).toEqual(['Camilla Stoltenberg']);
    expect(aliases(r, 'Kaja Kallas')).toEqual(['Kaja Kallas']);
    expect(aliases(r, 'Siim Kallas')).toEqual(['Siim Kallas', 'Kallas']);
    expect(speakerOf(r, 'sanctions must continue')).toBe('Siim Kallas');
  });

  it('statement: organisations by acronym and full name, "according to", diacritics kept in offsets', () => {
    const text =
      'Statement of the Ministry of Foreign Affairs of Poland. According to Foreign Minister Radosław ' +
      'Sikorski, the drones entered Polish airspace from Belarus. The Organization for Security and ' +
      'Co-operation in Europe confirmed that its monitors saw the launches. The OSCE added that Žilina was not affected.';
    const r = extract(text, g);
    expect(named(r, 'Radosław Sikorski')?.kind).toBe('person');
    expect(speakerOf(r, 'drones entered Polish airspace')).toBe('Radosław Sikorski');
    expect(aliases(r, 'OSCE')).toEqual(['Organization for Security and Co-operation in Europe', 'OSCE']);
    expect(speakerOf(r, 'its monitors saw the launches')).toBe('OSCE');
    expect(named(r, 'Belarus')?.kind).toBe('place');
    expect(r.entities.some((e) => e.kind === 'organisation' && e.name.startsWith('Ministry of Foreign Affairs'))).toBe(
      true,
    );
  });

  it('interview: the speaker after the verb, and a pronoun after a full name', () => {
    const text =
      'Q: Is an attack likely? "We see no sign of an imminent attack," said Oana Lungescu, the spokesperson. ' +
      'She pointed to the exercises of the past week. Asked about the pipeline, Lungescu denied any damage to the cable near Helsinki.';
    const r = extract(text, g);
    expect(speakerOf(r, 'no sign of an imminent attack')).toBe('Oana Lungescu');
    expect(speakerOf(r, 'exercises of the past week')).toBe('Oana Lungescu');
    expect(aliases(r, 'Oana Lungescu')).toEqual(['Oana Lungescu', 'Lungescu']);
    expect(named(r, 'Helsinki')?.kind).toBe('place');
  });

  it('ordinary capitalised words are not entities', () => {
    const r = extract('The meeting on Tuesday was short. Officials left early.', g);
    expect(r.entities).toEqual([]);
  });
});
