import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';

const incident = {
  title: 'Forged letter',
  description: '',
  category: 'disinformation',
  occurredAt: '2026-03-02T08:00:00Z',
  affectedMembers: ['PL'],
  tlp: 'amber',
};

describe.each(testDatabases)('console sessions on $name', (tdb) => {
  let s: TestServer;
  let token: string;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
    token = await s.token('PL');
  });
  afterEach(async () => s.close());

  const open = async (bearer = token) => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { authorization: `Bearer ${bearer}` },
      payload: {},
    });
    expect(res.statusCode).toBe(201);
    const setCookie = String(res.headers['set-cookie']);
    const id = /^bulwark_session=([^;]+);/.exec(setCookie)?.[1] ?? '';
    return { setCookie, cookie: `bulwark_session=${id}`, csrf: res.json<{ csrfToken: string }>().csrfToken };
  };
  const withCookie = (cookie: string, method: 'GET' | 'POST' | 'DELETE', url: string, headers = {}, payload?: object) =>
    s.app.inject({ method, url, headers: { cookie, ...headers }, ...(payload ? { payload } : {}) });
  const incidents = async () =>
    (
      await s.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${token}` } })
    ).json<{ items: unknown[] }>().items.length;

  it('exchanges a token for an httpOnly, SameSite=Strict cookie that signs in every tab', async () => {
    const { setCookie, cookie, csrf } = await open();
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/api/');
    expect(setCookie).not.toContain(token);
    expect(csrf).toHaveLength(43);
    const me = await withCookie(cookie, 'GET', '/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ organisation: { code: 'PL' } });
    // a new tab learns the CSRF token from its cookie alone
    const again = await withCookie(cookie, 'GET', '/api/v1/session');
    expect(again.json()).toMatchObject({ csrfToken: csrf });
    // only hashes are stored
    const rows = await s.services.database.db.selectFrom('console_sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(cookie.slice('bulwark_session='.length));
  });

  it('refuses a cross-site write: no CSRF token, a wrong one, or a foreign Origin; nothing is stored', async () => {
    const { cookie, csrf } = await open();
    const attempts = [{}, { 'x-csrf-token': 'x'.repeat(43) }, { 'x-csrf-token': csrf, origin: 'https://evil.example' }];
    for (const headers of attempts) {
      const res = await withCookie(cookie, 'POST', '/api/v1/incidents', headers, incident);
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: { message: string } }>().error.message).toMatch(/^csrf: /);
    }
    expect(await incidents()).toBe(0);
    const ok = await withCookie(
      cookie,
      'POST',
      '/api/v1/incidents',
      { 'x-csrf-token': csrf, origin: 'http://localhost:80' },
      incident,
    );
    expect(ok.statusCode).toBe(201);
    expect(await incidents()).toBe(1);
  });

  it('logout ends the session; the token itself stays valid', async () => {
    const { cookie, csrf } = await open();
    const out = await withCookie(cookie, 'DELETE', '/api/v1/session', { 'x-csrf-token': csrf });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await withCookie(cookie, 'GET', '/api/v1/me');
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toContain('Bearer');
    expect(await incidents()).toBe(0);
  });

  it("ends with the token's revocation, in this process at once and in another on a fresh check", async () => {
    const admin = await s.token('PL', 'admin');
    const { cookie } = await open();
    const { id: userId } = (await s.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json<{
      user: { id: string };
    }>().user;
    const sid = cookie.slice('bulwark_session='.length);
    expect(await s.services.sessions.resolve(sid, { fresh: true })).toBeDefined();
    // another process revokes the token: the store no longer vouches for the session
    await s.services.database.db.updateTable('tokens').set({ revoked: 1 }).where('user_id', '=', userId).execute();
    expect(await s.services.sessions.resolve(sid, { fresh: true })).toBeUndefined();
    await s.services.database.db.updateTable('tokens').set({ revoked: 0 }).where('user_id', '=', userId).execute();
    expect(await s.services.sessions.resolve(sid, { fresh: true })).toBeDefined();
    // this process's admin revokes: the cached session ends at once
    const res = await s.app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/users/${userId}/tokens`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.statusCode).toBe(204);
    expect((await withCookie(cookie, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('leaves bearer auth as it was: the header wins, TAXII and /metrics ignore the cookie', async () => {
    const { cookie, csrf } = await open();
    // a bearer write needs no CSRF token, with or without a cookie beside it
    const bearer = await s.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${token}`, cookie: 'bulwark_session=stale' },
      payload: incident,
    });
    expect(bearer.statusCode).toBe(201);
    expect((await s.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const garbage = await withCookie('bulwark_session=' + 'a'.repeat(43), 'GET', '/api/v1/me');
    expect(garbage.statusCode).toBe(401);
    expect((await withCookie(cookie, 'GET', '/metrics')).statusCode).toBe(401);
    // TAXII answers a cookie as it answers no credentials at all: the public collection only
    const accept = { accept: 'application/taxii+json;version=2.1' };
    const taxii = await withCookie(cookie, 'GET', '/taxii2/alliance/collections/', accept);
    const anonymous = await s.app.inject({ method: 'GET', url: '/taxii2/alliance/collections/', headers: accept });
    const signedIn = await s.app.inject({
      method: 'GET',
      url: '/taxii2/alliance/collections/',
      headers: { ...accept, authorization: `Bearer ${token}` },
    });
    expect(taxii.body).toBe(anonymous.body);
    expect(signedIn.body).not.toBe(anonymous.body);
    // a session is opened with a token, never with another session
    const chained = await withCookie(cookie, 'POST', '/api/v1/session', { 'x-csrf-token': csrf }, {});
    expect(chained.statusCode).toBe(400);
    expect(chained.json()).toMatchObject({ error: { field: 'authorization' } });
  });
});
