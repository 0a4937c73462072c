import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { ManualClock, userOf } from '../council/council.fixtures.ts';
import type { Sources } from './sources.module.ts';
import { testSources } from './sources.fixtures.ts';
import { FeedPoller } from './feed.poller.ts';
import { fetchText } from './fetch.service.ts';

const STORY =
  'NATO Deputy Secretary General Mircea Geoană said that the North Atlantic Alliance would not send troops to ' +
  'Ukraine. &quot;There is no formal request,&quot; Geoana stressed in Vilnius.';
const rss = (items: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>http://wire.test/</link><description>d</description>${items}</channel></rss>`;
const item = (guid: string, body: string) =>
  `<item><title>Story ${guid}</title><link>http://wire.test/${guid}</link><guid>${guid}</guid><pubDate>Wed, 10 Sep 2025 08:00:00 GMT</pubDate><description>${body}</description></item>`;

/** A local feed server for the tests: paths answer what `routes` holds at request time. */
const routes: Record<string, (res: http.ServerResponse) => void> = {};
let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const h = routes[req.url ?? ''];
    if (h) h(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});
const xml = (body: string) => (res: http.ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);

describe('fetching', () => {
  it('refuses loopback unless allowed, by the address connected to (also behind a name)', async () => {
    routes['/ok'] = xml('hello');
    await expect(fetchText(`${base}/ok`, { allowPrivate: false })).rejects.toThrow('127.0.0.1 is a loopback address');
    await expect(fetchText(`${base.replace('127.0.0.1', 'localhost')}/ok`, { allowPrivate: false })).rejects.toThrow(
      /localhost resolves to .* loopback/,
    );
    expect((await fetchText(`${base}/ok`, { allowPrivate: true })).text).toBe('hello');
  });

  it('follows at most 3 redirects, caps the size and the time, refuses unknown encodings', async () => {
    for (let i = 0; i < 5; i++) routes[`/r${i}`] = (res) => res.writeHead(302, { location: `/r${i + 1}` }).end();
    routes['/r5'] = xml('end');
    routes['/r2'] = (res) => res.writeHead(302, { location: '/r5' }).end();
    expect((await fetchText(`${base}/r0`, { allowPrivate: true })).text).toBe('end'); // r0 → r1 → r2 → r5
    routes['/r2'] = (res) => res.writeHead(302, { location: '/r3' }).end();
    await expect(fetchText(`${base}/r0`, { allowPrivate: true })).rejects.toThrow('more than 3 redirects');
    routes['/big'] = (res) => res.writeHead(200).end('x'.repeat(2 * 1024 * 1024 + 1));
    await expect(fetchText(`${base}/big`, { allowPrivate: true })).rejects.toThrow('larger than 2097152 bytes');
    routes['/slow'] = (res) => setTimeout(() => res.writeHead(200).end('late'), 500);
    await expect(fetchText(`${base}/slow`, { allowPrivate: true, timeoutMs: 100 })).rejects.toThrow('took longer');
    routes['/enc'] = (res) => res.writeHead(200, { 'content-type': 'text/plain; charset=x-unknown-9' }).end('a');
    await expect(fetchText(`${base}/enc`, { allowPrivate: true })).rejects.toThrow(
      'x-unknown-9, which is not supported',
    );
  });
});

