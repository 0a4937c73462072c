import { z } from 'zod';
import type { EventOptions } from './events/event-system.ts';
import {
  describeIssues,
  oneOf,
  optionalUrl,
  proxyList,
  publicUrl,
  secret,
  secretList,
  text,
  wholeNumber,
} from './config.schema.ts';

/** Every setting of a Bulwark process, parsed once from flags and the environment (docs/operations.md). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  natsUrl: string | undefined;
  demo: boolean;
  logLevel: string;
  /** Largest request body accepted (bytes); TAXII advertises it as max_content_length. */
  maxBodyBytes: number;
  /** Requests per minute per signed-in user (or per address without credentials); 0 disables the limit. */
  rateLimitPerMinute: number;
  /** Requests per minute per client address whose credentials fail; past it they answer 429. */
  authFailuresPerMinute: number;
  /** Addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client; empty: none trusted. */
  trustProxy: string[];
  /** Reader threads for the embedded SQLite store's hot list paths (TAXII pages); 0 reads on the main thread. */
  readThreads: number;
  /** Live streams (SSE) one user may hold at once; one more answers 429. */
  maxStreamsPerUser: number;
  /** Live streams the process holds at once; one more answers 503. */
  maxStreams: number;
  /**
   * Connections held at once (BULWARK_MAX_CONNECTIONS); one more is closed as it is accepted, which costs the
   * server next to nothing, so a surge larger than it can even read waits in the clients, not in its sockets.
   */
  maxConnections: number;
  /**
   * Connections the kernel holds for the server to accept (BULWARK_LISTEN_BACKLOG; capped by the kernel's
   * net.core.somaxconn). Node's default, 511, overflowed in a burst while the loop was busy: the kernel then
   * dropped connection attempts, and clients sent them again after 1, 3, 7, 15, 31 and 63 s.
   */
  listenBacklog: number;
  /** HTTP timeouts (ms): see docs/operations.md. */
  timeouts: HttpTimeouts;
  /** A secret that Prometheus may send as its bearer token for /metrics (else an operator's API token is needed). */
  metricsToken: string | undefined;
  /** Shortest silence period a council proposal may have, in seconds (BULWARK_MIN_SILENCE_SECONDS). */
  minSilenceSeconds: number;
  /** Keys the audit chain's HMACs (BULWARK_AUDIT_KEY); when absent a key is generated into the data folder. */
  auditKey: string | undefined;
  /** Retired audit keys, still used to verify older entries (BULWARK_AUDIT_OLD_KEYS, comma-separated). */
  auditOldKeys: string[];
  /**
   * The address clients reach the server at (scheme, host, port, optional path; no trailing slash),
   * written into TAXII discovery. Unset: the listening address. Never taken from a request's Host.
   */
  publicUrl: string | undefined;
  /** Request-body bytes each user may write per minute (BULWARK_WRITE_BUDGET_BYTES); 0 disables. */
  writeBudgetBytes: number;
  /** Event-loop milliseconds each user's writes may take per minute (BULWARK_WRITE_BUDGET_CPU_MS); 0 disables. */
  writeBudgetCpuMs: number;
  /** Writes that run at once, the others waiting fairly between users (BULWARK_WRITE_CONCURRENCY); 0: no limit. */
  writeConcurrency: number;
  /** Writes that may wait for a slot; one more answers 503 with Retry-After (BULWARK_WRITE_QUEUE_MAX); 0: no bound. */
  writeQueueMax: number;
  /** Once a write has waited this long (ms), new writes answer 503 with Retry-After (BULWARK_WRITE_QUEUE_WAIT_MS); 0: no bound. */
  writeQueueWaitMs: number;
  /** SQLite: bound on the write-ahead log file in bytes before a checkpoint empties it (BULWARK_WAL_LIMIT_BYTES). */
  walLimitBytes: number;
  /** Response bytes held for clients that have not read them yet, past which requests answer 503 (BULWARK_RESPONSE_BUFFER_BYTES); 0: no bound. */
  responseBufferBytes: number;
  /** The live-event platform: relay, retention, SSE heartbeats and bounds, NATS names. */
  events: EventOptions;
  /** A value shared by more incidents than this is too common to correlate on (BULWARK_COMMON_VALUE_THRESHOLD). */
  commonValueThreshold: number;
  /** Encrypts stored secrets such as peer tokens (BULWARK_SECRET_KEY); when absent a key is generated into the data folder. */
  secretKey: string | undefined;
  /** Federation between nodes (docs/federation.md). */
  federation: FederationOptions;
  /** Open sources may fetch from loopback, private and link-local addresses (BULWARK_FETCH_ALLOW_PRIVATE=1). */
  fetchAllowPrivate: boolean;
  /** Briefings: Chromium that prints PDFs, and the daily scheduled briefing (docs/briefings.md). */
  briefings: BriefingSettings;
}

