import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import { responseStatus } from './response.service.ts';

describe.each(testDatabases)('coordinated responses on $name', (tdb) => {
  let s: TestServer;
  let pl: string;
  let lt: string;
  let ua: string;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
    [pl, lt, ua] = await Promise.all([s.token('PL'), s.token('LT'), s.token('UA')]);
  });
  afterEach(async () => s.close());
  const call = (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    s.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  it('derives the overall status from the tasks', () => {
    expect(responseStatus([{ status: 'planned' }, { status: 'planned' }])).toBe('planned');
    expect(responseStatus([{ status: 'done' }, { status: 'planned' }])).toBe('in-progress');
    expect(responseStatus([{ status: 'done' }, { status: 'declined' }])).toBe('completed');
  });

  it('shows a course of action by reference only to readers of it (it may be narrower than the response)', async () => {
    const inc = (
      await call(pl, 'POST', '/api/v1/incidents', {
        title: 'DDoS',
        description: '',
        category: 'cyber',
        occurredAt: '2026-03-02T08:00:00Z',
        affectedMembers: ['PL', 'LT'],
        tlp: 'green',
      })
    ).json();
    const coa = 'course-of-action--5a4d3c2b-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
    const red = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
    const put = await s.app.inject({
      method: 'POST',
      url: '/taxii2/alliance/collections/alliance/objects/',
      headers: {
        authorization: `Bearer ${pl}`,
        accept: 'application/taxii+json;version=2.1',
        'content-type': 'application/taxii+json;version=2.1',
      },
      payload: {
        objects: [
          {
            type: 'course-of-action',
            spec_version: '2.1',
            id: coa,
            created: '2026-03-02T08:00:00.000Z',
            modified: '2026-03-02T08:00:00.000Z',
            name: 'Hack back',
            object_marking_refs: [red],
          },
        ],
      },
    });
    expect(put.json().success_count, put.body).toBe(1);
    const res = await call(pl, 'POST', '/api/v1/responses', {
      title: 'Joint action',
      target: inc.id,
      courseOfAction: { ref: coa },
      participants: ['PL', 'LT'],
      tlp: 'green',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await call(pl, 'GET', `/api/v1/responses/${res.json().id}`)).json().courseOfAction).toBe(coa);
    const seen = await call(lt, 'GET', `/api/v1/responses/${res.json().id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().courseOfAction).toBeNull();
    expect(JSON.stringify((await call(lt, 'GET', '/api/v1/responses')).json())).not.toContain(coa);
  });

  it('attaches a written course of action with a task per member; each member updates only its own task', async () => {
    const inc = (
      await call(pl, 'POST', '/api/v1/incidents', {
        title: 'DDoS',
        description: '',
        category: 'cyber',
        occurredAt: '2026-03-02T08:00:00Z',
        affectedMembers: ['PL', 'LT'],
        tlp: 'amber',
      })
    ).json();
    const body = {
      title: 'Joint sinkholing',
      target: inc.id,
      courseOfAction: { name: 'Sinkhole the controller domain', description: 'Coordinate registrar takedown' },
      participants: ['PL', 'LT'],
      tlp: 'amber',
    };
    expect((await call(pl, 'POST', '/api/v1/responses', { ...body, participants: ['PL', 'UA'] })).statusCode).toBe(400);
    const res = await call(pl, 'POST', '/api/v1/responses', body);
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({
      status: 'planned',
      target: inc.id,
      tasks: [
        { member: 'LT', status: 'planned' },
        { member: 'PL', status: 'planned' },
      ],
    });
    expect(r.courseOfAction).toMatch(/^course-of-action--/);
    expect((await call(lt, 'PATCH', `/api/v1/responses/${r.id}/tasks/PL`, { status: 'done' })).statusCode).toBe(403);
    expect((await call(ua, 'GET', `/api/v1/responses/${r.id}`)).statusCode).toBe(404);
    const upd = await call(lt, 'PATCH', `/api/v1/responses/${r.id}/tasks/LT`, {
      status: 'in-progress',
      note: 'registrar contacted',
    });
    expect(upd.json().status).toBe('in-progress');
    await call(lt, 'PATCH', `/api/v1/responses/${r.id}/tasks/LT`, { status: 'done' });
    const done = await call(pl, 'PATCH', `/api/v1/responses/${r.id}/tasks/PL`, { status: 'done' });
    expect(done.json().status).toBe('completed');
    expect((await call(lt, 'GET', `/api/v1/responses?target=${inc.id}`)).json().items).toHaveLength(1);
    const events = await s.services.database.db
      .selectFrom('outbox')
      .select('event')
      .where('event', 'like', 'response.%')
      .execute();
    expect(events.map((e) => e.event)).toEqual([
      'response.created',
      'response.updated',
      'response.updated',
      'response.updated',
    ]);
    expect(
      (
        await call(pl, 'POST', '/api/v1/responses', {
          ...body,
          target: 'incident--00000000-0000-4000-8000-000000000000',
        })
      ).statusCode,
    ).toBe(400);
  });
});
