import { useState, type ReactNode } from 'react';
import { AVENUES, SUPPORT_STATUSES } from '../../../src/contexts/registers/support.schema.ts';
import { stackedBars, type StackRow } from '../../../src/contexts/briefings/figures.ts';
import { describeError } from '../api/client.ts';
import { useSupport, useSupportSummary, type SupportFilter } from './api.ts';

type Group = {
  key: string;
  amounts: Array<{ currency: string; pledged: number; allocated: number; delivered: number }>;
};

function rows(groups: readonly Group[], currency: string): StackRow[] {
  return groups.flatMap((g) => {
    const a = g.amounts.find((x) => x.currency === currency);
    return a ? [{ label: g.key, pledged: a.pledged, allocated: a.allocated, delivered: a.delivered }] : [];
  });
}

/** The support register: filters, the table, and pledged/allocated/delivered stacked bars per currency. */
export default function SupportView(): ReactNode {
  const [f, setF] = useState<SupportFilter>({});
  const list = useSupport(f);
  const summary = useSupportSummary(f.recipient);
  const currencies = [...new Set(summary.data?.byAvenue.flatMap((a) => a.amounts.map((x) => x.currency)) ?? [])].sort();
  const set = (k: keyof SupportFilter) => (e: { target: { value: string } }) =>
    setF((o) => ({ ...o, [k]: e.target.value || undefined }));
  return (
    <section aria-label="Support to partners" data-testid="support-view">
      <h1>Support to partners</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Recipient <input value={f.recipient ?? ''} onChange={set('recipient')} maxLength={2} placeholder="UA" />
        </label>
        <label>
          Provider <input value={f.provider ?? ''} onChange={set('provider')} maxLength={2} placeholder="PL" />
        </label>
        <label>
          Avenue{' '}
          <select name="avenue" value={f.avenue ?? ''} onChange={set('avenue')}>
            <option value="">any</option>
            {AVENUES.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label>
          Status{' '}
          <select name="status" value={f.status ?? ''} onChange={set('status')}>
            <option value="">any</option>
            {SUPPORT_STATUSES.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
      </form>
      {summary.error && <p className="state state-error">{describeError(summary.error)}</p>}
      {currencies.map((c) => (
        <div key={c} className="charts">
          <div
            dangerouslySetInnerHTML={{
              __html: stackedBars(
                'Support by avenue',
                c,
                rows(
                  summary.data!.byAvenue.map((a) => ({ key: a.avenue, amounts: a.amounts })),
                  c,
                ),
              ),
            }}
          />
          <div
            dangerouslySetInnerHTML={{
              __html: stackedBars(
                'Support by provider',
                c,
                rows(
                  summary.data!.byProvider.map((a) => ({ key: a.provider, amounts: a.amounts })),
                  c,
                ),
              ),
            }}
          />
        </div>
      ))}
      {list.isPending && <p className="state">Loading…</p>}
      {list.error && <p className="state state-error">{describeError(list.error)}</p>}
      {list.data && (
        <table className="grid" data-testid="support-table">
          <thead>
            <tr>
              <th>Pledged</th>
              <th>Provider</th>
              <th>Recipient</th>
              <th>Avenue</th>
              <th>Description</th>
              <th>Amount</th>
              <th>Status</th>
              <th>TLP</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((e) => (
              <tr key={e.id}>
                <td>{e.pledgedAt.slice(0, 10)}</td>
                <td>{e.provider}</td>
                <td>{e.recipient}</td>
                <td>{e.avenue}</td>
                <td>{e.description}</td>
                <td>{e.amount ? `${e.amount.value.toLocaleString('en-GB')} ${e.amount.currency}` : '–'}</td>
                <td>{e.status}</td>
                <td>{e.tlp.toUpperCase()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
