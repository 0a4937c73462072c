// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Root } from './Root.tsx';

const GOOD = 'bwk_good-token';
const CSRF = 'c'.repeat(43);
const me = {
  user: { id: 'u1', name: 'anna', role: 'admin' },
  organisation: { code: 'PL', name: 'Poland', kind: 'member', joined: '1999-03-12' },
};
const members = { items: [me.organisation, { code: 'UA', name: 'Ukraine', kind: 'partner', joined: null }] };
const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const unauthenticated = () =>
  json(401, { error: { code: 'unauthenticated', message: 'authorization: the session ended' } });

/**
 * A server that knows one token and, like a browser's cookie jar, remembers the session it opened with
 * it; every other route answers as a route this server lacks.
 */
function fakeServer(state: { session: boolean; requests: Array<{ method: string; url: string; headers: Headers }> }) {
  return (async (input: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    state.requests.push({ method, url: input, headers });
    if (input === '/api/v1/session') {
      if (method === 'POST') {
        if (headers.get('Authorization') !== `Bearer ${GOOD}`) return unauthenticated();
        state.session = true;
        return json(201, { csrfToken: CSRF, expiresAt: '2030-01-01T00:00:00Z' });
      }
      if (method === 'DELETE') {
        state.session = false;
        return new Response(null, { status: 204 });
      }
      return state.session ? json(200, { csrfToken: CSRF, expiresAt: '2030-01-01T00:00:00Z' }) : unauthenticated();
    }
    if (!state.session) return unauthenticated();
    if (input === '/api/v1/me') return json(200, me);
    if (input === '/api/v1/members') return json(200, members);
    return json(404, { error: { code: 'not-found', message: `no route GET ${input.split('?')[0]}` } });
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

let state: Parameters<typeof fakeServer>[0];
beforeEach(() => {
  sessionStorage.clear();
  state = { session: false, requests: [] };
  vi.stubGlobal('fetch', fakeServer(state));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('sign-in', () => {
  it('says clearly when a token is wrong, and keeps nothing', async () => {
    renderRoot();
    fireEvent.change(await screen.findByLabelText('API token'), { target: { value: 'bwk_wrong' } });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sign in' }).hasAttribute('disabled')).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByTestId('signin-error')).textContent).toMatch(
      /not accepted: it is unknown, revoked or expired/,
    );
    expect(state.session).toBe(false);
    expect(JSON.stringify({ ...sessionStorage })).not.toContain('bwk_');
  });

  it('exchanges the token for a session, keeps no token, and signs out on the server', async () => {
    renderRoot();
    fireEvent.change(await screen.findByLabelText('API token'), { target: { value: `  Bearer ${GOOD} ` } });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sign in' }).hasAttribute('disabled')).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const identity = await screen.findByTestId('identity');
    expect(identity.textContent).toContain('Poland');
    expect(screen.getByTestId('role').textContent).toBe('admin');
    // the token went to POST /session only; every later request rides on the cookie
    const bearer = state.requests.filter((r) => r.headers.has('Authorization'));
    expect(bearer.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/v1/session']);
    expect(JSON.stringify({ ...sessionStorage })).not.toContain(GOOD);
    // routes this server lacks read as "not available", not as a crash
    expect(await screen.findByText(/Incidents: not available/, undefined, { timeout: 10_000 })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('API token')).toBeTruthy();
    await waitFor(() => expect(state.session).toBe(false));
    const out = state.requests.find((r) => r.method === 'DELETE');
    expect(out?.headers.get('X-CSRF-Token')).toBe(CSRF);
  });

  it('a new tab finds the session another tab opened and asks for no token', async () => {
    state.session = true;
    renderRoot();
    expect((await screen.findByTestId('identity')).textContent).toContain('Poland');
    expect(state.requests.some((r) => r.headers.has('Authorization'))).toBe(false);
  });
});
