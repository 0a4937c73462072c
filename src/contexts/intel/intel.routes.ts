import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { DomainError } from '../../platform/errors.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../platform/http/app.ts';
import type { IncidentService } from './incident.service.ts';
import type { PictureService } from './picture.service.ts';
import type { CampaignService } from './campaign.service.ts';
import type { ResponseService } from './response.service.ts';
import {
  CampaignQuery,
  ConfirmCampaignBody,
  CreateResponseBody,
  ResponseQuery,
  TaskBody,
  TaskParams,
  CorrelationsView,
  MergeCampaignBody,
  RenameCampaignBody,
  SplitCampaignBody,
  CreateIncidentBody,
  IdParams,
  IncidentView,
  ListIncidentsQuery,
  PatchIncidentBody,
  PictureQuery,
  TtpQuery,
  HistoryQuery,
  HistoryView,
} from './incident.schema.ts';
import { CampaignItem as Campaign } from './campaign.schema.ts';
import { ResponseView } from './response.schema.ts';
import { EXPORT_FORMATS } from './incident-export.ts';
import { RetryPacer } from '../../platform/http/retry-pacer.ts';

const tags = ['intel'];
/** Incident writes share transactions and queue fairly between users there, not in the write gate. */
const GROUP_COMMIT = { groupCommit: true };
/**
 * Once reports have waited this long for their transaction (as BULWARK_WRITE_QUEUE_WAIT_MS's default does for
 * the write gate), new ones answer 503 with Retry-After.
 */
const MAX_WAIT_MS = 2000;

function refuseWhenBacklogged(incidents: IncidentService, pacer: RetryPacer, reply: FastifyReply): void {
  const behind = incidents.refusal(MAX_WAIT_MS);
  if (behind === undefined) return pacer.admit();
  // The queues' estimate stays near the bound; the pacer stretches it while refused reports outnumber admitted ones.
  const retry = pacer.refuse(behind);
  void reply.header('retry-after', String(retry));
  throw new DomainError(
    'unavailable',
    // No count of the reports waiting: it would tell any member how much others report, hidden reports included.
    `the server is behind with reports; nothing was stored; retry after ${retry} s`,
  );
}

