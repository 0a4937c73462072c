import { useState, type FormEvent, type ReactNode } from 'react';
import { PROPOSAL_KINDS } from '../../../src/contexts/council/proposal.schema.ts';
import type { CreateProposalInput } from '../../../src/contexts/council/proposal.schema.ts';
import { FormError } from '../ui/states.tsx';
import { deadlineIn } from './countdown.ts';
import { kindLabel, useCreateProposal } from './api.ts';

/** Local date-time input value (YYYY-MM-DDTHH:MM) for an ISO instant. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const off = d.getTimezoneOffset() * 60_000;
  return new Date(d.getTime() - off).toISOString().slice(0, 16);
}

export function NewProposal({ onDone }: { onDone: (id?: string) => void }): ReactNode {
  const create = useCreateProposal();
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<CreateProposalInput['kind']>('coordinated-response');
  const [text, setText] = useState('');
  const [procedure, setProcedure] = useState<'silence' | 'meeting'>('silence');
  const [deadline, setDeadline] = useState(() => toLocalInput(deadlineIn(24 * 60, Date.now())));
  const [references, setReferences] = useState('');

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const refs = references.split(/[\s,]+/).filter(Boolean);
    create.mutate(
      {
        title,
        kind,
        text,
        procedure,
        ...(procedure === 'silence' ? { silenceEndsAt: new Date(deadline).toISOString() } : {}),
        ...(refs.length ? { references: refs } : {}),
      },
      { onSuccess: (p) => onDone(p.id) },
    );
  };

  return (
    <form className="form" onSubmit={submit} aria-label="New proposal">
      <h2>New proposal</h2>
      <label htmlFor="p-title">Title</label>
      <input id="p-title" required maxLength={300} value={title} onChange={(e) => setTitle(e.target.value)} />
      <div className="grid2">
        <div>
          <label htmlFor="p-kind">Kind</label>
          <select id="p-kind" value={kind} onChange={(e) => setKind(e.target.value as CreateProposalInput['kind'])}>
            {PROPOSAL_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="p-proc">Procedure</label>
          <select id="p-proc" value={procedure} onChange={(e) => setProcedure(e.target.value as 'silence' | 'meeting')}>
            <option value="silence">silence (adopted unless a member objects)</option>
            <option value="meeting">meeting (every member concurs)</option>
          </select>
        </div>
      </div>
      {procedure === 'silence' && (
        <>
          <label htmlFor="p-deadline">Silence ends (your local time)</label>
          <input
            id="p-deadline"
            type="datetime-local"
            required
            value={deadline}
            onChange={(e) => setDeadline(e.target.value)}
          />
        </>
      )}
      <label htmlFor="p-text">Text</label>
      <textarea id="p-text" rows={8} required value={text} onChange={(e) => setText(e.target.value)} />
      <label htmlFor="p-refs">References (incident or proposal ids, optional)</label>
      <input id="p-refs" value={references} onChange={(e) => setReferences(e.target.value)} placeholder="incident--…" />
      <FormError error={create.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Circulating…' : 'Circulate'}
        </button>
        <button type="button" onClick={() => onDone()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
