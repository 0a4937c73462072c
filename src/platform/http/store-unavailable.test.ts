import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { unavailableOf } from '../errors.ts';
import { sendError } from './errors.ts';

const pgShutdown = () =>
  Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('a store that is away for a moment', () => {
  it('is told apart from other failures', () => {
    for (const e of [
      pgShutdown(),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }),
    ])
      expect(unavailableOf(e)?.code, e.message).toBe('unavailable');
    for (const e of [
      new Error('boom'),
      Object.assign(new Error('duplicate key'), { code: '23505' }),
      Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT' }),
      null,
      'text',
    ])
      expect(unavailableOf(e)).toBeUndefined();
  });

  it('answers 503 with Retry-After (nothing was written), where any other failure answers 500', async () => {
    const app = Fastify();
    app.setErrorHandler((err, req, reply) => sendError(reply, err, req));
    app.post('/away', async () => {
      throw pgShutdown();
    });
    app.post('/broken', async () => {
      throw new Error('boom');
    });
    const away = await app.inject({ method: 'POST', url: '/away' });
    expect(away.statusCode).toBe(503);
    expect(away.headers['retry-after']).toBe('1');
    expect(away.json().error.code).toBe('unavailable');
    const broken = await app.inject({ method: 'POST', url: '/broken' });
    expect(broken.statusCode).toBe(500);
    expect(broken.headers['retry-after']).toBeUndefined();
    await app.close();
  });
});
