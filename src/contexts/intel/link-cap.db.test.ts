import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import { intelCalls } from '../../../test/intel-calls.ts';

const base = {
  title: 'Outage claim',
  description: 'Accounts repeat the claim',
  category: 'disinformation',
  occurredAt: '2026-03-02T08:00:00Z',
  location: null,
  affectedMembers: ['LT'],
  tlp: 'green',
};
const claim = 'The grid operator in the northern region concealed a week long outage from the ministry last winter';

/**
 * A surge of one claim: without a bound on the links kept, each report linked to every report of the claim
 * before it, so n reports wrote and announced about n²/2 links. Each correlated incident keeps at most
 * `maxLinks` links per author (and per release) of the other incidents, the strongest first.
 */
describe.each(testDatabases)('links kept per author when one claim surges, on $name', (tdb) => {
  let s: TestServer;
  let lt: string;
  let us: string;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
    [lt, us] = await Promise.all([s.token('LT'), s.token('US')]);
    s.services.intel.correlation.settings.maxLinks = 2;
  });
  afterEach(async () => s.close());
  const { report: post, correlations } = intelCalls(() => s, base);
  const domain = { type: 'domain-name', value: 'grid-leaks.example' };

  it("keeps each author's strongest links, and one author's many reports leave another's links alone", async () => {
    const weak = [];
    for (let i = 0; i < 3; i++) weak.push(await post(us, { narratives: [claim] }));
    // Two of US's reports also share a domain with the next one: they score higher than the three above.
    const strong = [];
    for (let i = 0; i < 2; i++) strong.push(await post(us, { narratives: [claim], observables: [domain] }));
    const earlier = await post(lt, { narratives: [claim] });
    const next = await post(lt, { narratives: [claim], observables: [domain] });

    const links = await correlations(lt, next);
    expect(links.map((l) => l.id).sort()).toEqual([...strong, earlier].sort());
    // Incidents correlated before keep their own links: the third weak report linked to the two before it.
    expect((await correlations(lt, weak[2]!)).map((l) => l.id).sort()).toContain(weak[0]);
  });

  it('an incident edited later keeps the links others made to it while their evidence holds', async () => {
    s.services.intel.correlation.settings.maxLinks = 1;
    const y = await post(us, { narratives: [claim], observables: [domain] });
    // LT's first report is closer to US's than its second: it takes LT's one place when US's report is correlated again.
    const closer = await post(lt, { narratives: [claim], observables: [domain] });
    const x = await post(lt, { narratives: [claim] });
    expect((await correlations(lt, x)).map((l) => l.id)).toContain(y);

    const edit = await s.app.inject({
      method: 'PATCH',
      url: `/api/v1/incidents/${y}`,
      headers: { authorization: `Bearer ${us}` },
      payload: { title: 'Outage claim, second source' },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect((await correlations(lt, x)).map((l) => l.id)).toContain(y);
    expect((await correlations(us, y)).map((l) => l.id).sort()).toEqual([closer, x].sort());
  });
});