export interface FederationOptions {
  /** A peer is asked for news at least this often (ms) besides its live stream's nudges (BULWARK_FEDERATION_POLL_MS). */
  pollMs: number;
  /** First and longest wait (ms) between attempts when a peer fails; exponential with jitter in between. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Objects asked for per TAXII page (BULWARK_FEDERATION_PAGE). */
  pageSize: number;
}

export interface BriefingSettings {
  /** Chromium executable that prints briefings to PDF (BULWARK_CHROMIUM). */
  chromium: string;
  /** Organisations that get a briefing of the last 24 hours every day (BULWARK_DAILY_BRIEFINGS: codes or "all"). */
  daily: string[] | 'all';
  /** Hour (UTC) of the daily briefing (BULWARK_DAILY_BRIEFING_HOUR). */
  dailyHour: number;
  /** When the PDF printer's browser starts ahead of a print (BULWARK_PDF_WARM): at serve start, on the first briefing request, or at the first print. */
  pdfWarm: 'start' | 'first-request' | 'off';
  /** The printer's browser closes after this long unused (BULWARK_PDF_IDLE_SECONDS; 0 keeps it). */
  pdfIdleSeconds: number;
}

export interface HttpTimeouts {
  /** Time to receive a request's headers. */
  headersMs: number;
  /** Time to receive a whole request, body included (not the response: streams are not cut by it). */
  requestMs: number;
  /** A socket with no traffic either way for this long is closed (heartbeats keep streams alive). */
  idleMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveMs: number;
  /** How often Node checks headers and request timeouts. */
  checkEveryMs: number;
}

export interface ConfigInput {
  port?: string | number;
  host?: string;
  data?: string;
  databaseUrl?: string;
  natsUrl?: string;
  demo?: boolean;
}

