// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Api } from '../api/client.ts';
import { SessionContext, type Session } from '../app/context.tsx';
import type { Member } from '../api/types.ts';
import { CampaignsView } from '../incidents/CampaignsView.tsx';
import type { Campaign, CoordinatedResponse } from './api.ts';

afterEach(cleanup);

const PL: Member = { code: 'PL', name: 'Poland', kind: 'member', joined: '1999-03-12' };
const LT: Member = { code: 'LT', name: 'Lithuania', kind: 'member', joined: '2004-03-29' };
const base = {
  categories: ['cyber'],
  membersTouched: ['PL', 'LT'],
  firstSeen: '2026-11-01T00:00:00Z',
  lastSeen: '2026-11-10T00:00:00Z',
  links: 3,
  maxScore: 0.8,
};
const suggested: Campaign = {
  ...base,
  id: 'campaign--s',
  status: 'suggested',
  name: 'Suggested: DDoS wave',
  incidents: ['incident--a', 'incident--b'],
};
const mine: Campaign = {
  ...base,
  id: 'campaign--mine',
  status: 'confirmed',
  name: 'Grey Lantern',
  author: 'PL',
  confidence: 80,
  tlp: 'amber',
  incidents: ['incident--c', 'incident--d'],
};
const theirs: Campaign = {
  ...base,
  id: 'campaign--theirs',
  status: 'confirmed',
  name: 'Baltic cables',
  author: 'LT',
  confidence: 60,
  tlp: 'amber',
  incidents: ['incident--e'],
};
const response: CoordinatedResponse = {
  id: 'grouping--r',
  title: 'Sinkhole',
  target: 'campaign--theirs',
  courseOfAction: 'course-of-action--x',
  author: 'LT',
  tlp: 'amber',
  audience: [],
  status: 'in-progress',
  created: '',
  modified: '',
  tasks: [
    { member: 'LT', status: 'done', note: 'done here', updatedAt: '2026-11-10T00:00:00Z' },
    { member: 'PL', status: 'planned', note: null, updatedAt: '2026-11-10T00:00:00Z' },
  ],
};

type Call = { method: string; url: string; body: unknown };
const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function setup(selectedId: string | undefined, answer: (c: Call) => Response): Call[] {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    const c = { method: init?.method ?? 'GET', url, body: init?.body ? JSON.parse(init.body as string) : undefined };
    calls.push(c);
    return answer(c);
  }) as unknown as typeof fetch;
  const session: Session = {
    api: new Api({ token: () => 't', fetchImpl }),
    me: { user: { id: 'u', name: 'anna', role: 'analyst' }, organisation: PL },
    members: [PL, LT],
    orgs: new Map([
      [PL.code, PL],
      [LT.code, LT],
    ]),
    signOut: () => undefined,
  };
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <SessionContext.Provider value={session}>
        <CampaignsView selectedId={selectedId} />
      </SessionContext.Provider>
    </QueryClientProvider>,
  );
  return calls;
}

