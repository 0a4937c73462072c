import { describe, expect, it } from 'vitest';
import { ORGANISATIONS } from '../../../src/contexts/sharing/organisations.ts';
import type { Member } from '../api/types.ts';
import type { Campaign } from './api.ts';
import {
  canManage,
  mergeCandidates,
  partitionCampaigns,
  progressOf,
  splitProblem,
  unreadableParticipants,
} from './logic.ts';

const camp = (id: string, status: string, author?: string): Campaign => ({
  id,
  status,
  name: id,
  incidents: [`incident--${id}`],
  categories: [],
  membersTouched: [],
  firstSeen: '',
  lastSeen: '',
  links: 0,
  maxScore: 0,
  ...(author ? { author } : {}),
});
const orgs: ReadonlyMap<string, Member> = new Map(
  ORGANISATIONS.map((o) => [o.code, { code: o.code, name: o.name, kind: o.kind, joined: null }]),
);

describe('campaign rules', () => {
  it('separates confirmed campaigns from suggestions and lets only the confirming organisation manage', () => {
    const items = [
      camp('a', 'confirmed', 'PL'),
      camp('b', 'suggested'),
      camp('c', 'confirmed', 'LT'),
      camp('d', 'confirmed', 'PL'),
    ];
    const p = partitionCampaigns(items);
    expect(p.confirmed.map((c) => c.id)).toEqual(['a', 'c', 'd']);
    expect(p.suggested.map((c) => c.id)).toEqual(['b']);
    expect(canManage(items[0]!, 'PL')).toBe(true);
    expect(canManage(items[0]!, 'LT')).toBe(false);
    expect(canManage(items[1]!, 'PL')).toBe(false);
    expect(mergeCandidates(items[0]!, items, 'PL').map((c) => c.id)).toEqual(['d']);
  });

  it('explains why a split cannot be sent, as the server would refuse it', () => {
    const all = ['incident--1', 'incident--2', 'incident--3'];
    expect(splitProblem(all, [], 'x')).toMatch(/at least one incident to move/);
    expect(splitProblem(all, ['incident--9'], 'x')).toMatch(/only incidents of this campaign/);
    expect(splitProblem(all, all, 'x')).toMatch(/leave at least one/);
    expect(splitProblem(all, ['incident--2'], '  ')).toMatch(/name the new campaign/);
    expect(splitProblem(all, ['incident--2'], 'Wave 2')).toBeUndefined();
  });
});

describe('coordinated responses', () => {
  it('flags participants who could not read the response, with the server policy', () => {
    // amber: members only, so a partner (UA) is refused; naming the participants as audience admits them all
    expect(unreadableParticipants({ tlp: 'amber', audience: [], author: 'PL' }, ['PL', 'LT', 'UA'], orgs)).toEqual([
      'UA',
    ]);
    expect(
      unreadableParticipants({ tlp: 'red', audience: ['PL', 'LT', 'UA'], author: 'PL' }, ['PL', 'LT', 'UA'], orgs),
    ).toEqual([]);
    expect(unreadableParticipants({ tlp: 'red', audience: ['LT'], author: 'PL' }, ['PL', 'LT', 'EE'], orgs)).toEqual([
      'EE',
    ]);
    expect(unreadableParticipants({ tlp: 'green', audience: [], author: 'PL' }, ['XX'], orgs)).toEqual(['XX']);
  });

  it('summarises progress', () => {
    expect(
      progressOf([{ status: 'done' }, { status: 'planned' }, { status: 'in-progress' }, { status: 'declined' }]),
    ).toBe('1 of 4 done, 1 in progress, 1 declined');
    expect(progressOf([])).toBe('0 of 0 done');
  });
});
