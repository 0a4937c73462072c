import { randomUUID } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { DomainError, forbidden, notFound, validation } from '../../platform/errors.ts';
import { appendToOutbox, type EventNotifier } from '../../platform/events/outbox.ts';
import { readerOf, type Actor, type UserActor } from '../../kernel/access/actor.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { canRead, decodeAudience, encodeAudience } from '../../kernel/access/releasability.ts';
import { TLP2_MARKING_IDS, type Tlp } from '../../kernel/access/tlp.ts';
import { toReleasable, type KnowledgeService } from '../knowledge/knowledge.service.ts';
import { linkReleasability } from './correlation.ts';
import { ChildIds } from './child-ids.repository.ts';
import { nextModified, stixTime } from './incident.ts';
import type { ResponseRepository, ResponseRow, TaskRow } from './response.repository.ts';
import { assertAudience } from '../sharing/audience.service.ts';
import type { ResponseViewT } from './response.schema.ts';

export const TASK_STATUSES = ['planned', 'in-progress', 'done', 'declined'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface CreateResponseInput {
  title: string;
  target: string;
  courseOfAction: { ref: string } | { name: string; description?: string | undefined };
  participants: string[];
  tlp: Tlp;
  audience?: string[] | undefined;
}

export type ResponseView = ResponseViewT;

const ORG = new Map(ORGANISATIONS.map((o) => [o.code, o]));

/** Overall status: completed when every task is done or declined, in progress once one has started. */
export function responseStatus(tasks: ReadonlyArray<{ status: string }>): ResponseView['status'] {
  if (tasks.length > 0 && tasks.every((t) => t.status === 'done' || t.status === 'declined')) return 'completed';
  return tasks.some((t) => t.status !== 'planned') ? 'in-progress' : 'planned';
}

/** Coordinated responses: a course of action attached to an incident or campaign, one task per member. */
export class ResponseService {
  constructor(
    private readonly d: {
      repo: ResponseRepository;
      knowledge: KnowledgeService;
      clock: Clock;
      notifier: EventNotifier;
      targetReleasability: (actor: Actor, id: string) => Promise<{ author: string; tlp: Tlp; audience: string[] }>;
    },
  ) {}

  async create(actor: UserActor, input: CreateResponseInput): Promise<ResponseView> {
    await assertAudience(this.d.knowledge.repo.db, input.audience);
    const target = await this.d.targetReleasability(actor, input.target).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === 'not-found')
        throw validation('target', `no incident or campaign ${input.target} that you may read`);
      throw e;
    });
    const now = stixTime(this.d.clock.now());
    const row: ResponseRow = {
      id: `grouping--${randomUUID()}`,
      title: input.title,
      target: input.target,
      course_of_action: '',
      author: actor.org,
      tlp: input.tlp,
      audience: encodeAudience(input.audience ?? []),
      created_at: now,
      modified: now,
    };
    const participants = [...new Set(input.participants)];
    participants.forEach((m, i) => {
      const o = ORG.get(m);
      if (!o) throw validation(`participants[${i}]`, `no organisation with code ${m}`);
      if (!canRead({ kind: 'org', org: m, orgKind: o.kind }, toReleasable(row)))
        throw validation(
          `participants[${i}]`,
          `${m} may not read a response released at ${input.tlp}${input.audience?.length ? ` to ${input.audience.join(', ')}` : ''}`,
        );
    });
    const objects: Record<string, unknown>[] = [];
    const marking = [TLP2_MARKING_IDS[input.tlp]];
    if ('ref' in input.courseOfAction) {
      const coa = await this.d.knowledge.find(actor, input.courseOfAction.ref);
      if (!coa || coa.object.type !== 'course-of-action')
        throw validation('courseOfAction.ref', 'must be a course-of-action you may read');
      row.course_of_action = input.courseOfAction.ref;
    } else {
      row.course_of_action = `course-of-action--${randomUUID()}`;
      objects.push({
        type: 'course-of-action',
        spec_version: '2.1',
        id: row.course_of_action,
        created: now,
        modified: now,
        name: input.courseOfAction.name,
        description: input.courseOfAction.description ?? '',
        object_marking_refs: marking,
      });
    }
    const tasks: TaskRow[] = participants.map((m) => ({
      response_id: row.id,
      member: m,
      status: 'planned',
      note: null,
      updated_at: now,
      updated_by: null,
    }));
    const grouping = {
      type: 'grouping',
      spec_version: '2.1',
      id: row.id,
      created: now,
      modified: now,
      name: input.title,
      context: 'coordinated-response',
      object_refs: [row.course_of_action],
      object_marking_refs: marking,
    };
    await this.d.repo.db.transaction().execute(async (trx) => {
      await this.ingest(trx, actor, [...objects, grouping], input.tlp, input.audience ?? []);
      // The link to the target is released only to who may read both the response and the target.
      const both = linkReleasability(toReleasable(row), target);
      if (both) {
        const key = `related-to|${input.target}`;
        const id = (await new ChildIds(trx).ids(row.id, [{ key, type: 'relationship' }])).get(key)!;
        const link = {
          type: 'relationship',
          spec_version: '2.1',
          id,
          created: now,
          modified: now,
          relationship_type: 'related-to',
          source_ref: row.course_of_action,
          target_ref: input.target,
          object_marking_refs: [TLP2_MARKING_IDS.red],
        };
        await this.ingest(trx, actor, [link], 'red', [...new Set([...both.audience, actor.org])]);
      }
      await this.d.repo.insert(trx, row, tasks);
      await appendToOutbox(trx, [this.event('response.created', row, tasks)], now);
    });
    this.d.notifier.nudge();
    return this.get(actor, row.id);
  }

  async updateTask(
    actor: UserActor,
    id: string,
    member: string,
    input: { status: TaskStatus; note?: string | undefined },
  ): Promise<ResponseView> {
    const r = await this.load(actor, id);
    if (!r.tasks.some((t) => t.member === member)) throw notFound(`task of ${member} in response ${id}`);
    if (actor.org !== member) throw forbidden(`only users of ${member} update ${member}'s task`);
    const at = nextModified(this.d.clock.now(), r.row.modified);
    await this.d.repo.db.transaction().execute(async (trx) => {
      await this.d.repo.updateTask(trx, id, member, input.status, input.note ?? null, at, actor.userName);
      const tasks = r.tasks.map((t) => (t.member === member ? { ...t, status: input.status } : t));
      await appendToOutbox(trx, [this.event('response.updated', { ...r.row, modified: at }, tasks)], at);
    });
    this.d.notifier.nudge();
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<ResponseView> {
    const r = await this.load(actor, id);
    return this.view(actor, r.row, r.tasks);
  }

  async list(actor: Actor, target: string | undefined, limit: number): Promise<ResponseView[]> {
    // Filtering by a target the reader may not read would confirm that the hidden target exists.
    if (
      target !== undefined &&
      !(await this.d.targetReleasability(actor, target).then(
        () => true,
        () => false,
      ))
    )
      return [];
    const rows = await this.d.repo.list(readerOf(actor), target, limit);
    return Promise.all(rows.map((r) => this.view(actor, r.row, r.tasks)));
  }

  private async view(actor: Actor, row: ResponseRow, tasks: TaskRow[]): Promise<ResponseView> {
    const targetVisible = await this.d.targetReleasability(actor, row.target).then(
      () => true,
      () => false,
    );
    const coaVisible = (await this.d.knowledge.find(actor, row.course_of_action)) !== undefined;
    return {
      id: row.id,
      title: row.title,
      target: targetVisible ? row.target : null,
      courseOfAction: coaVisible ? row.course_of_action : null,
      author: row.author,
      tlp: row.tlp,
      audience: decodeAudience(row.audience),
      status: responseStatus(tasks),
      tasks: tasks.map((t) => ({ member: t.member, status: t.status, note: t.note, updatedAt: t.updated_at })),
      created: row.created_at,
      modified: row.modified,
    };
  }

  private async load(actor: Actor, id: string): Promise<{ row: ResponseRow; tasks: TaskRow[] }> {
    const r = await this.d.repo.load(this.d.repo.db, id);
    if (!r || !canRead(readerOf(actor), toReleasable(r.row))) throw notFound(`response ${id}`);
    return r;
  }

  private event(name: string, row: ResponseRow, tasks: ReadonlyArray<{ member: string; status: string }>) {
    return {
      event: name,
      objectId: row.id,
      ...toReleasable(row),
      payload: {
        title: row.title,
        status: responseStatus(tasks),
        tasks: tasks.map((t) => ({ member: t.member, status: t.status })),
        modified: row.modified,
      },
    };
  }

  private async ingest(
    trx: Parameters<KnowledgeService['ingestWithin']>[0],
    actor: UserActor,
    objects: Record<string, unknown>[],
    tlp: Tlp,
    audience: string[],
  ): Promise<void> {
    const report = await this.d.knowledge.ingestWithin(
      trx,
      actor,
      objects.map((value, index) => ({ index, value })),
      { defaultTlp: tlp, audience },
    );
    if (report.rejected.length > 0)
      throw new DomainError('unprocessable', `response objects rejected: ${report.rejected[0]!.message}`);
  }
}
