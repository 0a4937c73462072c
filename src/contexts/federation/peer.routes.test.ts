import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { tokenFor } from '../../../test/stream-fixture.ts';

const TOKEN = 'bwk_peer-token-never-shown-0123456789';
const body = { name: 'lt', url: 'http://127.0.0.1:1/taxii2/alliance/', user: 'pl-node', token: TOKEN };

describe('/api/v1/peers', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await testServer();
  });
  afterEach(async () => s.close());

  it('operators add, list and delete peers; the token never comes back', async () => {
    const op = { authorization: `Bearer ${await tokenFor(s.services, 'PL', 'operator')}` };
    const created = await s.app.inject({ method: 'POST', url: '/api/v1/peers', headers: op, payload: body });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain(TOKEN);
    const id = created.json<{ id: string }>().id;
    const list = await s.app.inject({ method: 'GET', url: '/api/v1/peers', headers: op });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: Array<Record<string, unknown>> }>().items).toEqual([
      expect.objectContaining({
        id,
        name: 'lt',
        url: body.url,
        cursor: null,
        lagMs: null,
        received: 0,
        lastError: null,
      }),
    ]);
    expect(list.body).not.toContain(TOKEN);
    expect((await s.app.inject({ method: 'DELETE', url: `/api/v1/peers/${id}`, headers: op })).statusCode).toBe(204);
    expect((await s.app.inject({ method: 'DELETE', url: `/api/v1/peers/${id}`, headers: op })).statusCode).toBe(404);
  });

  it('anyone else gets 403; bad input is a 400 naming the field', async () => {
    for (const role of ['analyst', 'admin'] as const) {
      const h = { authorization: `Bearer ${await tokenFor(s.services, 'PL', role)}` };
      expect((await s.app.inject({ method: 'POST', url: '/api/v1/peers', headers: h, payload: body })).statusCode).toBe(
        403,
      );
      expect((await s.app.inject({ method: 'GET', url: '/api/v1/peers', headers: h })).statusCode).toBe(403);
    }
    const op = { authorization: `Bearer ${await tokenFor(s.services, 'PL', 'operator')}` };
    const bad = await s.app.inject({
      method: 'POST',
      url: '/api/v1/peers',
      headers: op,
      payload: { ...body, url: 'http://lt.example/taxii2/alliance/' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('url');
    const missing = await s.app.inject({ method: 'POST', url: '/api/v1/peers', headers: op, payload: { name: 'x' } });
    expect(missing.statusCode).toBe(400);
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/peers' })).statusCode).toBe(401);
  });

  it('/metrics shows each peer (lag, objects, errors) to operators only', async () => {
    const op = { authorization: `Bearer ${await tokenFor(s.services, 'PL', 'operator')}` };
    await s.app.inject({ method: 'POST', url: '/api/v1/peers', headers: op, payload: body });
    const p = (await s.services.federation.repo.list())[0]!;
    await s.services.federation.repo.saveState(
      s.services.database.db,
      p.peer.id,
      {},
      { received: 7, refused: 2, errors: 1 },
    );
    const m = await s.app.inject({ method: 'GET', url: '/metrics', headers: op });
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('bulwark_federation_peer_objects{peer="lt",outcome="received"} 7');
    expect(m.body).toContain('bulwark_federation_peer_objects{peer="lt",outcome="refused"} 2');
    expect(m.body).toContain('bulwark_federation_peer_errors{peer="lt"} 1');
    expect(m.body).toContain('bulwark_federation_peer_connected{peer="lt"} 0');
    expect(m.body).not.toContain(TOKEN);
    const analyst = { authorization: `Bearer ${await tokenFor(s.services, 'PL', 'analyst')}` };
    expect((await s.app.inject({ method: 'GET', url: '/metrics', headers: analyst })).statusCode).toBe(403);
  });
});
