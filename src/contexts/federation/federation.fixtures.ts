import { systemActor, type UserActor } from '../../kernel/access/actor.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';
import { nameUuid } from '../stix/stix.ts';
import type { UserService } from '../sharing/user.service.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import type { Federation } from './federation.module.ts';

/** What the helpers need of a node's services. */
interface Services {
  users: UserService;
  knowledge: KnowledgeService;
  federation: Federation;
}

/** Test helpers for nodes that federate (used by the federation tests only). */
let users = 0;

export async function userOf(s: Services, org: string, role: UserActor['role'] = 'analyst') {
  const { user, token } = await s.users.create({ member: org, name: `fed-${org}-${++users}-${process.pid}`, role });
  const actor = await s.users.authenticate(token);
  if (!actor) throw new Error('no actor');
  return { name: user.name, token, actor };
}

/** `from` pulls from `to` as a new user of `org` on `to`. */
export async function peer(
  from: { services: Services },
  to: { services: Services; base: string },
  org: string,
  opts: { authors?: string[]; name?: string } = {},
): Promise<string> {
  const u = await userOf(to.services, org);
  const p = await from.services.federation.peers.add(systemActor('test'), {
    name: opts.name ?? `peer-${++users}`,
    url: `${to.base}/taxii2/alliance/`,
    user: u.name,
    token: u.token,
    ...(opts.authors ? { authors: opts.authors } : {}),
  });
  return p.id;
}

export function indicator(seed: string, modified = '2026-01-01T00:00:00.000Z', tlp?: Tlp): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${nameUuid(seed)}`,
    created: '2026-01-01T00:00:00.000Z',
    modified,
    name: `indicator ${seed}`,
    pattern: `[domain-name:value = '${seed}.example']`,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    ...(tlp ? { object_marking_refs: [TLP2_MARKING_IDS[tlp]] } : {}),
  };
}

/** Writes objects as `actor` under a TLP and audience (as a TAXII POST or an import would). */
export async function write(
  s: Services,
  actor: UserActor,
  objects: Record<string, unknown>[],
  release: { tlp: Tlp; audience?: string[] },
): Promise<void> {
  const r = await s.knowledge.ingest(
    actor,
    objects.map((value, index) => ({ index, value })),
    { defaultTlp: release.tlp, audience: release.audience ?? [] },
  );
  if (r.rejected.length > 0) throw new Error(r.rejected.map((x) => x.message).join('; '));
}

/** The latest versions of `ids` that a user of `org` may read on a node. */
export async function readable(s: Services, org: string, ids: readonly string[]) {
  const kind = org === 'UA' ? 'partner' : 'member';
  return s.knowledge.list({
    reader: { kind: 'org', org, orgKind: kind },
    scope: { kind: 'all' },
    ids,
    versions: ['last'],
  });
}

/** Every stored version of `ids` (any author), as the store holds them. */
export async function stored(s: Services, ids: readonly string[]) {
  return s.knowledge.list({ reader: { kind: 'system', name: 'test' }, scope: { kind: 'all' }, ids, versions: ['all'] });
}

export async function until(what: string, ok: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