const DAY_MS = 24 * 3600 * 1000;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The environment as Bulwark reads it; a flag given on the command line takes its variable's place. */
const Env = z.object({
  PORT: wholeNumber(4700, 0, 65535),
  HOST: text('127.0.0.1'),
  BULWARK_DATA: text('./data'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  NATS_URL: optionalUrl(['nats:', 'tls:']),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  // 16 MiB: four objects at the 4 MiB object limit, or some 25,000 of 650 bytes, in one TAXII POST. A body is
  // held in memory whole while it is stored; larger collections go through `bulwark import`, which streams.
  BULWARK_MAX_BODY: wholeNumber(16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  BULWARK_PUBLIC_URL: publicUrl(),
  BULWARK_RATE_LIMIT: wholeNumber(60_000, 0),
  BULWARK_AUTH_FAILURE_LIMIT: wholeNumber(30, 1),
  BULWARK_TRUST_PROXY: proxyList(),
  BULWARK_READ_THREADS: wholeNumber(1, 0, 16),
  BULWARK_METRICS_TOKEN: secret(),
  BULWARK_MAX_STREAMS_PER_USER: wholeNumber(16, 1),
  BULWARK_MAX_STREAMS: wholeNumber(2000, 1),
  BULWARK_MAX_CONNECTIONS: wholeNumber(4096, 2),
  BULWARK_LISTEN_BACKLOG: wholeNumber(4096, 1, 65_535),
  BULWARK_HEADERS_TIMEOUT_MS: wholeNumber(15_000, 100),
  BULWARK_REQUEST_TIMEOUT_MS: wholeNumber(120_000, 100),
  BULWARK_IDLE_TIMEOUT_MS: wholeNumber(60_000, 100),
  BULWARK_KEEP_ALIVE_TIMEOUT_MS: wholeNumber(5_000, 100),
  BULWARK_MIN_SILENCE_SECONDS: wholeNumber(-1, 0, 30 * 86_400),
  BULWARK_AUDIT_KEY: secret(),
  BULWARK_AUDIT_OLD_KEYS: secretList(),
  BULWARK_WRITE_BUDGET_BYTES: wholeNumber(16 * 1024 * 1024, 0),
  BULWARK_WRITE_BUDGET_CPU_MS: wholeNumber(15_000, 0),
  BULWARK_WRITE_CONCURRENCY: wholeNumber(2, 0),
  BULWARK_WRITE_QUEUE_MAX: wholeNumber(200, 0),
  BULWARK_WRITE_QUEUE_WAIT_MS: wholeNumber(2000, 0),
  BULWARK_WAL_LIMIT_BYTES: wholeNumber(64 * 1024 * 1024, 1024 * 1024),
  BULWARK_RESPONSE_BUFFER_BYTES: wholeNumber(256 * 1024 * 1024, 0),
  BULWARK_EVENTS_POLL_MS: wholeNumber(200, 1),
  BULWARK_EVENTS_BATCH: wholeNumber(500, 1, 100_000),
  BULWARK_EVENTS_COALESCE_MS: wholeNumber(4, 0, 1000),
  BULWARK_EVENTS_PRUNE_EVERY_MS: wholeNumber(60_000, 1),
  BULWARK_EVENTS_RETAIN_DAYS: wholeNumber(7, 1, 3650),
  BULWARK_EVENTS_RETAIN_ROWS: wholeNumber(100_000, 1),
  BULWARK_SSE_HEARTBEAT_MS: wholeNumber(15_000, 100),
  BULWARK_SSE_MAX_QUEUED_BYTES: wholeNumber(1024 * 1024, 1024),
  BULWARK_SSE_MAX_HELD: wholeNumber(10_000, 1),
  BULWARK_NATS_STREAM: text('BULWARK_EVENTS'),
  BULWARK_NATS_SUBJECT: text('bulwark.events'),
  BULWARK_COMMON_VALUE_THRESHOLD: wholeNumber(50, 1),
  BULWARK_SECRET_KEY: secret(),
  BULWARK_FEDERATION_POLL_MS: wholeNumber(1_000, 10, 3_600_000),
  BULWARK_FEDERATION_RETRY_BASE_MS: wholeNumber(500, 1, 600_000),
  BULWARK_FEDERATION_RETRY_MAX_MS: wholeNumber(30_000, 1, 3_600_000),
  BULWARK_FEDERATION_PAGE: wholeNumber(1000, 1, 10_000),
  BULWARK_FETCH_ALLOW_PRIVATE: oneOf(['0', '1'], '0'),
  BULWARK_CHROMIUM: text('/usr/bin/chromium'),
  BULWARK_DAILY_BRIEFINGS: text(''),
  BULWARK_DAILY_BRIEFING_HOUR: wholeNumber(6, 0, 23),
  BULWARK_PDF_WARM: oneOf(['start', 'first-request', 'off'] as const, 'first-request'),
  BULWARK_PDF_IDLE_SECONDS: wholeNumber(900, 0),
});

/** Which flag stands for which variable, for error messages. */
const FLAGS: Record<string, string> = {
  PORT: '--port',
  HOST: '--host',
  BULWARK_DATA: '--data',
  DATABASE_URL: '--database-url',
  NATS_URL: '--nats-url',
};

/**
 * Parses flags and environment into a Config. A bad value throws one error naming every variable at
 * fault (and its flag), so start-up stops before anything is opened.
 */
export function loadConfig(input: ConfigInput, env: NodeJS.ProcessEnv = process.env): Config {
  const flagged = (v: string | number | undefined, name: string): string | undefined =>
    v === undefined ? env[name] : String(v);
  const parsed = Env.safeParse({
    ...env,
    PORT: flagged(input.port, 'PORT'),
    HOST: flagged(input.host, 'HOST'),
    BULWARK_DATA: flagged(input.data, 'BULWARK_DATA'),
    DATABASE_URL: flagged(input.databaseUrl, 'DATABASE_URL'),
    NATS_URL: flagged(input.natsUrl, 'NATS_URL'),
  });
  if (!parsed.success) throw new Error(`invalid settings:\n${describeIssues(parsed.error, FLAGS)}`);
  const e = parsed.data;
  const demo = input.demo ?? false;
  if (e.BULWARK_MAX_CONNECTIONS <= e.BULWARK_MAX_STREAMS) {
    throw new Error(
      `invalid settings:\nBULWARK_MAX_CONNECTIONS: ${e.BULWARK_MAX_CONNECTIONS} must exceed BULWARK_MAX_STREAMS (${e.BULWARK_MAX_STREAMS}): every live stream holds a connection`,
    );
  }
  if (e.BULWARK_HEADERS_TIMEOUT_MS > e.BULWARK_REQUEST_TIMEOUT_MS) {
    throw new Error(
      `invalid settings:\nBULWARK_HEADERS_TIMEOUT_MS: ${e.BULWARK_HEADERS_TIMEOUT_MS} exceeds BULWARK_REQUEST_TIMEOUT_MS (${e.BULWARK_REQUEST_TIMEOUT_MS})`,
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.BULWARK_DATA,
    databaseUrl: e.DATABASE_URL,
    natsUrl: e.NATS_URL,
    demo,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.BULWARK_MAX_BODY,
    rateLimitPerMinute: e.BULWARK_RATE_LIMIT,
    authFailuresPerMinute: e.BULWARK_AUTH_FAILURE_LIMIT,
    trustProxy: e.BULWARK_TRUST_PROXY,
    readThreads: e.BULWARK_READ_THREADS,
    metricsToken: e.BULWARK_METRICS_TOKEN,
    maxStreamsPerUser: e.BULWARK_MAX_STREAMS_PER_USER,
    maxStreams: e.BULWARK_MAX_STREAMS,
    maxConnections: e.BULWARK_MAX_CONNECTIONS,
    listenBacklog: e.BULWARK_LISTEN_BACKLOG,
    timeouts: {
      headersMs: e.BULWARK_HEADERS_TIMEOUT_MS,
      requestMs: e.BULWARK_REQUEST_TIMEOUT_MS,
      idleMs: e.BULWARK_IDLE_TIMEOUT_MS,
      keepAliveMs: e.BULWARK_KEEP_ALIVE_TIMEOUT_MS,
      checkEveryMs: Math.min(1_000, e.BULWARK_HEADERS_TIMEOUT_MS),
    },
    // Default one hour; `--demo` lowers it to a minute unless set. Tests may set 0.
    minSilenceSeconds: e.BULWARK_MIN_SILENCE_SECONDS >= 0 ? e.BULWARK_MIN_SILENCE_SECONDS : demo ? 60 : 3600,
    auditKey: e.BULWARK_AUDIT_KEY,
    auditOldKeys: e.BULWARK_AUDIT_OLD_KEYS,
    publicUrl: e.BULWARK_PUBLIC_URL,
    writeBudgetBytes: e.BULWARK_WRITE_BUDGET_BYTES,
    writeBudgetCpuMs: e.BULWARK_WRITE_BUDGET_CPU_MS,
    writeConcurrency: e.BULWARK_WRITE_CONCURRENCY,
    writeQueueMax: e.BULWARK_WRITE_QUEUE_MAX,
    writeQueueWaitMs: e.BULWARK_WRITE_QUEUE_WAIT_MS,
    walLimitBytes: e.BULWARK_WAL_LIMIT_BYTES,
    responseBufferBytes: e.BULWARK_RESPONSE_BUFFER_BYTES,
    events: {
      pollMs: e.BULWARK_EVENTS_POLL_MS,
      batchSize: e.BULWARK_EVENTS_BATCH,
      coalesceMs: e.BULWARK_EVENTS_COALESCE_MS,
      pruneEveryMs: e.BULWARK_EVENTS_PRUNE_EVERY_MS,
      retainMs: e.BULWARK_EVENTS_RETAIN_DAYS * DAY_MS,
      retainRows: e.BULWARK_EVENTS_RETAIN_ROWS,
      heartbeatMs: e.BULWARK_SSE_HEARTBEAT_MS,
      maxQueuedBytes: e.BULWARK_SSE_MAX_QUEUED_BYTES,
      maxHeldEvents: e.BULWARK_SSE_MAX_HELD,
      natsStream: e.BULWARK_NATS_STREAM,
      natsSubject: e.BULWARK_NATS_SUBJECT,
    },
    commonValueThreshold: e.BULWARK_COMMON_VALUE_THRESHOLD,
    secretKey: e.BULWARK_SECRET_KEY,
    federation: {
      pollMs: e.BULWARK_FEDERATION_POLL_MS,
      retryBaseMs: e.BULWARK_FEDERATION_RETRY_BASE_MS,
      retryMaxMs: Math.max(e.BULWARK_FEDERATION_RETRY_MAX_MS, e.BULWARK_FEDERATION_RETRY_BASE_MS),
      pageSize: e.BULWARK_FEDERATION_PAGE,
    },
    fetchAllowPrivate: e.BULWARK_FETCH_ALLOW_PRIVATE === '1',
    briefings: {
      chromium: e.BULWARK_CHROMIUM,
      daily: dailyBriefings(e.BULWARK_DAILY_BRIEFINGS),
      dailyHour: e.BULWARK_DAILY_BRIEFING_HOUR,
      pdfWarm: e.BULWARK_PDF_WARM,
      pdfIdleSeconds: e.BULWARK_PDF_IDLE_SECONDS,
    },
  };
}

/** BULWARK_DAILY_BRIEFINGS: "" (none), "all", or organisation codes separated by commas. */
function dailyBriefings(v: string): string[] | 'all' {
  if (v.trim().toLowerCase() === 'all') return 'all';
  const codes = v
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  const bad = codes.filter((c) => !/^[A-Z]{2}$/.test(c));
  if (bad.length > 0)
    throw new Error(
      `invalid settings:\nBULWARK_DAILY_BRIEFINGS: ${bad.join(', ')} is not an organisation code (or use "all")`,
    );
  return codes;
}
