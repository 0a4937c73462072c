import { Worker, type MessagePort } from 'node:worker_threads';

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
    private readonly workerData?: unknown,
  ) {}

  run(request: Req, transfer: ArrayBuffer[] = []): Promise<Res> {
    if (this.closed) return Promise.reject(new Error('the worker thread is closed'));
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    return new Promise<Res>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage({ id, request }, transfer);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
    this.failAll(new Error('the worker thread is closed'));
  }

  private spawn(): Worker {
    const worker = new Worker(this.entry(), { workerData: this.workerData });
    worker.unref();
    worker.on('message', (m: { id: number; response?: Res; error?: string }) => {
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

/** The worker side: answers each request with `handle`, or with the message of what it threw. */
export function serveTasks<Req, Res>(port: MessagePort, handle: (request: Req) => Res): void {
  port.on('message', (m: { id: number; request: Req }) => {
    try {
      port.postMessage({ id: m.id, response: handle(m.request) });
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? e.message : 'the task failed' });
    }
  });
}
