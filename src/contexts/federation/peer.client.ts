import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { TAXII_MEDIA } from '../taxii/taxii.ts';

/** How this node reaches one peer: its credentials, the pinned certificate if any, and this node's id. */
export interface PeerEndpoint {
  user: string;
  token: string;
  ca: string | null;
  nodeId: string;
}

export interface PeerAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A page of TAXII objects is at most this large (the peer's server cuts pages at 4 MiB and 1,000 objects). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

function requestFor(url: URL, e: PeerEndpoint, headers: Record<string, string>, timeout: number) {
  const opts = { headers, timeout, ...(e.ca ? { ca: [e.ca] } : {}) };
  return url.protocol === 'https:' ? https.request(url, opts) : http.request(url, opts);
}

/**
 * GET a TAXII resource of the peer, signed in with HTTP Basic (user and token), naming this node.
 * Rejects on a network failure, a timeout, an answer past MAX_ANSWER_BYTES or a status other than 200.
 */
export function taxiiGet(url: URL, e: PeerEndpoint): Promise<PeerAnswer> {
  const headers = {
    accept: TAXII_MEDIA,
    authorization: `Basic ${Buffer.from(`${e.user}:${e.token}`).toString('base64')}`,
    'x-bulwark-node': e.nodeId,
  };
  return new Promise((resolve, reject) => {
    const req = requestFor(url, e, headers, TIMEOUT_MS);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${describeError(body)}`));
        else resolve({ status: res.statusCode, headers: res.headers, body });
      });
    });
    req.end();
  });
}

function describeError(body: string): string {
  try {
    const e = JSON.parse(body) as { title?: unknown; description?: unknown; error?: { message?: unknown } };
    const text = e.description ?? e.error?.message ?? e.title;
    return typeof text === 'string' ? text.slice(0, 300) : body.slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}

export interface StreamHandle {
  close(): void;
}

/**
 * Follows the peer's live stream (Server-Sent Events) with a Bearer token: `onEvent` for each event
 * received, `onOpen` once it answers 200, `onClose` when it ends or fails (the caller reconnects).
 */
export function followStream(
  url: URL,
  e: PeerEndpoint,
  on: { open(): void; event(): void; close(err: Error | undefined): void },
): StreamHandle {
  const headers = { accept: 'text/event-stream', authorization: `Bearer ${e.token}` };
  let closed = false;
  const finish = (err: Error | undefined) => {
    if (closed) return;
    closed = true;
    on.close(err);
  };
  const req = requestFor(url, e, headers, 0);
  req.on('error', (err) => finish(err));
  req.on('response', (res) => {
    if (res.statusCode !== 200) {
      res.resume();
      finish(new Error(`live stream: HTTP ${res.statusCode}`));
      return;
    }
    on.open();
    let buffered = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffered += chunk;
      let end = buffered.indexOf('\n\n');
      while (end >= 0) {
        const frame = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (frame.startsWith('event:') || frame.includes('\nevent:')) on.event();
        end = buffered.indexOf('\n\n');
      }
      if (buffered.length > 1024 * 1024) req.destroy(new Error('live stream: frame larger than 1 MiB'));
    });
    res.on('end', () => finish(undefined));
    res.on('error', (err) => finish(err));
  });
  req.end();
  return {
    close() {
      closed = true;
      req.destroy();
    },
  };
}
