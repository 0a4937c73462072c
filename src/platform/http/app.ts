import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync, type FastifyRequest } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  jsonSchemaTransform,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DomainError } from '../errors.ts';
import { securityHeaders } from './security-headers.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { sendError } from './errors.ts';
import { guardJsonBodies } from './json-body.ts';
import {
  credentialsOf,
  requireActor,
  Unauthenticated,
  type Authenticator,
  type SessionResolver,
} from './authenticate.ts';
import type { HttpMetrics } from './metrics.ts';
import type { HttpTimeouts } from '../config.ts';
import { rateLimitHook } from './rate-limit.ts';
import { ResponseBuffers, responseBufferHooks } from './response-buffers.ts';
import {
  LoopLag,
  writeBudgetHooks,
  WriteBudgets,
  WriteGate,
  type WriteBudgetOptions,
  type WriteQueueBounds,
} from './write-budget.ts';
import { DEFAULT_GROUP_COMMIT } from '../db/group-commit.ts';

export interface RouteModule {
  /** Mounted under this prefix. Modules under /api/v1 require a signed-in user. */
  prefix: string;
  plugin: FastifyPluginAsync;
  /** When true, the module authenticates its own requests (TAXII: Basic and anonymous reads). */
  ownAuth?: boolean;
}

export interface AppDeps {
  log: Logger;
  authenticate: Authenticator;
  /** The console's session cookies, accepted under /api/v1 beside bearer tokens (never by TAXII or /metrics). */
  sessions?: SessionResolver;
  ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
  registry: Registry;
  metrics: HttpMetrics;
  modules: RouteModule[];
  maxBodyBytes: number;
  /** Requests per minute per signed-in user (per address without credentials); 0: no limit. */
  rateLimitPerMinute: number;
  /** Requests per minute per address that fail authentication (429 past it). */
  authFailuresPerMinute: number;
  /** Headers, request, idle and keep-alive timeouts (a slow client never holds a connection forever). */
  timeouts: HttpTimeouts;
  /** Connections held at once; one more is closed as it is accepted (Node's server.maxConnections). Absent: no bound. */
  maxConnections?: number;
  /** Reverse proxies whose X-Forwarded-For gives the client address (Fastify trustProxy); none by default. */
  trustProxy?: string[] | undefined;
  webRoot?: string;
  /** Bearer secret for /metrics scrapers; without it (or beside it) an operator's API token reads /metrics. */
  metricsToken?: string | undefined;
  /** Per-user budgets of bytes and event-loop time for writes (429 with Retry-After when spent). */
  writeBudget?: WriteBudgetOptions;
  /** Response bytes held for clients that have not read them, past which requests answer 503; 0 or absent: no bound. */
  responseBufferBytes?: number;
}

export type App = FastifyInstance;