const AddIncidentsBody = z.object({ incidents: z.array(z.string().max(100)).min(1).max(50) });
const ExportQuery = z.object({
  format: z
    .enum(EXPORT_FORMATS)
    .describe('stix: a STIX 2.1 bundle; misp: a MISP event (JSON); csv: one row per observable'),
});
/** REST routes of the intel context (api.md, Incidents). Thin: validate → service → present. */
export function intelRoutes(
  incidents: IncidentService,
  picture: PictureService,
  campaigns: CampaignService,
  responses: ResponseService,
): FastifyPluginAsync {
  // One per server: how long refused reports are told to wait follows how many come back.
  const pacer = new RetryPacer();
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/incidents',
      { schema: { tags, body: CreateIncidentBody, response: { 201: IncidentView } }, config: GROUP_COMMIT },
      async (req, reply) => {
        refuseWhenBacklogged(incidents, pacer, reply);
        return reply.status(201).send(await incidents.report(actorOf(req), req.body));
      },
    );
    r.get(
      '/incidents',
      {
        schema: {
          tags,
          querystring: ListIncidentsQuery,
          response: { 200: z.object({ items: z.array(IncidentView), next: z.string().nullable() }) },
        },
      },
      async (req) => incidents.list(actorOf(req), req.query),
    );
    r.get('/incidents/:id', { schema: { tags, params: IdParams, response: { 200: IncidentView } } }, async (req) =>
      incidents.get(actorOf(req), req.params.id),
    );
    r.patch(
      '/incidents/:id',
      {
        schema: { tags, params: IdParams, body: PatchIncidentBody, response: { 200: IncidentView } },
        config: GROUP_COMMIT,
      },
      async (req, reply) => {
        refuseWhenBacklogged(incidents, pacer, reply);
        return incidents.update(actorOf(req), req.params.id, req.body);
      },
    );
    r.get(
      '/incidents/:id/history',
      { schema: { tags, params: IdParams, querystring: HistoryQuery, response: { 200: HistoryView } } },
      async (req) => incidents.history(actorOf(req), req.params.id, req.query.limit),
    );
    r.get(
      '/incidents/:id/export',
      { schema: { tags, params: IdParams, querystring: ExportQuery } },
      async (req, reply) => {
        const file = await incidents.exportOf(actorOf(req), req.params.id, req.query.format);
        return reply
          .type(file.contentType)
          .header('Content-Disposition', `attachment; filename="${file.filename}"`)
          .header('Cache-Control', 'no-store')
          .send(file.body);
      },
    );
    r.get(
      '/incidents/:id/correlations',
      { schema: { tags, params: IdParams, response: { 200: CorrelationsView } } },
      async (req) => ({
        items: await incidents.correlations(actorOf(req), req.params.id),
      }),
    );
    r.get(
      '/campaigns',
      { schema: { tags, querystring: CampaignQuery, response: { 200: z.object({ items: z.array(Campaign) }) } } },
      async (req) => ({
        items: await campaigns.overview(
          actorOf(req),
          req.query.limit,
          await picture.campaigns(actorOf(req), req.query.limit),
        ),
      }),
    );
    r.post(
      '/campaigns',
      { schema: { tags, body: ConfirmCampaignBody, response: { 201: Campaign } } },
      async (req, reply) => reply.status(201).send(await campaigns.confirm(actorOf(req), req.body)),
    );
    r.get('/campaigns/:id', { schema: { tags, params: IdParams, response: { 200: Campaign } } }, async (req) =>
      campaigns.get(actorOf(req), req.params.id),
    );
    r.patch(
      '/campaigns/:id',
      { schema: { tags, params: IdParams, body: RenameCampaignBody, response: { 200: Campaign } } },
      async (req) => campaigns.rename(actorOf(req), req.params.id, req.body),
    );
    r.post(
      '/campaigns/:id/merge',
      { schema: { tags, params: IdParams, body: MergeCampaignBody, response: { 200: Campaign } } },
      async (req) => campaigns.merge(actorOf(req), req.params.id, req.body.from),
    );
    r.post(
      '/campaigns/:id/incidents',
      { schema: { tags, params: IdParams, body: AddIncidentsBody, response: { 200: Campaign } } },
      async (req) => campaigns.addIncidents(actorOf(req), req.params.id, req.body.incidents),
    );
    r.post(
      '/campaigns/:id/split',
      {
        schema: {
          tags,
          params: IdParams,
          body: SplitCampaignBody,
          response: { 201: z.object({ from: Campaign, created: Campaign }) },
        },
      },
      async (req, reply) => reply.status(201).send(await campaigns.split(actorOf(req), req.params.id, req.body)),
    );
    r.post(
      '/responses',
      { schema: { tags, body: CreateResponseBody, response: { 201: ResponseView } } },
      async (req, reply) => reply.status(201).send(await responses.create(actorOf(req), req.body)),
    );
    r.get(
      '/responses',
      { schema: { tags, querystring: ResponseQuery, response: { 200: z.object({ items: z.array(ResponseView) }) } } },
      async (req) => ({ items: await responses.list(actorOf(req), req.query.target, req.query.limit) }),
    );
    r.get('/responses/:id', { schema: { tags, params: IdParams, response: { 200: ResponseView } } }, async (req) =>
      responses.get(actorOf(req), req.params.id),
    );
    r.patch(
      '/responses/:id/tasks/:member',
      { schema: { tags, params: TaskParams, body: TaskBody, response: { 200: ResponseView } } },
      async (req) => responses.updateTask(actorOf(req), req.params.id, req.params.member, req.body),
    );
    r.get('/picture', { schema: { tags, querystring: PictureQuery } }, async (req) =>
      picture.picture(actorOf(req), req.query.since && new Date(req.query.since).toISOString()),
    );
    r.get('/ttps', { schema: { tags, querystring: TtpQuery } }, async (req) => ({
      items: await picture.ttps(actorOf(req), req.query.q, req.query.limit),
    }));
    r.get('/intel/common-values', { schema: { tags } }, async (req) => ({
      items: await picture.commonValues(actorOf(req)),
    }));
  };
}
