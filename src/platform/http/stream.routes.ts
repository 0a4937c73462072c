import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import { validation } from '../errors.ts';
import { readerOf } from '../../kernel/access/actor.ts';
import type { EventSystem } from '../events/event-system.ts';
import { parseEventFilter } from '../events/event.ts';
import { EventIdCodec } from '../events/event-id.ts';
import { actorOf } from './app.ts';
import { credentialsOf } from './authenticate.ts';
import { TooManyRequests } from './rate-limit.ts';
import { DEFAULT_SSE_LIMITS, SseHub, type SseLimits } from './sse.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { DomainError } from '../errors.ts';

/** What the stream needs of the users' side: a fresh token check, and word of revocations. */
export interface StreamAuth {
  /** The token's user now (no cache), or undefined when it is unknown, revoked or expired, or its user disabled. */
  verify(token: string): Promise<UserActor | undefined>;
  /** The console session's user now (no cache), or undefined once it ended (logout, its token revoked). */
  verifySession?(id: string): Promise<UserActor | undefined>;
  /** Calls `fn` with a user id whose tokens were revoked in this process; returns an unsubscribe. */
  onRevoked(fn: (userId: string) => void): () => void;
}

/** A client told to wait this long before opening another stream (streams last until closed). */
const RETRY_AFTER_S = { user: 30, total: 10 };

const Query = z.object({
  lastEventId: z
    .string()
    .max(40)
    .optional()
    .describe('resume after this event id (same as the Last-Event-ID header); 0: from the oldest event kept'),
  events: z
    .string()
    .max(5000)
    .optional()
    .describe('comma-separated event names, e.g. incident.created,proposal.updated'),
});

/** GET /stream: the live event stream (Server-Sent Events), releasable events only. */
export function streamRoutes(
  events: EventSystem,
  registry: Registry,
  auth: StreamAuth,
  limits: Partial<SseLimits> = {},
): FastifyPluginAsync {
  return async (app) => {
    const gauge = new Gauge({
      name: 'bulwark_sse_subscribers',
      help: 'Open live-stream (SSE) subscriptions',
      registers: [registry],
    });
    registry.registerMetric(events.metrics.relayed);
    const ids = new EventIdCodec(await events.outbox.eventIdKey());
    const hub = new SseHub(events.bus, events.outbox, events.options, app.log, ids, gauge, {
      ...DEFAULT_SSE_LIMITS,
      ...limits,
    });
    const unsubscribe = auth.onRevoked((userId) => void hub.recheck(userId));
    app.addHook('preClose', async () => {
      unsubscribe();
      hub.close();
    });
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/stream',
      { schema: { tags: ['stream'], querystring: Query, produces: ['text/event-stream'] } },
      async (req, reply) => {
        const header = req.headers['last-event-id'];
        const given = typeof header === 'string' && header !== '' ? header : req.query.lastEventId;
        const after = given === undefined || given === '' ? undefined : ids.decode(given);
        if (after === 'invalid')
          throw validation('last-event-id', 'must be an event id this stream sent, or 0 for the oldest event kept');
        const names = parseEventFilter(req.query.events);
        if (names === 'invalid')
          throw validation('query.events', 'must be comma-separated event names such as incident.created');
        const actor = actorOf(req);
        const refused = hub.refusal(actor.userId);
        if (refused === 'user-limit') {
          void reply.header('retry-after', String(RETRY_AFTER_S.user));
          throw new TooManyRequests(
            `stream: this user already holds ${hub.heldBy(actor.userId)} live streams, the most allowed (BULWARK_MAX_STREAMS_PER_USER); close one first`,
          );
        }
        if (refused === 'total-limit') {
          void reply.header('retry-after', String(RETRY_AFTER_S.total));
          throw new DomainError(
            'unavailable',
            'stream: this server holds as many live streams as it may (BULWARK_MAX_STREAMS); retry later',
          );
        }
        // The stream outlives the request: its token is checked again while it is open (revocation ends it).
        const token = credentialsOf(req, false)?.token ?? '';
        const session = req.sessionId;
        const credential = session
          ? {
              key: `session:${session}`,
              stillValid: async () => (await auth.verifySession?.(session))?.userId === actor.userId,
            }
          : { key: token, stillValid: async () => (await auth.verify(token))?.userId === actor.userId };
        reply.hijack();
        await hub.open(reply.raw, headersOf(reply.getHeaders()), {
          reader: readerOf(actor),
          userId: actor.userId,
          credential,
          after,
          names,
        });
      },
    );
  };
}

/** The headers set so far (security headers from hooks) in node's outgoing form. */
function headersOf(h: Record<string, string | number | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = typeof v === 'number' ? String(v) : v;
  return out;
}
