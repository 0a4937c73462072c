/**
 * Child process of bench/report-path.bench.ts: the load generator and the 31 member subscribers, in one
 * event loop of their own (not the server's). It posts reports over HTTP at a fixed rate, each by one of
 * the 31 member users in turn, and records when each report's `incident.created` reaches each stream.
 * The SSE reader is lean on purpose (it only finds the incident ids in the frames) so that reading 31
 * streams at 500 reports/s does not make this process the bottleneck; its own event-loop use is reported.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { reportBody } from './report-body.ts';

interface Start {
  type: 'start';
  base: string;
  tokens: string[];
  /** The organisation of each token's user (the report's affected member). */
  orgs: string[];
}
export interface Run {
  type: 'run';
  phase: string;
  /**
   * `report`: POST /api/v1/incidents; `bare`: POST /bench/ping with the same body on the same server;
   * `fanout`: the server itself appends incident.created events to its outbox (no HTTP, no use case) and
   * then sends their ids and times: what the relay and the 31 streams cost per event.
   */
  kind: 'report' | 'bare' | 'fanout';
  rate: number;
  seconds: number;
  /** Post again after Retry-After when answered 429/503 (the burst: nothing may be lost). */
  retry: boolean;
}
export interface PhaseResult {
  type: 'done';
  phase: string;
  posted: number;
  statuses: Record<string, number>;
  retryAfterMissing: number;
  /** Request latency of the answer that counted (201 or 200), ms. */
  post: number[];
  /** Per stored report: first POST attempt → the last of the streams received it, ms. */
  last: number[];
  /** Reports stored but missing on at least one stream after the wait. */
  lost: number;
  /** Receipts of a report a stream had already received. */
  duplicates: number;
  /** Reports stored (201). */
  stored: number;
  streams: number;
  /** Posts that left more than 5 ms after they were due (this process fell behind). */
  late: number;
  /** Wall time from the first post to the last receipt, s. */
  drainS: number;
  /** This process's event-loop use during the phase (0..1). */
  clientElu: number;
}

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MARK = 'event: incident.created\ndata: {"id":"';

let base = '';
let tokens: string[] = [];
/** Per stream: incident id → receipt time. */
let receipts: Array<Map<string, number>> = [];
let duplicates = 0;
const streams: http.ClientRequest[] = [];

function openStreams(): Promise<void> {
  receipts = tokens.map(() => new Map());
  return Promise.all(
    tokens.map(
      (token, s) =>
        new Promise<void>((resolve, reject) => {
          const req = http.request(new URL('/api/v1/stream', base), {
            headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
            agent: false,
          });
          req.on('error', reject);
          req.on('response', (res) => {
            if (res.statusCode !== 200) return reject(new Error(`stream ${s}: ${res.statusCode}`));
            res.setEncoding('utf8');
            let tail = '';
            const seen = receipts[s]!;
            res.on('data', (chunk: string) => {
              const at = now();
              const text = tail + chunk;
              let i = 0;
              for (;;) {
                const j = text.indexOf(MARK, i);
                if (j < 0) break;
                const start = j + MARK.length;
                const end = text.indexOf('"', start);
                if (end < 0) break;
                const id = text.slice(start, end);
                if (seen.has(id)) duplicates++;
                else seen.set(id, at);
                i = end;
              }
              // Keep what may be the start of a frame cut by the chunk boundary.
              tail = text.slice(Math.max(i, text.length - MARK.length - 60));
            });
            streams.push(req);
            resolve();
          });
          req.end();
        }),
    ),
  ).then(() => undefined);
}

function post(
  agent: http.Agent,
  path: string,
  token: string,
  text: string,
): Promise<{ status: number; id?: string; retryAfter?: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      new URL(path, base),
      {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (res) => {
        let out = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (out += c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const m = status === 201 ? /"id":"([^"]+)"/.exec(out) : null;
          const ra = res.headers['retry-after'];
          resolve({ status, ...(m ? { id: m[1] } : {}), ...(typeof ra === 'string' ? { retryAfter: ra } : {}) });
        });
      },
    );
    req.on('error', () => resolve({ status: -1 }));
    req.end(text);
  });
}

