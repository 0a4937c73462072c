import { useState, type ReactNode } from 'react';
import { useSession } from '../app/context.tsx';
import { hrefOf } from '../app/router.ts';
import { DetailHead } from '../ui/DetailHead.tsx';
import { ErrorState, FormError, Loading } from '../ui/states.tsx';
import { Countdown } from './Countdown.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import {
  kindLabel,
  POSITION_LABEL,
  PROCEDURE_LABEL,
  STATUS_LABEL,
  useCloseProposal,
  useProposal,
  useTakePosition,
  useWithdrawProposal,
  type ProposalViewT,
} from './api.ts';
import { formatWhen } from '../app/dates.ts';

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
  const [confirm, setConfirm] = useState<'withdraw' | null>(null);

  return (
    <article className="proposal" data-testid="proposal-detail">
      <DetailHead
        title={p.title}
        meta={
          <>
            {kindLabel(p.kind)} · {PROCEDURE_LABEL[p.procedure]?.toLowerCase() ?? p.procedure} · proposed by {p.author}{' '}
            on {formatWhen(p.createdAt)} · TLP:{p.tlp.toUpperCase()}
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
        <PositionForm p={p} current={byMember.get(mine)?.position} proposer={p.author === mine} />
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
          <button type="button" className="danger" onClick={() => setConfirm('withdraw')} disabled={withdraw.isPending}>
            Withdraw…
          </button>
          {confirm === 'withdraw' && (
            <Confirm
              title={`Withdraw “${p.title}”?`}
              consequence={`The procedure ends for all ${p.membersConcerned} members and the proposal is not adopted. This cannot be undone.`}
              action="Withdraw the proposal"
              onCancel={() => setConfirm(null)}
              onConfirm={() => {
                setConfirm(null);
                withdraw.mutate({ id: p.id, input: null });
              }}
            />
          )}
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
                <td>{p.decidedAt ? formatWhen(p.decidedAt) : '—'}</td>
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
                      <strong>{x.member}</strong> ({POSITION_LABEL[x.position]}, {formatWhen(x.at)}): {x.statement}
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

type PositionKind = 'concur' | 'break-silence' | 'reservation';

const CHOICE_LABEL: Record<PositionKind, string> = {
  concur: 'Concur',
  'break-silence': 'Break silence',
  reservation: 'Enter a reservation',
};

/**
 * The member's position. Nothing is preselected: a position that ends the procedure for every member
 * (breaking silence) is chosen on purpose and confirmed in a dialog that names its consequence. The
 * proposer is not offered to break its own silence (it withdraws instead).
 */
function PositionForm({
  p,
  current,
  proposer,
}: {
  p: ProposalViewT;
  current: string | undefined;
  proposer: boolean;
}): ReactNode {
  const take = useTakePosition();
  const [statement, setStatement] = useState('');
  const [kind, setKind] = useState<PositionKind | null>(null);
  const [confirming, setConfirming] = useState(false);
  const choices: PositionKind[] =
    p.procedure === 'silence' && !proposer ? ['concur', 'break-silence', 'reservation'] : ['concur', 'reservation'];
  const needsStatement = kind !== null && kind !== 'concur';
  const missing = needsStatement && !statement.trim();
  const send = (): void => {
    if (!kind) return;
    take.mutate({ id: p.id, input: { position: kind, ...(statement.trim() ? { statement: statement.trim() } : {}) } });
  };
  return (
    <section className="position-form" aria-labelledby="position-title">
      <h3 id="position-title">
        Your position{current ? <span className="muted small"> (now: {POSITION_LABEL[current]})</span> : null}
      </h3>
      <fieldset className="radio-row">
        <legend className="sr-only">Position</legend>
        {choices.map((k) => (
          <label key={k} className={kind === k ? 'checked' : undefined}>
            <input type="radio" name="position" value={k} checked={kind === k} onChange={() => setKind(k)} />
            {CHOICE_LABEL[k]}
          </label>
        ))}
      </fieldset>
      <label htmlFor="statement">Statement{needsStatement ? ' (required)' : ' (optional)'}</label>
      <textarea
        id="statement"
        rows={3}
        value={statement}
        onChange={(e) => setStatement(e.target.value)}
        aria-describedby="statement-hint"
        aria-required={needsStatement || undefined}
        placeholder={
          kind === 'break-silence'
            ? 'Why your capital objects…'
            : kind === 'reservation'
              ? 'Text of the reservation…'
              : 'Optional remark…'
        }
      />
      <p className="hint" id="statement-hint">
        {kind === null
          ? 'Choose a position first.'
          : kind === 'break-silence'
            ? `Breaking silence ends the procedure at once for all ${p.membersConcerned} members: the proposal is not adopted.`
            : kind === 'reservation'
              ? 'The text can pass with your reservation on record (a "footnote").'
              : 'You agree to the text as circulated.'}
        {missing ? ' A statement is required for this position.' : ''}
      </p>
      <FormError error={take.error} />
      <button
        type="button"
        className={kind === 'break-silence' ? 'danger' : 'primary'}
        onClick={() => (kind === 'break-silence' ? setConfirming(true) : send())}
        disabled={take.isPending || kind === null || missing}
      >
        {take.isPending
          ? 'Sending…'
          : kind === 'break-silence'
            ? 'Break silence…'
            : kind === 'reservation'
              ? 'Enter reservation'
              : kind === 'concur'
                ? 'Concur'
                : 'Send position'}
      </button>
      {confirming && (
        <Confirm
          title={`Break silence on “${p.title}”?`}
          consequence={`This ends the silence procedure at once for all ${p.membersConcerned} members: the proposal will not be adopted, and your statement goes on the record. This cannot be undone.`}
          action="Break silence"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            send();
          }}
        />
      )}
    </section>
  );
}

/** A confirmation that names what the action does to everyone; Cancel has the focus. */
function Confirm({
  title,
  consequence,
  action,
  onConfirm,
  onCancel,
}: {
  title: string;
  consequence: string;
  action: string;
  onConfirm: () => void;
  onCancel: () => void;
}): ReactNode {
  return (
    <Dialog title={title} onClose={onCancel} className="confirm-consequence">
      <h2>{title}</h2>
      <p data-testid="consequence">{consequence}</p>
      <div className="actions">
        <button type="button" onClick={onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {action}
        </button>
      </div>
    </Dialog>
  );
}
