import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import { intelCalls } from '../../../test/intel-calls.ts';

const base = {
  title: 'Fake ministry portal',
  description: 'A portal imitating the ministry',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  location: null,
  affectedMembers: ['LT'],
};

/**
 * The candidate cap of correlation must not choose among incidents the readers of a link may not read: when
 * more incidents than the cap share something with a new incident, a link its readers could see must not go
 * missing because hidden incidents took its place (which would tell them the hidden incidents exist).
 */
describe.each(testDatabases)('correlation candidates chosen per release, on $name', (tdb) => {
  let s: TestServer;
  let lt: string;
  let us: string;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
    [lt, us] = await Promise.all([s.token('LT'), s.token('US')]);
    s.services.intel.correlation.settings.maxCandidates = 2;
  });
  afterEach(async () => s.close());
  const { report: post, correlations } = intelCalls(() => s, base);
  const linked = async (token: string, id: string) => (await correlations(token, id)).map((l) => l.id);
  const domain = { type: 'domain-name', value: 'portal-gov.example' };
  const ip = { type: 'ipv4-addr', value: '198.51.100.23' };

  it('hidden incidents sharing more values do not push out a link its readers see', async () => {
    const a = await post(lt, { tlp: 'green', observables: [domain] });
    // Three TLP:RED incidents of US share both values with LT's next report: more evidence than `a`.
    for (let i = 0; i < 3; i++) await post(us, { tlp: 'red', observables: [domain, ip] });
    const b = await post(lt, { tlp: 'green', observables: [domain, ip] });
    expect(await linked(lt, b)).toEqual([a]);
  });

  it('hidden incidents with the same narrative do not push out a link its readers see', async () => {
    const claim = 'The minister secretly sold the northern power grid to a foreign holding company last winter';
    for (let i = 0; i < 3; i++) await post(us, { tlp: 'red', narratives: [claim] });
    const a = await post(lt, { tlp: 'green', narratives: [claim] });
    const b = await post(lt, { tlp: 'green', narratives: [claim] });
    expect(await linked(lt, b)).toEqual([a]);
  });

  it("reads a claim's newest carriers per release, so the read stays bounded however often it was reported", async () => {
    s.services.intel.correlation.settings.maxCandidates = 200;
    s.services.intel.correlation.settings.narrativeCarriers = 2;
    const claim = 'The port authority hid a chemical spill from the coast guard and the city council last spring';
    const older: string[] = [];
    for (let i = 0; i < 4; i++) older.push(await post(lt, { tlp: 'green', narratives: [claim] }));
    // US's own earlier reports of it take none of LT's places, and the report itself none of US's.
    const mine = await post(us, { tlp: 'green', narratives: [claim] });
    const next = await post(us, { tlp: 'green', narratives: [claim] });
    expect((await linked(us, next)).sort()).toEqual([older[2], older[3], mine].sort());
  });
});
