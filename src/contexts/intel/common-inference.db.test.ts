import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import { intelCalls } from '../../../test/intel-calls.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';

const base = {
  title: 'Phishing wave against ministries',
  description: 'Spoofed mails with a credential page',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  location: null,
  affectedMembers: ['LT'],
};

/**
 * Issue 12, item 5 (the open part): whether a value is "common" must not depend on incidents a reader of the
 * link may not read. A member that reports two incidents sharing a value reads their link; the link must be
 * the same whether or not other organisations hold hidden incidents carrying that value.
 */
describe.each(testDatabases)('common values decided over what the link readers read, on $name', (tdb) => {
  let s: TestServer;
  let lt: string;
  let us: string;
  let pl: string;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
    [lt, us, pl] = await Promise.all([s.token('LT'), s.token('US'), s.token('PL')]);
    s.services.intel.correlation.settings.commonThreshold = 2;
  });
  afterEach(async () => s.close());
  const { report: post, correlations } = intelCalls(() => s, base);
  const v = [{ type: 'domain-name', value: 'login-gov.example' }];

  it('hidden carriers do not make a value common for a link its readers see', async () => {
    // Three red incidents of another member carry the value: hidden from LT.
    for (let i = 0; i < 3; i++) await post(us, { tlp: 'red', observables: v });
    const a = await post(lt, { tlp: 'green', observables: v });
    const b = await post(lt, { tlp: 'green', observables: v });
    const links = await correlations(lt, b);
    expect(links.map((l) => l.id)).toEqual([a]);
    expect(links[0]!.reasons).toEqual(['shared domain-name login-gov.example']);
  });

  it('the same link whatever hidden incidents exist, also for a narrower link', async () => {
    const a = await post(lt, { tlp: 'red', observables: v });
    const b = await post(pl, { tlp: 'amber', audience: ['LT'], observables: v });
    const seen = await correlations(lt, b);
    // Now other organisations add hidden carriers; LT edits its incident so that it is correlated again.
    for (let i = 0; i < 3; i++) await post(us, { tlp: 'amber+strict', observables: v });
    const edited = await s.app.inject({
      method: 'PATCH',
      url: `/api/v1/incidents/${a}`,
      headers: { authorization: `Bearer ${lt}` },
      payload: { title: 'Phishing wave, second look' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await correlations(lt, b)).toEqual(seen);
    expect(seen.map((l) => l.id)).toEqual([a]);
  });

  it('a value the link readers all see in more than the threshold of incidents stays common', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await post(pl, { tlp: 'green', observables: v }));
    const mine = await post(lt, {
      tlp: 'green',
      observables: [...v, { type: 'ipv4-addr', value: '192.0.2.7' }],
    });
    const other = await post(pl, { tlp: 'green', observables: [...v, { type: 'ipv4-addr', value: '192.0.2.7' }] });
    const links = await correlations(lt, mine);
    expect(links.map((l) => l.id)).toEqual([other]);
    expect(links[0]!.reasons).toContain(
      'common value domain-name login-gov.example ignored (seen in more than 2 incidents)',
    );
  });
  it('a value carried under more than 256 releases is weighed per link like any other', async () => {
    // US pads the value with 257 incidents, each under its own release (TLP:RED to two other organisations,
    // never LT), all hidden from LT. Before, past 256 releases the value became common for every link, so
    // LT's own link told it that many releases it may not read carry the value.
    const codes = ORGANISATIONS.map((o) => o.code).filter((c) => c !== 'US' && c !== 'LT');
    const pairs = codes.flatMap((c, i) => codes.slice(i + 1).map((d) => [c, d]));
    for (const audience of pairs.slice(0, 257)) await post(us, { tlp: 'red', audience, observables: v });
    const a = await post(lt, { tlp: 'green', observables: v });
    const b = await post(lt, { tlp: 'green', observables: v });
    const links = await correlations(lt, b);
    expect(links.map((l) => l.id)).toEqual([a]);
    expect(links[0]!.reasons).toEqual(['shared domain-name login-gov.example']);
  }, 120_000);
});
