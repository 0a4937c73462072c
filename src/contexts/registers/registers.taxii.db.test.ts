import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import { TLP2_MARKING_IDS, type Tlp } from '../../kernel/access/tlp.ts';
import { RELEASE_EXTENSION_ID } from '../../kernel/access/outbound.ts';
import { organisationIdentityId } from '../sharing/identity.ts';
import { EVENT_EXTENSION_ID, NEED_EXTENSION_ID, SUPPORT_EXTENSION_ID } from './registers.stix.ts';

/** Register objects written over TAXII enter the register with REST's checks and releasability (issue 17). */
const TAXII = 'application/taxii+json;version=2.1';
const OBJECTS = '/taxii2/alliance/collections/alliance/objects/';

const release = (tlp: Tlp, audience?: string[]) => ({
  object_marking_refs: [TLP2_MARKING_IDS[tlp]],
  ...(audience ? { [RELEASE_EXTENSION_ID]: { extension_type: 'property-extension', tlp, audience } } : {}),
});

function supportObject(id: string, modified: string, extra: Record<string, unknown>, tlp: Tlp, audience?: string[]) {
  const r = release(tlp, audience);
  return {
    type: 'bulwark-support',
    spec_version: '2.1',
    id,
    created_by_ref: organisationIdentityId('PL'),
    created: '2025-02-01T00:00:00.000Z',
    modified,
    provider: 'PL',
    recipient: 'UA',
    avenue: 'energy',
    description: 'Transformers over TAXII',
    amount: { value: 2500, currency: 'EUR' },
    pledged_at: '2025-02-01T00:00:00.000Z',
    status: 'pledged',
    status_history: [{ status: 'pledged', changed_at: '2025-02-01T00:00:00.000Z' }],
    object_marking_refs: r.object_marking_refs,
    extensions: {
      [SUPPORT_EXTENSION_ID]: { extension_type: 'new-sdo' },
      ...(audience ? { [RELEASE_EXTENSION_ID]: r[RELEASE_EXTENSION_ID] } : {}),
    },
    ...extra,
  };
}

