// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Root } from './Root.tsx';

const GOOD = 'bwk_good-token';
const me = {
  user: { id: 'u1', name: 'anna', role: 'admin' },
  organisation: { code: 'PL', name: 'Poland', kind: 'member', joined: '1999-03-12' },
};
const members = { items: [me.organisation, { code: 'UA', name: 'Ukraine', kind: 'partner', joined: null }] };
const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A server that knows one token; every other route answers as a route this server lacks. */
function fakeServer(): typeof fetch {
  return (async (input: string, init?: RequestInit) => {
    const url = input;
    const auth = new Headers(init?.headers).get('Authorization');
    if (auth !== `Bearer ${GOOD}`)
      return json(401, {
        error: { code: 'unauthenticated', message: 'authorization: the token is unknown, revoked or expired' },
      });
    if (url === '/api/v1/me') return json(200, me);
    if (url === '/api/v1/members') return json(200, members);
    return json(404, { error: { code: 'not-found', message: `no route GET ${url.split('?')[0]}` } });
  }) as unknown as typeof fetch;
}

function renderRoot(): void {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={qc}>
      <Root />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  sessionStorage.clear();
  vi.stubGlobal('fetch', fakeServer());
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('sign-in', () => {
  it('says clearly when a token is wrong, and keeps nothing', async () => {
    renderRoot();
    fireEvent.change(screen.getByLabelText('API token'), { target: { value: 'bwk_wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByTestId('signin-error')).textContent).toMatch(
      /not accepted: it is unknown, revoked or expired/,
    );
    await waitFor(() => expect(sessionStorage.getItem('bulwark.token')).toBeNull());
  });

  it('shows organisation and role once signed in, and signs out', async () => {
    renderRoot();
    fireEvent.change(screen.getByLabelText('API token'), { target: { value: `  Bearer ${GOOD} ` } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const identity = await screen.findByTestId('identity');
    expect(identity.textContent).toContain('Poland');
    expect(screen.getByTestId('role').textContent).toBe('admin');
    expect(sessionStorage.getItem('bulwark.token')).toBe(GOOD);
    // routes this server lacks read as "not available", not as a crash
    expect(await screen.findByText(/Incidents: not available/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('API token')).toBeTruthy();
    expect(sessionStorage.getItem('bulwark.token')).toBeNull();
  });
});
