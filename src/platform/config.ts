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
  /** Request-body bytes each user may write per minute (BULWARK_WRITE_BUDGET_BYTES); 0 disables. */
  writeBudgetBytes: number;
  /** Event-loop milliseconds each user's writes may take per minute (BULWARK_WRITE_BUDGET_CPU_MS); 0 disables. */
  writeBudgetCpuMs: number;
  /** Writes that run at once, the others waiting fairly between users (BULWARK_WRITE_CONCURRENCY); 0: no limit. */
  writeConcurrency: number;
  /** SQLite: bound on the write-ahead log file in bytes before a checkpoint empties it (BULWARK_WAL_LIMIT_BYTES). */
  walLimitBytes: number;
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

export function loadConfig(input: ConfigInput, env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(input.port ?? env.PORT ?? 4700);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: ${String(input.port)} is not a TCP port`);
  return {
    port,
    host: input.host ?? env.HOST ?? '127.0.0.1',
    dataDir: input.data ?? env.BULWARK_DATA ?? './data',
    databaseUrl: input.databaseUrl ?? (env.DATABASE_URL || undefined),
    natsUrl: input.natsUrl ?? (env.NATS_URL || undefined),
    demo: input.demo ?? false,
    logLevel: env.LOG_LEVEL ?? 'info',
    maxBodyBytes: Number(env.BULWARK_MAX_BODY ?? 64 * 1024 * 1024),
    rateLimitPerMinute: wholeNumber('BULWARK_RATE_LIMIT', env.BULWARK_RATE_LIMIT, 60_000, 0),
    authFailuresPerMinute: wholeNumber('BULWARK_AUTH_FAILURE_LIMIT', env.BULWARK_AUTH_FAILURE_LIMIT, 30, 1),
    trustProxy: trustProxy(env.BULWARK_TRUST_PROXY),
    readThreads: readThreads(env.BULWARK_READ_THREADS),
    metricsToken: metricsToken(env.BULWARK_METRICS_TOKEN),
    maxStreamsPerUser: wholeNumber('BULWARK_MAX_STREAMS_PER_USER', env.BULWARK_MAX_STREAMS_PER_USER, 16, 1),
    maxStreams: wholeNumber('BULWARK_MAX_STREAMS', env.BULWARK_MAX_STREAMS, 2000, 1),
    timeouts: timeouts(env),
    minSilenceSeconds: minSilenceSeconds(env.BULWARK_MIN_SILENCE_SECONDS, input.demo ?? false),
    auditKey: auditKey('BULWARK_AUDIT_KEY', env.BULWARK_AUDIT_KEY || undefined),
    auditOldKeys: (env.BULWARK_AUDIT_OLD_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean).map((k) => auditKey('BULWARK_AUDIT_OLD_KEYS', k)!),
    writeBudgetBytes: wholeNumber('BULWARK_WRITE_BUDGET_BYTES', env.BULWARK_WRITE_BUDGET_BYTES, 16 * 1024 * 1024, 0),
    writeBudgetCpuMs: wholeNumber('BULWARK_WRITE_BUDGET_CPU_MS', env.BULWARK_WRITE_BUDGET_CPU_MS, 15_000, 0),
    writeConcurrency: wholeNumber('BULWARK_WRITE_CONCURRENCY', env.BULWARK_WRITE_CONCURRENCY, 2, 0),
    walLimitBytes: wholeNumber('BULWARK_WAL_LIMIT_BYTES', env.BULWARK_WAL_LIMIT_BYTES, 64 * 1024 * 1024, 1024 * 1024),
  };
}

function metricsToken(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (v.length < 32) throw new Error('BULWARK_METRICS_TOKEN: use at least 32 characters (e.g. openssl rand -hex 32)');
  return v;
}

function readThreads(v: string | undefined): number {
  const n = Number(v ?? 1);
  if (!Number.isInteger(n) || n < 0 || n > 16) throw new Error(`BULWARK_READ_THREADS: ${String(v)} is not a whole number from 0 to 16`);
  return n;
}

function wholeNumber(name: string, v: string | undefined, dflt: number, min: number): number {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name}: "${v}" is not a whole number of at least ${min}`);
  return n;
}

function trustProxy(v: string | undefined): string[] {
  if (!v) return [];
  const list = v.split(',').map((x) => x.trim()).filter(Boolean);
  for (const x of list) {
    if (!/^(loopback|linklocal|uniquelocal|[0-9A-Fa-f:.]+(\/\d{1,3})?)$/.test(x)) throw new Error(`BULWARK_TRUST_PROXY: "${x}" is not an address, a CIDR or loopback/linklocal/uniquelocal`);
  }
  return list;
}

function timeouts(env: NodeJS.ProcessEnv): HttpTimeouts {
  const t: HttpTimeouts = {
    headersMs: wholeNumber('BULWARK_HEADERS_TIMEOUT_MS', env.BULWARK_HEADERS_TIMEOUT_MS, 15_000, 100),
    requestMs: wholeNumber('BULWARK_REQUEST_TIMEOUT_MS', env.BULWARK_REQUEST_TIMEOUT_MS, 120_000, 100),
    idleMs: wholeNumber('BULWARK_IDLE_TIMEOUT_MS', env.BULWARK_IDLE_TIMEOUT_MS, 60_000, 100),
    keepAliveMs: wholeNumber('BULWARK_KEEP_ALIVE_TIMEOUT_MS', env.BULWARK_KEEP_ALIVE_TIMEOUT_MS, 5_000, 100),
    checkEveryMs: 1_000,
  };
  if (t.headersMs > t.requestMs) throw new Error(`BULWARK_HEADERS_TIMEOUT_MS: ${t.headersMs} exceeds BULWARK_REQUEST_TIMEOUT_MS (${t.requestMs})`);
  t.checkEveryMs = Math.min(1_000, t.headersMs);
  return t;
}

/** Default one hour; `--demo` lowers it to a minute unless set. Tests may set 0. */
function minSilenceSeconds(v: string | undefined, demo: boolean): number {
  if (v === undefined || v === '') return demo ? 60 : 3600;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n > 30 * 86_400) throw new Error(`BULWARK_MIN_SILENCE_SECONDS: ${v} is not a whole number of seconds from 0 to 2592000 (30 days)`);
  return n;
}

function auditKey(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length < 32 || /[\s,]/.test(v)) throw new Error(`${name}: an audit key has at least 32 characters and no spaces or commas (e.g. openssl rand -hex 32)`);
  return v;
}