for (const db of testDatabases) {
  describe(`register objects written over TAXII enter the register (${db.name})`, () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('creates, moves forward only, follows a narrowing, refuses what REST refuses, on every read path', async () => {
      server = await testServer({ db });
      const tokens: Record<string, string> = {};
      for (const org of ['PL', 'LT', 'DE']) tokens[org] = await server.token(org);
      const s = server;
      const post = async (org: string, objects: unknown[]) => {
        const r = await s.app.inject({
          method: 'POST',
          url: OBJECTS,
          headers: { authorization: `Bearer ${tokens[org]}`, 'content-type': TAXII, accept: TAXII },
          payload: JSON.stringify({ objects }),
        });
        expect(r.statusCode, r.body).toBe(202);
        return r.json<{ success_count: number; failure_count: number }>();
      };
      const get = (org: string, url: string) =>
        s.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { authorization: `Bearer ${tokens[org]}` } });
      const ltEntries = async () => {
        const sum = (await get('LT', '/support/summary')).json<{
          byProvider: Array<{ provider: string; entries: number }>;
        }>();
        return sum.byProvider.find((p) => p.provider === 'PL')?.entries ?? 0;
      };

      const id = `bulwark-support--${randomUUID()}`;
      expect((await post('PL', [supportObject(id, '2025-02-01T00:00:00.000Z', {}, 'green')])).success_count).toBe(1);
      const made = await get('LT', `/support/${id}`);
      expect(made.statusCode, made.body).toBe(200);
      expect(made.json()).toMatchObject({ provider: 'PL', recipient: 'UA', status: 'pledged', tlp: 'green' });
      expect(await ltEntries()).toBe(1);

      // Forward: delivered, with the step in the history; backward afterwards: the register keeps delivered.
      await post('PL', [
        supportObject(
          id,
          '2025-03-01T00:00:00.000Z',
          {
            status: 'delivered',
            status_history: [
              { status: 'pledged', changed_at: '2025-02-01T00:00:00.000Z' },
              { status: 'delivered', changed_at: '2025-03-01T00:00:00.000Z' },
            ],
          },
          'green',
        ),
      ]);
      const moved = (await get('PL', `/support/${id}`)).json();
      expect(moved.status).toBe('delivered');
      expect(moved.history.map((h: { status: string }) => h.status)).toEqual(['pledged', 'delivered']);
      await post('PL', [supportObject(id, '2025-04-01T00:00:00.000Z', { status: 'pledged' }, 'green')]);
      expect((await get('PL', `/support/${id}`)).json().status).toBe('delivered');

      // A narrowing over TAXII (to TLP:RED) hides the entry from LT in the register as in TAXII: item, list, summary.
      await post('PL', [supportObject(id, '2025-05-01T00:00:00.000Z', { status: 'delivered' }, 'red')]);
      expect((await get('LT', `/support/${id}`)).statusCode).toBe(404);
      expect((await get('LT', '/support')).json().items).toEqual([]);
      expect(await ltEntries(), 'a hidden entry is not counted').toBe(0);
      expect((await get('PL', `/support/${id}`)).json()).toMatchObject({ tlp: 'red', status: 'delivered' });

      // What REST refuses stays a STIX object only: an unknown avenue, a member as recipient, a negative amount.
      const bad = [
        supportObject(`bulwark-support--${randomUUID()}`, '2025-02-01T00:00:00.000Z', { avenue: 'bribes' }, 'green'),
        supportObject(`bulwark-support--${randomUUID()}`, '2025-02-01T00:00:00.000Z', { recipient: 'DE' }, 'green'),
        supportObject(
          `bulwark-support--${randomUUID()}`,
          '2025-02-01T00:00:00.000Z',
          { amount: { value: -5, currency: 'EUR' } },
          'green',
        ),
      ];
      await post('PL', bad);
      for (const o of bad) expect((await get('PL', `/support/${o.id}`)).statusCode).toBe(404);

      // Humanitarian needs and diplomatic events, the same way.
      const need = {
        type: 'bulwark-humanitarian-need',
        spec_version: '2.1',
        id: `bulwark-humanitarian-need--${randomUUID()}`,
        created: '2025-03-01T00:00:00.000Z',
        modified: '2025-03-01T00:00:00.000Z',
        area: 'UA-14',
        sector: 'food',
        people_in_need: 1000,
        people_reached: 10,
        as_of: '2025-03-01T00:00:00.000Z',
        external_references: [{ source_name: 'source', url: 'https://example.org/hno' }],
        extensions: { [NEED_EXTENSION_ID]: { extension_type: 'new-sdo' } },
        ...release('green'),
      };
      const overReached = { ...need, id: `bulwark-humanitarian-need--${randomUUID()}`, people_reached: 5000 };
      const event = {
        type: 'bulwark-diplomatic-event',
        spec_version: '2.1',
        id: `bulwark-diplomatic-event--${randomUUID()}`,
        created: '2025-03-01T00:00:00.000Z',
        modified: '2025-03-01T00:00:00.000Z',
        name: 'Talks over TAXII',
        kind: 'talks',
        started_at: '2025-03-02T00:00:00.000Z',
        parties: ['Ukraine', 'Russia'],
        status: 'ongoing',
        description: 'Talks',
        external_references: [{ source_name: 'source', url: 'https://example.org/talks' }],
        extensions: { [EVENT_EXTENSION_ID]: { extension_type: 'new-sdo' } },
        ...release('red'),
      };
      await post('DE', [need, overReached, event]);
      expect((await get('LT', `/humanitarian/needs/${need.id}`)).json()).toMatchObject({
        author: 'DE',
        peopleInNeed: 1000,
      });
      expect((await get('DE', `/humanitarian/needs/${overReached.id}`)).statusCode).toBe(404);
      expect((await get('DE', `/diplomacy/events/${event.id}`)).json()).toMatchObject({
        author: 'DE',
        title: 'Talks over TAXII',
      });
      expect((await get('LT', `/diplomacy/events/${event.id}`)).statusCode, 'TLP:RED, DE only').toBe(404);

      // A revoked object leaves the register, its totals with it.
      const plEntries = async () =>
        (await get('PL', '/support/summary'))
          .json<{ byProvider: Array<{ provider: string; entries: number }> }>()
          .byProvider.find((p) => p.provider === 'PL')?.entries ?? 0;
      expect(await plEntries()).toBe(1);
      await post('PL', [supportObject(id, '2025-06-01T00:00:00.000Z', { status: 'delivered', revoked: true }, 'red')]);
      expect((await get('PL', `/support/${id}`)).statusCode).toBe(404);
      expect(await plEntries()).toBe(0);
      await post('DE', [{ ...need, modified: '2025-06-01T00:00:00.000Z', revoked: true }]);
      expect((await get('DE', `/humanitarian/needs/${need.id}`)).statusCode).toBe(404);
    });
  });
}
