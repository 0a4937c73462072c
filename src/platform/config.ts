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
  /** Shortest silence period a council proposal may have, in seconds (BULWARK_MIN_SILENCE_SECONDS). */
  minSilenceSeconds: number;
  /** Keys the audit chain's HMACs (BULWARK_AUDIT_KEY); when absent a key is generated into the data folder. */
  auditKey: string | undefined;
  /** Retired audit keys, still used to verify older entries (BULWARK_AUDIT_OLD_KEYS, comma-separated). */
  auditOldKeys: string[];
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
    minSilenceSeconds: minSilenceSeconds(env.BULWARK_MIN_SILENCE_SECONDS, input.demo ?? false),
    auditKey: auditKey('BULWARK_AUDIT_KEY', env.BULWARK_AUDIT_KEY || undefined),
    auditOldKeys: (env.BULWARK_AUDIT_OLD_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean).map((k) => auditKey('BULWARK_AUDIT_OLD_KEYS', k)!),
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
