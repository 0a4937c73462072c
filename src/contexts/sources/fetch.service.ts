import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { TextDecoder } from 'node:util';
import { DomainError, validation } from '../../platform/errors.ts';
import { forbiddenRange } from './address.ts';

export const MAX_FETCH_BYTES = 2 * 1024 * 1024;
export const FETCH_TIMEOUT_MS = 10_000;
export const MAX_REDIRECTS = 3;

export interface FetchOptions {
  allowPrivate: boolean;
  maxBytes?: number;
  timeoutMs?: number;
}

export interface Fetched {
  url: string;
  contentType: string;
  text: string;
}

const problem = (message: string) => validation('url', message);

/**
 * GET with the open-sources limits: http(s) only, at most 3 redirects (each checked again), 2 MiB, 10 s.
 * The address checked is the one connected to: the resolver's answer passes through `guardedLookup`, so a name
 * that resolves to a forbidden address is refused (no second lookup a rebinding server could answer otherwise).
 */
export async function fetchText(url: string, opts: FetchOptions): Promise<Fetched> {
  const deadline = Date.now() + (opts.timeoutMs ?? FETCH_TIMEOUT_MS);
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const res = await once(current, opts, deadline);
    if ('redirect' in res) {
      current = new URL(res.redirect, current).toString();
      continue;
    }
    return res;
  }
  throw problem(`more than ${MAX_REDIRECTS} redirects`);
}

function once(url: string, opts: FetchOptions, deadline: number): Promise<Fetched | { redirect: string }> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.reject(problem('is not a URL'));
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return Promise.reject(problem('must be http or https'));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !opts.allowPrivate) {
    const range = forbiddenRange(host);
    if (range) return Promise.reject(problem(`${host} is a ${range} address, which the server does not fetch from`));
  }
  const max = opts.maxBytes ?? MAX_FETCH_BYTES;
  return new Promise((resolve, reject) => {
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.get(
      u,
      { lookup: guardedLookup(opts.allowPrivate), headers: { 'user-agent': 'bulwark-sources' } },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          resolve({ redirect: res.headers.location });
          return;
        }
        if (status !== 200) {
          res.resume();
          reject(problem(`answered HTTP ${status}`));
          return;
        }
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > max) {
          res.destroy();
          reject(new DomainError('too-large', `url: the response is larger than ${max} bytes`, 'url'));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > max) {
            res.destroy();
            reject(new DomainError('too-large', `url: the response is larger than ${max} bytes`, 'url'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          const contentType = String(res.headers['content-type'] ?? '');
          try {
            resolve({ url: u.toString(), contentType, text: decode(Buffer.concat(chunks), contentType) });
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
        res.on('error', reject);
      },
    );
    const timer = setTimeout(
      () => req.destroy(problem(`took longer than ${opts.timeoutMs ?? FETCH_TIMEOUT_MS} ms`)),
      Math.max(0, deadline - Date.now()),
    );
    req.on('close', () => clearTimeout(timer));
    req.on('error', (e) => reject(e instanceof DomainError ? e : problem(`could not be fetched: ${e.message}`)));
  });
}

/** The charset of the Content-Type (UTF-8 when none); an unknown one is refused by name. */
export function decode(body: Buffer, contentType: string): string {
  const m = /charset="?([A-Za-z0-9_.:-]{1,40})/i.exec(contentType);
  const charset = m?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw problem(`uses the encoding ${charset}, which is not supported`);
  }
  try {
    return decoder.decode(body);
  } catch {
    throw problem(`is not valid ${charset}`);
  }
}

/** A DNS lookup that fails when any answer lies in a forbidden range. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = allowPrivate ? undefined : addresses.find((a) => forbiddenRange(a.address));
      if (bad)
        return callback(
          problem(
            `${hostname} resolves to ${bad.address}, a ${forbiddenRange(bad.address)} address, which the server does not fetch from`,
          ),
          '',
          0,
        );
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
