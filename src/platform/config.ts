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
  /** Requests per minute per token (or address); 0 disables the limit. */
  rateLimitPerMinute: number;
  /** Reader threads for the embedded SQLite store's hot list paths (TAXII pages); 0 reads on the main thread. */
  readThreads: number;
  /** A secret that Prometheus may send as its bearer token for /metrics (else an admin's API token is needed). */
  metricsToken: string | undefined;
  /** Request-body bytes each user may write per minute (BULWARK_WRITE_BUDGET_BYTES); 0 disables. */
  writeBudgetBytes: number;
  /** Event-loop milliseconds each user's writes may take per minute (BULWARK_WRITE_BUDGET_CPU_MS); 0 disables. */
  writeBudgetCpuMs: number;
  /** Writes that run at once, the others waiting fairly between users (BULWARK_WRITE_CONCURRENCY); 0: no limit. */
  writeConcurrency: number;
  /** SQLite: bound on the write-ahead log file in bytes before a checkpoint empties it (BULWARK_WAL_LIMIT_BYTES). */
  walLimitBytes: number;
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
    rateLimitPerMinute: Number(env.BULWARK_RATE_LIMIT ?? 60_000),
    readThreads: readThreads(env.BULWARK_READ_THREADS),
    metricsToken: metricsToken(env.BULWARK_METRICS_TOKEN),
    writeBudgetBytes: wholeNumber('BULWARK_WRITE_BUDGET_BYTES', env.BULWARK_WRITE_BUDGET_BYTES, 16 * 1024 * 1024, 0),
    writeBudgetCpuMs: wholeNumber('BULWARK_WRITE_BUDGET_CPU_MS', env.BULWARK_WRITE_BUDGET_CPU_MS, 15_000, 0),
    writeConcurrency: wholeNumber('BULWARK_WRITE_CONCURRENCY', env.BULWARK_WRITE_CONCURRENCY, 2, 0),
    walLimitBytes: wholeNumber('BULWARK_WAL_LIMIT_BYTES', env.BULWARK_WAL_LIMIT_BYTES, 64 * 1024 * 1024, 1024 * 1024),
  };
}

function wholeNumber(name: string, v: string | undefined, fallback: number, min: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name}: ${v} is not a whole number of at least ${min}`);
  return n;
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
