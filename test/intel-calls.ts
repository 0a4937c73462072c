import { expect } from 'vitest';
import type { TestServer } from './server.ts';

export interface Correlation {
  id: string;
  score: number;
  reasons: string[];
}

/**
 * The two calls the correlation tests make against an in-process server: report an incident (the fields of
 * `base`, overridden by `body`; expects 201) and read an incident's correlations as a reader (expects 200).
 * `server` is read at each call, so a `beforeEach` may replace the server.
 */
export function intelCalls(server: () => TestServer, base: Record<string, unknown>) {
  return {
    report: async (token: string, body: Record<string, unknown>): Promise<string> => {
      const res = await server().app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { authorization: `Bearer ${token}` },
        payload: { ...base, ...body },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    },
    correlations: async (token: string, id: string): Promise<Correlation[]> => {
      const res = await server().app.inject({
        method: 'GET',
        url: `/api/v1/incidents/${id}/correlations`,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(200);
      return res.json<{ items: Correlation[] }>().items;
    },
  };
}
