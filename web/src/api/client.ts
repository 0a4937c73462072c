/**
 * The console's only door to the server: same-origin fetch with the session's bearer token.
 * Every failure becomes an ApiError carrying the HTTP status and the server's error body
 * (`{ error: { code, message, field?, details? } }`), so each panel can tell "not available
 * yet" (404 on a route), "not allowed" (403), "signed out" (401) and bad input (400) apart.
 */
export interface ErrorDetail {
  field?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server has no such route: the feature is not deployed on this server (yet). */
  get routeMissing(): boolean {
    return this.status === 404 && this.message.startsWith('no route');
  }
}

export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export function withQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v as readonly string[]) p.append(k, item);
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

interface ErrorBodyShape {
  error?: { code?: unknown; message?: unknown; field?: unknown; details?: unknown };
}

/** Turns a non-2xx response into an ApiError with the clearest message the body offers. */
export async function errorOf(res: Response): Promise<ApiError> {
  let body: ErrorBodyShape | undefined;
  try {
    body = (await res.json()) as ErrorBodyShape;
  } catch {
    body = undefined;
  }
  const e = body?.error;
  const message = typeof e?.message === 'string' ? e.message : `${res.status} ${res.statusText || 'error'}`;
  const code = typeof e?.code === 'string' ? e.code : String(res.status);
  const field = typeof e?.field === 'string' ? e.field : undefined;
  const details = Array.isArray(e?.details)
    ? (e.details as ErrorDetail[]).filter((d) => typeof d?.message === 'string')
    : [];
  return new ApiError(res.status, code, message, field, details);
}

export interface ApiOptions {
  /** A bearer token (scripts, tests); the console itself signs in with its session cookie instead. */
  token?: () => string | null;
  /** The console session's CSRF token, echoed on every write made with the session cookie. */
  csrf?: () => string | null;
  /** Called once when the server rejects the token (401): the session has ended. */
  onUnauthorized?: (err: ApiError) => void;
  fetchImpl?: typeof fetch;
}

export class Api {
  constructor(private readonly opts: ApiOptions) {}

  headers(extra: Record<string, string> = {}, method = 'GET'): Record<string, string> {
    const t = this.opts.token?.() ?? null;
    const csrf = method === 'GET' || method === 'HEAD' ? null : (this.opts.csrf?.() ?? null);
    return {
      Accept: 'application/json',
      ...(t ? { Authorization: `Bearer ${t}` } : {}),
      ...(csrf ? { 'X-CSRF-Token': csrf } : {}),
      ...extra,
    };
  }

  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const f = this.opts.fetchImpl ?? fetch;
    let res: Response;
    try {
      res = await f(path, {
        method,
        headers: this.headers(body === undefined ? {} : { 'Content-Type': 'application/json' }, method),
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, 'network', 'the server cannot be reached; check the connection and retry');
    }
    if (!res.ok) {
      const err = await errorOf(res);
      if (res.status === 401) this.opts.onUnauthorized?.(err);
      throw err;
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, undefined, signal);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body ?? {});
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
}

/** Human text for an error, used by every panel's error state. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return err.message;
    const where = err.field ? ` (${err.field})` : '';
    const details = err.details.length
      ? `: ${err.details.map((d) => (d.field ? `${d.field} ${d.message}` : d.message)).join('; ')}`
      : '';
    return `${err.message}${where}${details}`;
  }
  return err instanceof Error ? err.message : String(err);
}
