import { useState, type ReactNode } from 'react';
import { useSession } from '../app/context.tsx';
import { hrefOf } from '../app/router.ts';
import { DetailHead } from '../ui/DetailHead.tsx';
import { ErrorState, FormError, Loading } from '../ui/states.tsx';
import { Countdown } from './Countdown.tsx';
import {
  POSITION_LABEL,
  STATUS_LABEL,
  useCloseProposal,
  useProposal,
  useTakePosition,
  useWithdrawProposal,
  type ProposalViewT,
} from './api.ts';

export function ProposalDetail({ id }: { id: string }): ReactNode {
  const q = useProposal(id);
  if (q.isPending) return <Loading what="the proposal" />;
  if (q.isError) return <ErrorState error={q.error} what="Proposal" onRetry={() => void q.refetch()} />;
  return <ProposalBody p={q.data} onDeadline={() => void q.refetch()} />;
}

function ProposalBody({ p, onDeadline }: { p: ProposalViewT; onDeadline: () => void }): ReactNode {
  const { me, members } = useSession();
  const mine = me.organisation.code;
  const concerned = members.filter(
    (m) => m.kind === 'member' && m.joined !== null && m.joined <= p.membershipDate.slice(0, 10),
  );
  const byMember = new Map(p.positions.map((x) => [x.member, x]));
  const circulating = p.status === 'circulating';
  const close = useCloseProposal();
  const withdraw = useWithdrawProposal();

  return (
    <article className="proposal" data-testid="proposal-detail">
      <DetailHead
        title={p.title}
        meta={
          <>
            {p.kind} · {p.procedure === 'silence' ? 'silence procedure' : 'meeting (every member concurs)'} · proposed
            by {p.author} on {new Date(p.createdAt).toLocaleString()} · TLP:
            {p.tlp.toUpperCase()}
          </>
        }
      >
        <div className="head-side">
          <span className={`status big ${p.status}`} data-testid="proposal-status">
            {STATUS_LABEL[p.status]}
          </span>
          {circulating && p.silenceEndsAt && (
            <div className="deadline">
              silence ends in <Countdown deadline={p.silenceEndsAt} onPassed={onDeadline} />
            </div>
          )}
        </div>
      </DetailHead>
      <section className="proposal-text">
        <h3>Text</h3>
        <p className="prewrap">{p.text}</p>
        {p.references.length > 0 && (
          <p className="small">
            References:{' '}
            {p.references.map((r) => (
              <a
                key={r}
                href={
                  r.startsWith('incident--')
                    ? hrefOf('incidents', r)
                    : r.startsWith('proposal')
                      ? hrefOf('council', r)
                      : undefined
                }
                className="ref"
              >
                {r}
              </a>
            ))}
          </p>
        )}
      </section>
      {circulating && me.organisation.kind === 'member' && (
        <PositionForm p={p} current={byMember.get(mine)?.position} />
      )}
      {circulating && me.organisation.kind !== 'member' && (
        <p className="note">Partners do not take part in council decisions.</p>
      )}
      {circulating && p.author === mine && (
        <div className="actions">
          {p.procedure === 'meeting' && (
            <button type="button" onClick={() => close.mutate({ id: p.id, input: null })} disabled={close.isPending}>
              Close the meeting (chair)
            </button>
          )}
          <button
            type="button"
            className="danger"
            onClick={() => withdraw.mutate({ id: p.id, input: null })}
            disabled={withdraw.isPending}
          >
            Withdraw
          </button>
          <FormError error={close.error ?? withdraw.error} />
        </div>
      )}
      <section>
        <h3>
          Positions{' '}
          <span className="muted small">
            ({p.positions.length} of {p.membersConcerned} members)
          </span>
        </h3>
        <ul className="positions" data-testid="positions">
          {concerned.map((m) => {
            const x = byMember.get(m.code);
            return (
              <li
                key={m.code}
                className={`pos ${x?.position ?? 'none'}${m.code === mine ? ' mine' : ''}`}
                title={x?.statement ?? undefined}
              >
                <span className="code">{m.code}</span>
                <span className="pos-label">
                  {x ? POSITION_LABEL[x.position] : p.procedure === 'silence' ? 'silent' : 'awaited'}
                </span>
              </li>
            );
          })}
        </ul>
      </section>
      {!circulating && (
        <section className="decision" data-testid="decision-record">
          <h3>Decision record</h3>
          <table className="kv">
            <tbody>
              <tr>
                <th>Outcome</th>
                <td>{STATUS_LABEL[p.status]}</td>
              </tr>
              <tr>
                <th>Decided</th>
                <td>{p.decidedAt ? new Date(p.decidedAt).toLocaleString() : '—'}</td>
              </tr>
              {p.supersededBy && (
                <tr>
                  <th>Superseded by</th>
                  <td>
                    <a href={hrefOf('council', p.supersededBy)}>{p.supersededBy}</a>
                  </td>
                </tr>
              )}
            </tbody>
          </table>
          {p.positions.filter((x) => x.statement).length > 0 && (
            <>
              <h4>Statements and reservations</h4>
              <ul className="statements">
                {p.positions
                  .filter((x) => x.statement)
                  .map((x) => (
                    <li key={x.member}>
                      <strong>{x.member}</strong> ({POSITION_LABEL[x.position]}, {new Date(x.at).toLocaleString()}):{' '}
                      {x.statement}
                    </li>
                  ))}
              </ul>
            </>
          )}
        </section>
      )}
    </article>
  );
}

