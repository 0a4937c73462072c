// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Api } from '../api/client.ts';
import { SessionContext, type Session } from '../app/context.tsx';
import type { Member } from '../api/types.ts';
import type { PeerViewT } from '../../../src/contexts/federation/peer.schema.ts';
import { PeersPanel } from './PeersPanel.tsx';

afterEach(cleanup);

const PL: Member = { code: 'PL', name: 'Poland', kind: 'member', joined: '1999-03-12' };
const peer: PeerViewT = {
  id: 'p1',
  name: 'lt-node',
  url: 'https://lt.example/taxii2/alliance/',
  user: 'pl-puller',
  authors: ['LT'],
  pinned: false,
  state: 'retrying',
  cursor: null,
  lagMs: 1200,
  received: 42,
  refused: 3,
  duplicates: 0,
  errors: 2,
  lastError: 'connect ECONNREFUSED',
  lastErrorAt: null,
  lastPullAt: null,
  createdAt: '2026-12-03T00:00:00Z',
};
type Call = { method: string; url: string; body: unknown };
const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function setup(answer: (c: Call) => Response): Call[] {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    const c = { method: init?.method ?? 'GET', url, body: init?.body ? JSON.parse(init.body as string) : undefined };
    calls.push(c);
    return answer(c);
  }) as unknown as typeof fetch;
  const session: Session = {
    api: new Api({ token: () => 't', fetchImpl }),
    me: { user: { id: 'u', name: 'ops', role: 'operator' }, organisation: PL },
    members: [PL],
    orgs: new Map([[PL.code, PL]]),
    signOut: () => undefined,
  };
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <SessionContext.Provider value={session}>
        <PeersPanel />
      </SessionContext.Provider>
    </QueryClientProvider>,
  );
  return calls;
}

describe('Peers panel', () => {
  it('lists peers with their state and adds one, the token typed into a password field', async () => {
    const calls = setup((c) => (c.method === 'POST' ? json(201, peer) : json(200, { items: [peer] })));
    const row = await screen.findByTestId('peer-row');
    expect(row.textContent).toMatch(/lt-node.*LT.*retrying.*1200 ms.*42.*3.*ECONNREFUSED/);
    const token = screen.getByLabelText('Token');
    expect((token as HTMLInputElement).type).toBe('password');
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'ee-node' } });
    fireEvent.change(screen.getByLabelText('TAXII API root'), {
      target: { value: 'https://ee.example/taxii2/alliance/' },
    });
    fireEvent.change(screen.getByLabelText('User there'), { target: { value: 'pl-puller' } });
    fireEvent.change(token, { target: { value: 'bwk_x' } });
    fireEvent.change(screen.getByLabelText(/Authors/), { target: { value: 'ee, lv' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add peer' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      name: 'ee-node',
      url: 'https://ee.example/taxii2/alliance/',
      user: 'pl-puller',
      token: 'bwk_x',
      authors: ['ee', 'lv'],
    });
  });
});
