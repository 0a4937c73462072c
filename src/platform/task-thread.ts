import { Worker, type MessagePort, type WorkerOptions } from 'node:worker_threads';

type Message<Req> = { id: number; request: Req } | { notice: unknown };

/**
 * One worker thread answering requests in order, by id: started on first use, restarted after a crash
 * (the requests it held fail), and holding the process open only while a request is pending.
 */
export class TaskThread<Req, Res> {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { resolve: (r: Res) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly entry: () => URL,
    private readonly options: Pick<WorkerOptions, 'workerData' | 'resourceLimits'> = {},
  ) {}

  /** Requests in flight. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Starts the thread now rather than on the first request (it takes a few hundred milliseconds to boot). */
  start(): void {
    if (!this.closed) this.worker ??= this.spawn();
  }

  run(request: Req, transfer: ArrayBuffer[] = []): Promise<Res> {
    if (this.closed) return Promise.reject(new Error('the worker thread is closed'));
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise<Res>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage({ id, request } satisfies Message<Req>, transfer);
    });
  }

  /** A one-way message to the running thread (none is started for it); see serveTasks' `notice`. */
  notify(notice: unknown, transfer: ArrayBuffer[] = []): void {
    if (!this.closed) this.worker?.postMessage({ notice } satisfies Message<Req>, transfer);
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the worker thread is closed'));
    // Held until it has stopped (an idle thread is unreferenced; a late answer no longer unreferences it).
    w?.ref();
    await w?.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(this.entry(), this.options);
    worker.unref();
    worker.on('message', (m: { id: number; response?: Res; error?: string }) => {
      if (this.worker !== worker) return; // closed
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) worker.unref();
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.response as Res);
    });
    const fail = (e: Error) => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(e);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a worker thread stopped (exit code ${code})`)));
    return worker;
  }

  private failAll(e: Error): void {
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.reject(e);
    }
  }
}

/**
 * The worker side: answers each request with `handle` (moving the buffers `transfer` names instead of
 * copying them), or with the message of what it threw; one-way messages go to `notice`.
 */
export function serveTasks<Req, Res>(
  port: MessagePort,
  handle: (request: Req) => Res,
  opts: { transfer?: (response: Res) => ArrayBuffer[]; notice?: (notice: unknown) => void } = {},
): void {
  port.on('message', (m: Message<Req>) => {
    if ('notice' in m) {
      opts.notice?.(m.notice);
      return;
    }
    let response: Res;
    try {
      response = handle(m.request);
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : 'the task failed' });
      return;
    }
    port.postMessage({ id: m.id, response }, opts.transfer?.(response) ?? []);
  });
}
