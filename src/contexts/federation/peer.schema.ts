import { z } from 'zod';

/** The wire form of peers (docs/api.md, Federation): shared by the routes, the CLI and the console. */
export const CreatePeerBody = z.object({
  name: z.string().min(1).max(100).describe('a name unique on this node, e.g. "pl-node"'),
  url: z.string().min(1).max(2000).describe("the peer's TAXII 2.1 API root (https, or http to loopback)"),
  user: z.string().min(1).max(100).describe('the user this node signs in as on the peer'),
  token: z.string().min(1).max(4096).describe("that user's API token on the peer (stored sealed, never returned)"),
  authors: z
    .array(z.string().max(10))
    .max(64)
    .optional()
    .describe('organisations whose objects the peer may deliver; absent: any (a trusted hub)'),
  ca: z
    .string()
    .max(64 * 1024)
    .optional()
    .describe("a pinned certificate (PEM) for an https peer; absent: the system's CA store"),
});
export type CreatePeerInput = z.infer<typeof CreatePeerBody>;

export const PeerView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  user: z.string(),
  authors: z.array(z.string()).nullable(),
  pinned: z.boolean().describe('whether a certificate is pinned'),
  state: z.enum(['idle', 'connecting', 'connected', 'retrying']),
  cursor: z.string().nullable().describe('the added_after of the next pull (X-TAXII-Date-Added-Last of the last page)'),
  lagMs: z.number().nullable(),
  received: z.number(),
  refused: z.number(),
  duplicates: z.number(),
  errors: z.number(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastPullAt: z.string().nullable(),
  createdAt: z.string(),
});
export type PeerViewT = z.infer<typeof PeerView>;

export const PeerList = z.object({ items: z.array(PeerView) });
export const PeerIdParams = z.object({ id: z.string().max(64) });