describe('Campaigns panel', () => {
  it('shows loading, then an error with Retry, then confirmed and suggested campaigns', async () => {
    let fail = true;
    setup(undefined, () =>
      fail
        ? json(500, { error: { code: 'internal', message: 'database unavailable' } })
        : json(200, { items: [mine, theirs, suggested] }),
    );
    expect(screen.getByRole('status').textContent).toMatch(/Loading campaigns/);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/database unavailable/);
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    const confirmed = await screen.findByRole('list', { name: 'Confirmed campaigns' });
    expect(
      within(confirmed)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Grey Lantern', 'Baltic cables']);
    expect(
      within(screen.getByRole('list', { name: 'Suggested campaigns' }))
        .getByRole('link')
        .getAttribute('href'),
    ).toBe('#/campaigns/campaign--s');
  });

  it('confirms a suggestion with the name, confidence and release chosen', async () => {
    const calls = setup('campaign--s', (c) =>
      c.method === 'POST'
        ? json(201, { ...suggested, id: 'campaign--new', status: 'confirmed' })
        : json(200, { items: [suggested] }),
    );
    const form = await screen.findByRole('form', { name: 'Confirm campaign' });
    expect(within(form).getByLabelText<HTMLInputElement>('Name').value).toBe('DDoS wave');
    fireEvent.change(within(form).getByLabelText(/Confidence/), { target: { value: '90' } });
    fireEvent.change(within(form).getByLabelText('Release'), { target: { value: 'green' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Confirm campaign' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')).toEqual({
      method: 'POST',
      url: '/api/v1/campaigns',
      body: { name: 'DDoS wave', confidence: 90, tlp: 'green', incidents: ['incident--a', 'incident--b'] },
    });
    await waitFor(() => expect(window.location.hash).toBe('#/campaigns/campaign--new'));
  });

  it('offers rename, merge and split only on a campaign of its own organisation', async () => {
    setup('campaign--theirs', (c) =>
      c.url.startsWith('/api/v1/responses') ? json(200, { items: [] }) : json(200, { items: [mine, theirs] }),
    );
    await screen.findByTestId('campaign-detail');
    expect(screen.queryByRole('form', { name: 'Rename campaign' })).toBeNull();
    expect(screen.getByText(/Only LT \(who confirmed it\)/)).toBeTruthy();
    cleanup();
    const calls = setup('campaign--mine', (c) =>
      c.url.startsWith('/api/v1/responses')
        ? json(200, { items: [] })
        : c.method === 'POST'
          ? json(201, { from: mine, created: { ...mine, id: 'campaign--wave2' } })
          : json(200, { items: [mine, theirs] }),
    );
    const split = await screen.findByRole('form', { name: 'Split campaign' });
    const boxes = within(split).getAllByRole('checkbox');
    const button = within(split).getByRole<HTMLButtonElement>('button', { name: /Split off/ });
    fireEvent.click(boxes[0]!);
    fireEvent.click(boxes[1]!);
    fireEvent.change(within(split).getByLabelText('Name of the new campaign'), { target: { value: 'Wave 2' } });
    expect(button.disabled).toBe(true);
    expect(split.textContent).toMatch(/leave at least one incident/);
    fireEvent.click(boxes[1]!);
    expect(button.disabled).toBe(false);
    // LT's campaign is no merge candidate for PL
    expect(within(screen.getByRole('form', { name: 'Merge campaigns' })).queryAllByRole('checkbox')).toHaveLength(0);
    fireEvent.click(button);
    await waitFor(() =>
      expect(calls.find((c) => c.url.endsWith('/split'))?.body).toEqual({ incidents: ['incident--c'], name: 'Wave 2' }),
    );
    await waitFor(() => expect(window.location.hash).toBe('#/campaigns/campaign--wave2'));
  });

  it('shows each ally’s task and lets the member update only its own', async () => {
    const calls = setup('campaign--theirs', (c) =>
      c.url.startsWith('/api/v1/responses')
        ? c.method === 'PATCH'
          ? json(200, response)
          : json(200, { items: [response] })
        : json(200, { items: [theirs] }),
    );
    const card = await screen.findByTestId('response');
    expect(card.textContent).toMatch(/1 of 2 done/);
    expect(within(card).getByText('done here')).toBeTruthy();
    expect(within(card).getAllByRole('combobox')).toHaveLength(1);
    const own = within(card).getByRole('form', { name: 'Your task (PL)' });
    fireEvent.change(within(own).getByLabelText('Your task status'), { target: { value: 'declined' } });
    fireEvent.change(within(own).getByLabelText('Note for your allies'), { target: { value: 'no capacity' } });
    fireEvent.click(within(own).getByRole('button', { name: 'Update task' }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PATCH')).toEqual({
        method: 'PATCH',
        url: '/api/v1/responses/grouping--r/tasks/PL',
        body: { status: 'declined', note: 'no capacity' },
      }),
    );
    expect(calls[1]?.url).toBe('/api/v1/responses?target=campaign--theirs&limit=50');
  });
});
