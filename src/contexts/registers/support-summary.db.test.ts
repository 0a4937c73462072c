import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { SupportRepository } from './support.repository.ts';
import { SupportService } from './support.service.ts';

const actor = (org: string): UserActor => ({
  kind: 'user',
  userId: `u-${org}`,
  userName: `user-${org}`,
  org,
  orgKind: 'member',
  role: 'analyst',
});
const reader = (org: string): Reader => ({ kind: 'org', org, orgKind: 'member' });
const entry = (tlp: Tlp, value: number, audience?: string[]) => ({
  recipient: 'UA',
  avenue: 'financial' as const,
  description: 'budget support',
  amount: { value, currency: 'EUR' },
  pledgedAt: '2025-02-01T00:00:00.000Z',
  status: 'pledged' as const,
  tlp,
  ...(audience ? { audience } : {}),
});

for (const db of testDatabases) {
  describe(`support summaries kept per reader stay exact (${db.name})`, () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('a summary kept by one server follows writes made through another, and never counts a hidden entry', async () => {
      server = await testServer({ db });
      const s = server.services;
      const reading = s.registers.support;
      // A second server on the same store: its own service, its own kept summaries.
      const writing = new SupportService({
        repo: new SupportRepository(s.database.db),
        knowledge: s.knowledge,
        clock: s.clock,
        notifier: s.events.notifier,
      });
      const pledged = async (org: string) => {
        const sum = await reading.summary(reader(org));
        const row = sum.byProvider.find((p) => p.provider === 'PL');
        return { entries: row?.entries ?? 0, pledged: row?.amounts[0]?.pledged ?? 0 };
      };
      expect(await pledged('LT')).toEqual({ entries: 0, pledged: 0 });

      await writing.create(actor('PL'), entry('red', 100));
      expect(await pledged('LT'), 'red, no audience: LT may not read it').toEqual({ entries: 0, pledged: 0 });
      expect(await pledged('PL')).toEqual({ entries: 1, pledged: 100 });

      const green = await writing.create(actor('PL'), entry('green', 20));
      expect(await pledged('LT'), 'the kept summary moved with the write').toEqual({ entries: 1, pledged: 20 });

      await writing.create(actor('PL'), entry('amber', 3, ['DE']));
      expect(await pledged('LT'), 'amber for DE only').toEqual({ entries: 1, pledged: 20 });
      expect(await pledged('DE')).toEqual({ entries: 2, pledged: 23 });

      await writing.patch(actor('PL'), green.id, { status: 'cancelled', at: '2025-03-01T00:00:00.000Z' });
      expect(await pledged('LT'), 'cancelled counts nowhere').toEqual({ entries: 1, pledged: 0 });
      expect(await pledged('DE')).toEqual({ entries: 2, pledged: 3 });
      expect(await pledged('PL')).toEqual({ entries: 3, pledged: 103 });
    });
  });
}
