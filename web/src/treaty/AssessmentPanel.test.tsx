// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Api } from '../api/client.ts';
import { SessionContext, type Session } from '../app/context.tsx';
import type { LatLon, Member } from '../api/types.ts';
import { AssessmentPanel } from './AssessmentPanel.tsx';

afterEach(cleanup);

const PL: Member = { code: 'PL', name: 'Poland', kind: 'member', joined: '1999-03-12' };
const LT: Member = { code: 'LT', name: 'Lithuania', kind: 'member', joined: '2004-03-29' };
const EE: Member = { code: 'EE', name: 'Estonia', kind: 'member', joined: '2004-03-29' };

function mount(): (place: LatLon | null, party: string | undefined) => void {
  const session: Session = {
    api: new Api({ token: () => 't', fetchImpl: () => Promise.reject(new Error('no network')) }),
    me: { user: { id: 'u', name: 'anna', role: 'analyst' }, organisation: PL },
    members: [PL, LT, EE],
    orgs: new Map([PL, LT, EE].map((m) => [m.code, m])),
    signOut: () => undefined,
  };
  const qc = new QueryClient();
  const ui = (place: LatLon | null, party: string | undefined): ReactNode => (
    <QueryClientProvider client={qc}>
      <SessionContext.Provider value={session}>
        <AssessmentPanel place={place} party={party} date="2026-11-01" onDate={() => undefined} />
      </SessionContext.Provider>
    </QueryClientProvider>
  );
  const { rerender } = render(ui(null, undefined));
  return (place, party) => rerender(ui(place, party));
}

const value = (label: string): string => screen.getByLabelText<HTMLInputElement | HTMLSelectElement>(label).value;
const type = (label: string, v: string): boolean =>
  fireEvent.change(screen.getByLabelText(label), { target: { value: v } });

describe('Treaty assessment panel', () => {
  it('takes a place picked on the map and the party it lies in, and keeps what is typed until the next pick', () => {
    const show = mount();
    expect([value('Latitude'), value('Longitude'), value('Party attacked')]).toEqual(['', '', 'PL']);

    const tallinn = { lat: 59.4, lon: 24.7 };
    show(tallinn, 'EE');
    expect([value('Latitude'), value('Longitude'), value('Party attacked')]).toEqual(['59.4', '24.7', 'EE']);

    // typed edits survive re-renders with the same pick
    type('Latitude', '60');
    type('Party attacked', 'LT');
    show(tallinn, 'EE');
    expect([value('Latitude'), value('Longitude'), value('Party attacked')]).toEqual(['60', '24.7', 'LT']);

    // a pick at sea moves the coordinates but suggests no party: the chosen one stays
    show({ lat: 58, lon: 20 }, undefined);
    expect([value('Latitude'), value('Longitude'), value('Party attacked')]).toEqual(['58', '20', 'LT']);

    // clearing the pick leaves the coordinates for the user to edit
    show(null, undefined);
    expect([value('Latitude'), value('Longitude')]).toEqual(['58', '20']);

    // a new pick in the same country suggests that party again
    show({ lat: 54.7, lon: 25.3 }, 'LT');
    type('Party attacked', 'PL');
    show({ lat: 55, lon: 25 }, 'LT');
    expect(value('Party attacked')).toBe('PL');
    show({ lat: 59, lon: 25 }, 'EE');
    expect([value('Latitude'), value('Longitude'), value('Party attacked')]).toEqual(['59', '25', 'EE']);
  });
});