describe.each(testDatabases)('feeds on $name', (tdb) => {
  let database: Database;
  let s: Sources;
  let clock: ManualClock;
  const pl = userOf('PL');
  const make = (allowPrivate: boolean) => testSources(database, clock, { fetchAllowPrivate: allowPrivate });
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed();
    clock = new ManualClock(Date.parse('2025-09-10T09:00:00.000Z'));
    s = make(true);
  });
  afterEach(async () => {
    await database.close();
  });

  it('adds a document by its address: a page is read, a feed or a forbidden address refused naming url', async () => {
    routes['/page.html'] = (res) =>
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<!doctype html><html><head><title>Briefing</title></head><body><article><p>${STORY}</p></article></body></html>`,
        );
    const d = await s.fromUrl.create(pl, { url: `${base}/page.html`, tlp: 'amber' });
    expect(d).toMatchObject({ url: `${base}/page.html`, title: 'Briefing' });
    expect(d.entities.find((e) => e.name === 'Mircea Geoană')?.aliases.sort()).toEqual(['Geoana', 'Mircea Geoană']);
    routes['/feed.xml'] = xml(rss(item('g1', STORY)));
    await expect(s.fromUrl.create(pl, { url: `${base}/feed.xml`, tlp: 'amber' })).rejects.toThrow(
      'url: is a feed: add it as a feed source instead',
    );
    await expect(make(false).fromUrl.create(pl, { url: `${base}/page.html`, tlp: 'amber' })).rejects.toThrow(
      'url: 127.0.0.1 is a loopback address',
    );
  });

  it('takes each item once, skips near-duplicates, and keeps its schedule across a restart', async () => {
    routes['/feed.xml'] = xml(rss(item('g1', STORY) + item('g2', `${STORY} Updated.`)));
    const src = await s.sources.create(pl, {
      name: 'Wire',
      kind: 'feed',
      url: `${base}/feed.xml`,
      reliability: 'B',
      pollSeconds: 600,
      tlp: 'green',
    });
    expect(await s.poller.runDue()).toBe(1);
    const docs = (await s.documents.list(pl, { limit: 50 })).items;
    expect(docs).toHaveLength(1); // g2 nearly repeats g1
    expect(docs[0]).toMatchObject({
      title: 'Story g1',
      grade: 'B6',
      source: src.id,
      publishedAt: '2025-09-10T08:00:00.000Z',
    });
    const d = await s.documents.get(userOf('LT'), docs[0]!.id); // green: every organisation reads it
    expect(d.entities.find((e) => e.name === 'Mircea Geoană')?.aliases.sort()).toEqual(['Geoana', 'Mircea Geoană']);
    // Not due again before its period, even for a new poller (a restart): the schedule is in the store.
    const restarted = new FeedPoller(s.documents.db, s.documents, clock, silentLogger, { allowPrivate: true });
    expect(await restarted.runDue()).toBe(0);
    clock.advance(600_000);
    routes['/feed.xml'] = xml(
      rss(
        item('g1', STORY) +
          item('g3', 'Foreign Minister Kaja Kallas said in Tallinn that the sanctions must continue.'),
      ),
    );
    expect(await restarted.runDue()).toBe(1);
    expect((await s.documents.list(pl, { limit: 50 })).items.map((x) => x.title).sort()).toEqual([
      'Story g1',
      'Story g3',
    ]);
    expect((await s.sources.get(pl, src.id)).lastError).toBeNull();
  });

  it('records a failing feed on its source and goes on with the others', async () => {
    routes['/bad.xml'] = xml('<rss><channel><item>');
    routes['/entity.xml'] = xml('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss></rss>');
    routes['/good.xml'] = xml(rss(item('k1', STORY)));
    const bad = await s.sources.create(pl, {
      name: 'Bad',
      kind: 'feed',
      url: `${base}/bad.xml`,
      reliability: 'C',
      tlp: 'amber',
    });
    const ent = await s.sources.create(pl, {
      name: 'Ent',
      kind: 'feed',
      url: `${base}/entity.xml`,
      reliability: 'C',
      tlp: 'amber',
    });
    const good = await s.sources.create(pl, {
      name: 'Good',
      kind: 'feed',
      url: `${base}/good.xml`,
      reliability: 'A',
      tlp: 'amber',
    });
    expect(await s.poller.runDue()).toBe(3);
    expect((await s.sources.get(pl, bad.id)).lastError).toContain('feed: is not an RSS, Atom or JSON feed');
    expect((await s.sources.get(pl, ent.id)).lastError).toContain('declares XML entities');
    expect((await s.sources.get(pl, good.id)).lastError).toBeNull();
    expect((await s.documents.list(pl, { limit: 50 })).items).toHaveLength(1);
  });

  it('refuses a loopback feed unless BULWARK_FETCH_ALLOW_PRIVATE is set, recording why', async () => {
    const strict = make(false);
    routes['/good.xml'] = xml(rss(item('k1', STORY)));
    const src = await strict.sources.create(pl, {
      name: 'Local',
      kind: 'feed',
      url: `${base}/good.xml`,
      reliability: 'A',
      tlp: 'amber',
    });
    await strict.poller.runDue();
    expect((await strict.sources.get(pl, src.id)).lastError).toContain('loopback');
    expect((await strict.documents.list(pl, { limit: 50 })).items).toEqual([]);
  });
});
