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
  /**
   * The address clients reach the server at (scheme, host, port, optional path; no trailing slash),
   * written into TAXII discovery. Unset: the listening address. Never taken from a request's Host.
   */
  publicUrl: string | undefined;
  /** A secret that Prometheus may send as its bearer token for /metrics (else an admin's API token is needed). */
  metricsToken: string | undefined;
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
    maxBodyBytes: maxBody(env.BULWARK_MAX_BODY),
    rateLimitPerMinute: Number(env.BULWARK_RATE_LIMIT ?? 60_000),
    readThreads: readThreads(env.BULWARK_READ_THREADS),
    metricsToken: metricsToken(env.BULWARK_METRICS_TOKEN),
    publicUrl: publicUrl(env.BULWARK_PUBLIC_URL),
  };
}

function metricsToken(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (v.length < 32) throw new Error('BULWARK_METRICS_TOKEN: use at least 32 characters (e.g. openssl rand -hex 32)');
  return v;
}

/**
 * 16 MiB by default: four objects at the 4 MiB object limit, or some 25,000 of 650 bytes, in one
 * TAXII POST. A body is held in memory whole (and parsed, on the preparing thread) while it is
 * stored, so each concurrent POST costs a few times its size; larger collections go through
 * `bulwark import`, which streams a file of any size.
 */
function maxBody(v: string | undefined): number {
  const n = Number(v ?? 16 * 1024 * 1024);
  if (!Number.isInteger(n) || n < 1024 || n > 1024 * 1024 * 1024) throw new Error(`BULWARK_MAX_BODY: ${String(v)} is not a whole number of bytes from 1024 to 1073741824`);
  return n;
}

function readThreads(v: string | undefined): number {
  const n = Number(v ?? 1);
  if (!Number.isInteger(n) || n < 0 || n > 16) throw new Error(`BULWARK_READ_THREADS: ${String(v)} is not a whole number from 0 to 16`);
  return n;
}

function publicUrl(v: string | undefined): string | undefined {
  if (!v) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`BULWARK_PUBLIC_URL: ${v.slice(0, 100)} is not a URL (e.g. https://bulwark.example.org)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`BULWARK_PUBLIC_URL: must be an http or https URL, not ${u.protocol}`);
  if (u.username || u.password || u.search || u.hash) throw new Error('BULWARK_PUBLIC_URL: must not carry credentials, a query or a fragment');
  let url = `${u.origin}${u.pathname}`;
  while (url.endsWith('/')) url = url.slice(0, -1);
  return url;
}
