import type { ReactNode } from 'react';
import { describeError } from '../api/client.ts';
import { useHumanitarian } from './api.ts';

const money = (m: { value: number; currency: string } | null) =>
  m ? `${m.value.toLocaleString('en-GB')} ${m.currency}` : '–';

/** Humanitarian needs: the latest per area and sector, and the gap to support. */
export default function HumanitarianView(): ReactNode {
  const q = useHumanitarian();
  if (q.isPending) return <p className="state">Loading…</p>;
  if (q.error) return <p className="state state-error">{describeError(q.error)}</p>;
  return (
    <section aria-label="Humanitarian needs" data-testid="humanitarian-view">
      <h1>Humanitarian needs</h1>
      <table className="grid">
        <thead>
          <tr>
            <th>Area</th>
            <th>Sector</th>
            <th>People in need</th>
            <th>Reached</th>
            <th>Funding required</th>
            <th>Received</th>
            <th>As of</th>
            <th>TLP</th>
          </tr>
        </thead>
        <tbody>
          {q.data.items.map((n) => (
            <tr key={n.id}>
              <td>{n.area}</td>
              <td>{n.sector}</td>
              <td>{n.peopleInNeed.toLocaleString('en-GB')}</td>
              <td>{n.peopleReached?.toLocaleString('en-GB') ?? '–'}</td>
              <td>{money(n.fundingRequired)}</td>
              <td>{money(n.fundingReceived)}</td>
              <td>{n.asOf.slice(0, 10)}</td>
              <td>{n.tlp.toUpperCase()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Gap to support</h2>
      <table className="grid">
        <thead>
          <tr>
            <th>Country</th>
            <th>Currency</th>
            <th>Unmet need</th>
            <th>Support offered</th>
            <th>Uncovered</th>
          </tr>
        </thead>
        <tbody>
          {q.data.gaps.map((g) => (
            <tr key={`${g.country}${g.currency}`}>
              <td>{g.country}</td>
              <td>{g.currency}</td>
              <td>{g.unmet.toLocaleString('en-GB')}</td>
              <td>{(g.supportPledged + g.supportAllocated + g.supportDelivered).toLocaleString('en-GB')}</td>
              <td>{g.uncovered.toLocaleString('en-GB')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