function PositionForm({ p, current }: { p: ProposalViewT; current: string | undefined }): ReactNode {
  const take = useTakePosition();
  const [statement, setStatement] = useState('');
  const [kind, setKind] = useState<'concur' | 'break-silence' | 'reservation'>(
    p.procedure === 'silence' ? 'break-silence' : 'concur',
  );
  const needsStatement = kind !== 'concur';
  const submit = (): void => {
    take.mutate({ id: p.id, input: { position: kind, ...(statement.trim() ? { statement: statement.trim() } : {}) } });
  };
  return (
    <section className="position-form" aria-label="Your position">
      <h3>Your position{current ? <span className="muted small"> (now: {POSITION_LABEL[current]})</span> : null}</h3>
      <div className="radio-row" role="radiogroup" aria-label="Position">
        {(['concur', 'break-silence', 'reservation'] as const).map((k) => (
          <label key={k} className={kind === k ? 'checked' : undefined}>
            <input type="radio" name="position" value={k} checked={kind === k} onChange={() => setKind(k)} />
            {k === 'concur' ? 'Concur' : k === 'break-silence' ? 'Break silence' : 'Enter a reservation'}
          </label>
        ))}
      </div>
      <label htmlFor="statement">Statement{needsStatement ? ' (required)' : ' (optional)'}</label>
      <textarea
        id="statement"
        rows={3}
        value={statement}
        onChange={(e) => setStatement(e.target.value)}
        placeholder={kind === 'break-silence' ? 'Why your capital objects…' : 'Text of the reservation…'}
      />
      <p className="hint">
        {kind === 'break-silence'
          ? 'Breaking silence ends the procedure at once: the proposal is not adopted.'
          : kind === 'reservation'
            ? 'The text can pass with your reservation on record (a "footnote").'
            : 'You agree to the text as circulated.'}
      </p>
      <FormError error={take.error} />
      <button
        type="button"
        className={kind === 'break-silence' ? 'danger' : 'primary'}
        onClick={submit}
        disabled={take.isPending || (needsStatement && !statement.trim())}
      >
        {take.isPending
          ? 'Sending…'
          : kind === 'break-silence'
            ? 'Break silence'
            : kind === 'reservation'
              ? 'Enter reservation'
              : 'Concur'}
      </button>
    </section>
  );
}
