import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import { validation } from '../errors.ts';
import { readerOf } from '../../contexts/sharing/actor.ts';
import type { EventSystem } from '../events/event-system.ts';
import { parseEventFilter } from '../events/event.ts';
import { EventIdCodec } from '../events/event-id.ts';
import { actorOf } from './app.ts';
import { SseHub } from './sse.ts';

const Query = z.object({
  lastEventId: z.string().max(40).optional().describe('resume after this event id (same as the Last-Event-ID header); 0: from the oldest event kept'),
  events: z.string().max(5000).optional().describe('comma-separated event names, e.g. incident.created,proposal.updated'),
});

/** GET /stream: the live event stream (Server-Sent Events), releasable events only. */
export function streamRoutes(events: EventSystem, registry: Registry): FastifyPluginAsync {
  return async (app) => {
    const gauge = new Gauge({ name: 'bulwark_sse_subscribers', help: 'Open live-stream (SSE) subscriptions', registers: [registry] });
    registry.registerMetric(events.metrics.relayed);
    const ids = new EventIdCodec(await events.outbox.eventIdKey());
    const hub = new SseHub(events.bus, events.outbox, events.options, app.log, ids, gauge);
    app.addHook('preClose', async () => hub.close());
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get('/stream', { schema: { tags: ['stream'], querystring: Query, produces: ['text/event-stream'] } }, async (req, reply) => {
      const header = req.headers['last-event-id'];
      const given = typeof header === 'string' && header !== '' ? header : req.query.lastEventId;
      const after = given === undefined || given === '' ? undefined : ids.decode(given);
      if (after === 'invalid') throw validation('last-event-id', 'must be an event id this stream sent, or 0 for the oldest event kept');
      const names = parseEventFilter(req.query.events);
      if (names === 'invalid') throw validation('query.events', 'must be comma-separated event names such as incident.created');
      reply.hijack();
      await hub.open(reply.raw, headersOf(reply.getHeaders()), { reader: readerOf(actorOf(req)), after, names });
    });
  };
}

/** The headers set so far (security headers from hooks) in node's outgoing form. */
function headersOf(h: Record<string, string | number | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = typeof v === 'number' ? String(v) : v;
  return out;
}
