/**
 * Pure rules of the Campaigns panel and coordinated responses, mirroring the server's
 * (campaign.service.ts, response.service.ts) so the console explains a refusal before sending.
 */
import { canRead } from '../../../src/kernel/access/releasability.ts';
import type { Tlp } from '../../../src/kernel/access/tlp.ts';
import type { Member } from '../api/types.ts';
import type { Campaign } from './api.ts';

/** Task states of PATCH /responses/{id}/tasks/{member} (incident.schema.ts TaskBody). */
export const TASK_STATUSES = ['planned', 'in-progress', 'done', 'declined'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export function partitionCampaigns(items: readonly Campaign[]): { confirmed: Campaign[]; suggested: Campaign[] } {
  return {
    confirmed: items.filter((c) => c.status === 'confirmed'),
    suggested: items.filter((c) => c.status !== 'confirmed'),
  };
}

/** Only the confirming organisation renames, merges or splits a confirmed campaign. */
export function canManage(c: Campaign, org: string): boolean {
  return c.status === 'confirmed' && c.author === org;
}

/** Why a split cannot be sent, or undefined when it can. */
export function splitProblem(all: readonly string[], chosen: readonly string[], name: string): string | undefined {
  if (chosen.length === 0) return 'choose at least one incident to move out';
  if (chosen.some((i) => !all.includes(i))) return 'only incidents of this campaign can be split off';
  if (chosen.length >= all.length) return 'a split must leave at least one incident in the campaign';
  if (name.trim() === '') return 'name the new campaign';
  return undefined;
}

/** Campaigns a campaign may absorb: other confirmed campaigns of the same organisation. */
export function mergeCandidates(target: Campaign, items: readonly Campaign[], org: string): Campaign[] {
  return items.filter((c) => c.id !== target.id && canManage(c, org));
}

/** Participants who could not read a response released this way (the server refuses them). */
export function unreadableParticipants(
  r: { tlp: Tlp; audience: readonly string[]; author: string },
  participants: readonly string[],
  orgs: ReadonlyMap<string, Member>,
): string[] {
  return participants.filter((m) => {
    const o = orgs.get(m);
    return (
      !o ||
      !canRead({ kind: 'org', org: m, orgKind: o.kind }, { tlp: r.tlp, audience: [...r.audience], author: r.author })
    );
  });
}

/** "2 of 5 done, 1 declined": the one-line progress of a response. */
export function progressOf(tasks: ReadonlyArray<{ status: string }>): string {
  const n = (s: TaskStatus): number => tasks.filter((t) => t.status === s).length;
  const parts = [`${n('done')} of ${tasks.length} done`];
  if (n('in-progress')) parts.push(`${n('in-progress')} in progress`);
  if (n('declined')) parts.push(`${n('declined')} declined`);
  return parts.join(', ');
}

/** Position of an instant on a shared time axis, in percent. */
export function axisPercent(t: string, from: number, to: number): number {
  const x = Date.parse(t);
  if (!Number.isFinite(x) || to <= from) return 0;
  return Math.max(0, Math.min(100, ((x - from) / (to - from)) * 100));
}
