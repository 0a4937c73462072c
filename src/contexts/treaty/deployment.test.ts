import { describe, expect, it } from 'vitest';
import { checkDeployment, type DeploymentInput, type MandateRecord } from './deployment.ts';

const adopted: MandateRecord = {
  kind: 'deployment-mandate',
  status: 'adopted',
  host: 'UA',
  tlp: 'amber',
  audience: [],
  openToEveryMember: true,
  silenceSeconds: 3600,
  minSilenceSeconds: 3600,
};
const base: DeploymentInput = {
  host: 'UA',
  date: '2025-01-10',
  purpose: 'crisis-response',
  formalRequest: true,
  councilDecision: 'proposal--1',
};

describe('deployment preconditions', () => {
  it.each<[string, Partial<DeploymentInput>, MandateRecord | undefined, string[]]>([
    ['non-member with a request and an adopted mandate', {}, adopted, []],
    ['non-member, mandate adopted with reservations', {}, { ...adopted, status: 'adopted-with-reservations' }, []],
    ['non-member without a formal request', { formalRequest: false }, adopted, ['formal-request']],
    ['non-member without any council decision', { councilDecision: undefined }, undefined, ['council-decision']],
    ['non-member, proposal not found (or not visible)', {}, undefined, ['council-decision']],
    ['non-member, proposal still circulating', {}, { ...adopted, status: 'circulating' }, ['council-decision']],
    ['non-member, silence broken', {}, { ...adopted, status: 'silence-broken' }, ['council-decision']],
    ['non-member, proposal of another kind', {}, { ...adopted, kind: 'public-statement' }, ['council-decision']],
    ['non-member, mandate for another host', {}, { ...adopted, host: 'GE' }, ['council-decision']],
    [
      'non-member, mandate no other member could read (TLP:RED)',
      {},
      { ...adopted, tlp: 'red', openToEveryMember: false },
      ['council-decision'],
    ],
    [
      'non-member, mandate released to an audience',
      {},
      { ...adopted, audience: ['LT'], openToEveryMember: false },
      ['council-decision'],
    ],
    ['non-member, silence shorter than the minimum', {}, { ...adopted, silenceSeconds: 60 }, ['council-decision']],
    ['non-member, meeting procedure (no silence period)', {}, { ...adopted, silenceSeconds: null }, []],
    [
      'non-member, nothing',
      { formalRequest: false, councilDecision: undefined },
      undefined,
      ['formal-request', 'council-decision'],
    ],
    [
      'Article 5 reinforcement of a member needs no request',
      { host: 'PL', purpose: 'article-5', formalRequest: false },
      { ...adopted, host: 'PL' },
      [],
    ],
    [
      'Article 5 to a member still needs the council',
      { host: 'PL', purpose: 'article-5', formalRequest: false, councilDecision: undefined },
      undefined,
      ['council-decision'],
    ],
    [
      'training in a member state needs its request',
      { host: 'PL', purpose: 'training', formalRequest: false },
      { ...adopted, host: 'PL' },
      ['formal-request'],
    ],
    [
      '"Article 5" to Finland before accession is to a non-member',
      { host: 'FI', date: '2023-01-15', purpose: 'article-5', formalRequest: false },
      { ...adopted, host: 'FI' },
      ['formal-request'],
    ],
  ])('%s', (_n, over, mandate, missing) => {
    const r = checkDeployment({ ...base, ...over }, mandate);
    expect(r.missing).toEqual(missing);
    expect(r.permitted).toBe(missing.length === 0);
    for (const key of missing) expect(r.reasons.some((x) => x.rule === key)).toBe(true);
    expect(r.reasons.length).toBeGreaterThanOrEqual(3);
  });
});