async function run(m: Run): Promise<PhaseResult> {
  // No socket cap: a surge comes from many members' clients at once, so posts wait in the server's queues
  // (which refuse with 503 once behind), not in this process's pool, where the server cannot see them.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const elu0 = performance.eventLoopUtilization();
  const statuses: Record<string, number> = {};
  const postLat: number[] = [];
  const sent = new Map<string, number>();
  let retryAfterMissing = 0;
  let late = 0;
  const total = Math.round(m.rate * m.seconds);
  const t0 = now();
  const start = performance.now();
  const one = async (i: number): Promise<void> => {
    const k = i % tokens.length;
    const text = reportBody(m.phase, i, ORG_OF[k] ?? 'PL');
    const first = now();
    for (;;) {
      const t = now();
      const r = await post(agent, m.kind === 'report' ? '/api/v1/incidents' : '/bench/ping', tokens[k]!, text);
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if ((r.status === 429 || r.status === 503 || r.status === -1) && m.retry) {
        // A connection the server closed (its header timeout, under a backlog) is posted again too, after 1 s.
        if (r.retryAfter === undefined && r.status !== -1) retryAfterMissing++;
        await sleep(1000 * Math.max(1, Number(r.retryAfter ?? 1)));
        continue;
      }
      if (r.status === 429 || r.status === 503) {
        if (r.retryAfter === undefined) retryAfterMissing++;
        return;
      }
      postLat.push(now() - t);
      if (r.id) sent.set(r.id, first);
      return;
    }
  };
  const inflight: Array<Promise<void>> = [];
  if (m.kind === 'fanout') {
    for (const [id, t] of await fanoutSent) sent.set(id, t);
    fanoutSent = new Promise((r) => (gotFanout = r));
  }
  for (let i = 0; i < (m.kind === 'fanout' ? 0 : total); i++) {
    const wait = start + (i * 1000) / m.rate - performance.now();
    if (wait > 1) await sleep(wait);
    else if (wait < -5) late++;
    inflight.push(one(i));
  }
  await Promise.all(inflight);
  // Wait until every stored report reached every stream, or nothing new arrived for 3 s.
  let lastCount = -1;
  let quietSince = performance.now();
  for (;;) {
    let count = 0;
    for (const id of sent.keys()) for (const r of receipts) if (r.has(id)) count++;
    if (count === sent.size * receipts.length) break;
    if (count !== lastCount) {
      lastCount = count;
      quietSince = performance.now();
    } else if (performance.now() - quietSince > 3000) break;
    await sleep(50);
  }
  const last: number[] = [];
  let lost = 0;
  let end = t0;
  for (const [id, t] of sent) {
    let worst = 0;
    let missing = false;
    for (const r of receipts) {
      const at = r.get(id);
      if (at === undefined) missing = true;
      else worst = Math.max(worst, at);
    }
    if (missing) lost++;
    else last.push(worst - t);
    end = Math.max(end, worst);
  }
  for (const r of receipts) r.clear();
  const dup = duplicates;
  duplicates = 0;
  agent.destroy();
  return {
    type: 'done',
    phase: m.phase,
    posted: total,
    statuses,
    retryAfterMissing,
    post: postLat,
    last,
    lost,
    duplicates: dup,
    stored: sent.size,
    streams: receipts.length,
    late,
    drainS: (end - t0) / 1000,
    clientElu: performance.eventLoopUtilization(elu0).utilization,
  };
}

let ORG_OF: string[] = [];
let gotFanout: (pairs: Array<[string, number]>) => void = () => undefined;
let fanoutSent = new Promise<Array<[string, number]>>((r) => (gotFanout = r));

process.on('message', (m: Start | Run | { type: 'stop' } | { type: 'sent'; pairs: Array<[string, number]> }) => {
  void (async () => {
    if (m.type === 'start') {
      base = m.base;
      tokens = m.tokens;
      ORG_OF = m.orgs;
      await openStreams();
      process.send!({ type: 'ready' });
    } else if (m.type === 'sent') gotFanout(m.pairs);
    else if (m.type === 'run') process.send!(await run(m));
    else {
      for (const s of streams) s.destroy();
      process.exit(0);
    }
  })();
});