/** Largest JSON body of a REST request under /api/v1 (bytes); TAXII has its own, maxBodyBytes. */
export const API_BODY_LIMIT = 1024 * 1024;

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: deps.maxBodyBytes,
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // requestTimeout bounds receiving a request (Node's server.requestTimeout), not sending the response:
    // live streams outlast it; an idle socket (no byte either way; streams send heartbeats) is closed.
    requestTimeout: deps.timeouts.requestMs,
    connectionTimeout: deps.timeouts.idleMs,
    keepAliveTimeout: deps.timeouts.keepAliveMs,
    http: { headersTimeout: deps.timeouts.headersMs, connectionsCheckingInterval: deps.timeouts.checkEveryMs },
    ...(deps.trustProxy?.length ? { trustProxy: deps.trustProxy } : {}),
  }).withTypeProvider<ZodTypeProvider>();
  // A surge larger than the server can even read (a refusal costs it a request's parsing) waits in the clients:
  // a connection past the bound is closed as it is accepted. Requests on the connections held are answered,
  // with 503 and Retry-After when the write queues are behind, so how long one waits unread stays bounded.
  if (deps.maxConnections) app.server.maxConnections = deps.maxConnections;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  guardJsonBodies(app);

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof Unauthenticated) void reply.header('WWW-Authenticate', err.challenge);
    return sendError(reply, err, req);
  });
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, new DomainError('not-found', `no route ${req.method} ${req.url.split('?')[0] ?? ''}`), req),
  );

  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  app.addHook('onRequest', async (_req, reply) => {
    void reply.headers(headers);
  });
  const budgets = deps.writeBudget && new WriteBudgets(deps.writeBudget);
  const slots = deps.writeBudget?.concurrentWrites ?? 0;
  if (budgets && (budgets.enabled || slots > 0)) {
    const bounds =
      slots > 0
        ? queueBounds(deps.writeBudget?.queue, (stop) => app.addHook('onClose', async () => stop()))
        : undefined;
    const gateOf = (n: number) => (bounds ? new WriteGate(n, (u) => budgets.recentUse(u), bounds) : undefined);
    // Writes of group-commit routes pass a gate as wide as one transaction's batch (write-budget.ts).
    const hooks = writeBudgetHooks(budgets, gateOf(slots), gateOf(Math.max(slots, DEFAULT_GROUP_COMMIT.maxBatch)));
    // Before authentication: under a burst, refusing a write must cost far less than taking it.
    app.addHook('onRequest', hooks.onRequest);
    app.addHook('preParsing', hooks.preParsing);
    app.addHook('preHandler', hooks.preHandler);
    app.addHook('onResponse', hooks.end);
    app.addHook('onRequestAbort', hooks.end);
  }
  app.addHook(
    'onRequest',
    rateLimitHook({
      perMinute: deps.rateLimitPerMinute,
      authFailuresPerMinute: deps.authFailuresPerMinute,
      authenticate: deps.authenticate,
      sessions: deps.sessions,
      exempt: (req) =>
        req.url === '/healthz' ||
        req.url === '/readyz' ||
        (req.url === '/metrics' && isMetricsSecret(req, deps.metricsToken)),
    }),
  );
  if (deps.responseBufferBytes) {
    const hooks = responseBufferHooks(
      new ResponseBuffers(deps.responseBufferBytes),
      (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
    );
    app.addHook('onRequest', hooks.onRequest);
    app.addHook('onSend', hooks.onSend);
  }
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Bulwark API',
        version: '1',
        description: 'Hybrid-threat intelligence sharing for an alliance. Bearer token auth.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.observe(req.routeOptions.url ?? 'unmatched', req.method, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const r = await deps.ready();
    return reply.status(r.ok ? 200 : 503).send({ status: r.ok ? 'ready' : 'not-ready', checks: r.checks });
  });
  // Request counts by route and status and the events relayed tell anyone who reads them how busy every
  // member is, hidden work included: only a scraper with the metrics secret or the node's operator reads them
  // (an organisation's admin, a partner's included, is not the node's operator).
  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!isMetricsSecret(req, deps.metricsToken)) {
      const actor = await requireActor(req, deps.authenticate, { allowBasic: false, realm: 'bulwark' });
      if (actor.role !== 'operator')
        throw new DomainError(
          'forbidden',
          "authorization: /metrics needs an operator's token or the metrics token (BULWARK_METRICS_TOKEN)",
        );
    }
    return reply.type(deps.registry.contentType).send(await deps.registry.metrics());
  });

  for (const mod of deps.modules) {
    await app.register(
      async (scope) => {
        if (!mod.ownAuth) {
          // A JSON request of the API is a report, a proposal, a campaign: none comes near 1 MiB (the largest
          // incident the schema accepts is about 200 KB). Only TAXII (own auth) takes bundles up to maxBodyBytes.
          scope.addHook('onRoute', (route) => {
            route.bodyLimit ??= Math.min(deps.maxBodyBytes, API_BODY_LIMIT);
          });
          scope.addHook('onRequest', async (req) => {
            await requireActor(req, deps.authenticate, {
              allowBasic: false,
              realm: 'bulwark',
              ...(deps.sessions ? { sessions: deps.sessions } : {}),
            });
          });
        }
        await scope.register(mod.plugin);
      },
      { prefix: mod.prefix },
    );
  }

  if (deps.webRoot && existsSync(deps.webRoot)) {
    await app.register(fastifyStatic, {
      root: deps.webRoot,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // the console build writes .br and .gz beside each asset (web/compress.ts); hashed names never change
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, path) => {
        void res.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    app.get('/*', { schema: { hide: true } }, (req, reply) => {
      const path = req.url.split('?')[0] ?? '';
      if (path.startsWith('/api/') || path.startsWith('/taxii2'))
        return sendError(reply, new DomainError('not-found', `no route ${req.method} ${path}`), req);
      return reply.sendFile('index.html');
    });
  }
  return app as unknown as App;
}

/** The queue's bounds with the event loop's lag (sampled while the app is open) counting against the wait bound. */
function queueBounds(
  bounds: WriteQueueBounds | undefined,
  onClose: (stop: () => void) => void,
): WriteQueueBounds | undefined {
  if (!bounds || bounds.maxWaitMs <= 0) return bounds;
  const lag = new LoopLag();
  onClose(() => lag.stop());
  return { ...bounds, lagMs: () => lag.ms };
}

function isMetricsSecret(req: FastifyRequest, secret: string | undefined): boolean {
  const creds = secret ? credentialsOf(req, false) : null;
  if (!secret || !creds) return false;
  const given = Buffer.from(creds.token);
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The signed-in user of a request under /api/v1 (the scope's hook guarantees one). */
export function actorOf(req: FastifyRequest): UserActor {
  if (!req.actor) throw new DomainError('unauthenticated', 'authorization: a valid API token is required');
  return req.actor;
}
