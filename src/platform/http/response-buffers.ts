import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors.ts';

/**
 * A bound on the response bytes the server holds for clients that have not read them yet. A response
 * body (a TAXII page is up to a few MiB) stays in the process until the client's socket takes it; a
 * client that asks and then reads slowly, repeated over many connections and users, would otherwise
 * hold memory without limit. Each body counts from the moment it is sent until its response closes
 * (finished, or the connection dropped); while the total is at the bound, new requests answer 503 with
 * Retry-After instead of building more bodies. Live streams are bounded separately (stream limits).
 */
export class ResponseBuffers {
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get held(): number {
    return this.bytes;
  }

  get full(): boolean {
    return this.maxBytes > 0 && this.bytes >= this.maxBytes;
  }

  hold(n: number): () => void {
    this.bytes += n;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.bytes -= n;
    };
  }
}

function sizeOf(payload: unknown): number {
  if (typeof payload === 'string') return Buffer.byteLength(payload);
  if (payload instanceof Uint8Array) return payload.byteLength;
  return 0; // streams (static files) are read as the socket takes them
}

export function responseBufferHooks(
  buffers: ResponseBuffers,
  exempt: (req: FastifyRequest) => boolean,
): {
  onRequest: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  onSend: (req: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>;
} {
  return {
    onRequest: async (req, reply) => {
      if (!buffers.full || exempt(req)) return;
      void reply.header('retry-after', '1');
      throw new DomainError(
        'unavailable',
        'the server is holding too many response bytes that clients have not read yet; retry after 1 s',
      );
    },
    onSend: async (_req, reply, payload) => {
      const n = sizeOf(payload);
      if (n > 0) {
        const release = buffers.hold(n);
        reply.raw.once('close', release);
        if (reply.raw.destroyed) release();
      }
      return payload;
    },
  };
}
