import { useNames } from '../search/api.ts';
import { useState, type FormEvent, type ReactNode } from 'react';
import { TLP_LEVELS, type Tlp } from '../../../src/kernel/access/tlp.ts';
import { useSession } from '../app/context.tsx';
import { Empty, ErrorState, FormError, Loading } from '../ui/states.tsx';
import { OrgPicker } from '../ui/OrgPicker.tsx';
import { TlpBadge } from '../ui/TlpBadge.tsx';
import {
  useCreateResponse,
  useResponses,
  useUpdateTask,
  type CoordinatedResponse,
  type NewResponse,
  type ResponseTask,
} from './api.ts';
import { progressOf, TASK_STATUSES, unreadableParticipants } from './logic.ts';
import { formatWhen } from '../app/dates.ts';

const TONE: Record<string, string> = {
  planned: '',
  'in-progress': 'tone-warn',
  done: 'tone-ok',
  declined: 'tone-bad',
  completed: 'tone-ok',
};

/** Coordinated responses to an incident or confirmed campaign: each ally's task, and a form for a new one. */
export function ResponsesPanel({
  target,
  suggestedParticipants,
}: {
  target: string;
  suggestedParticipants: string[];
}): ReactNode {
  const q = useResponses(target);
  const [creating, setCreating] = useState(false);
  return (
    <section className="responses" aria-label="Coordinated responses" data-testid="responses">
      <div className="pane-head">
        <h3>Coordinated responses</h3>
        {!creating && (
          <button type="button" className="small" onClick={() => setCreating(true)}>
            New response
          </button>
        )}
      </div>
      {creating && (
        <NewResponseForm target={target} suggested={suggestedParticipants} onDone={() => setCreating(false)} />
      )}
      {q.isPending && <Loading what="responses" />}
      {q.isError && <ErrorState error={q.error} what="Responses" onRetry={() => void q.refetch()} />}
      {q.isSuccess && q.data.items.length === 0 && !creating && <Empty>No coordinated response yet.</Empty>}
      {q.data?.items.map((r) => (
        <ResponseCard key={r.id} r={r} />
      ))}
    </section>
  );
}

function ResponseCard({ r }: { r: CoordinatedResponse }): ReactNode {
  const { me } = useSession();
  const mine = me.organisation.code;
  return (
    <div className="card response" data-testid="response" data-status={r.status}>
      <div className="detail-head">
        <div>
          <strong>{r.title}</strong>
          <div className="muted small">
            by {r.author} · <span className={TONE[r.status]}>{r.status}</span> · {progressOf(r.tasks)} · course of
            action{' '}
            {r.courseOfAction ? (
              <CourseOfAction id={r.courseOfAction} />
            ) : (
              <span className="muted">not shared with you</span>
            )}
          </div>
        </div>
        <TlpBadge tlp={r.tlp} />
      </div>
      <table className="grid small task-table">
        <thead>
          <tr>
            <th>Member</th>
            <th>Task status</th>
            <th>Note</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {r.tasks.map((t) => (
            <tr key={t.member} className={t.member === mine ? 'selected' : undefined} data-member={t.member}>
              <td>
                <strong>{t.member}</strong>
                {t.member === mine && <span className="muted"> (you)</span>}
              </td>
              <td>
                {t.member === mine ? (
                  <OwnTask responseId={r.id} t={t} />
                ) : (
                  <span className={TONE[t.status]}>{t.status}</span>
                )}
              </td>
              <td className="prewrap">{t.member === mine ? null : (t.note ?? '—')}</td>
              <td className="muted">{formatWhen(t.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The signed-in member's own task: status and note, saved with PATCH …/tasks/{member}. */
function OwnTask({ responseId, t }: { responseId: string; t: ResponseTask }): ReactNode {
  const update = useUpdateTask();
  const [status, setStatus] = useState(t.status);
  const [note, setNote] = useState(t.note ?? '');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    update.mutate({ id: responseId, member: t.member, status, note: note.trim() });
  };
  return (
    <form className="own-task" onSubmit={submit} aria-label={`Your task (${t.member})`}>
      <label className="sr-only" htmlFor={`task-${responseId}`}>
        Your task status
      </label>
      <select id={`task-${responseId}`} value={status} onChange={(e) => setStatus(e.target.value)}>
        {TASK_STATUSES.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <label className="sr-only" htmlFor={`note-${responseId}`}>
        Note for your allies
      </label>
      <input
        id={`note-${responseId}`}
        placeholder="note for your allies"
        maxLength={5000}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <button
        type="submit"
        className="small"
        disabled={update.isPending || (status === t.status && note === (t.note ?? ''))}
      >
        {update.isPending ? 'Saving…' : 'Update task'}
      </button>
      <FormError error={update.error} />
    </form>
  );
}

function NewResponseForm({
  target,
  suggested,
  onDone,
}: {
  target: string;
  suggested: string[];
  onDone: () => void;
}): ReactNode {
  const { members, orgs, me } = useSession();
  const create = useCreateResponse();
  const [title, setTitle] = useState('');
  const [mode, setMode] = useState<'write' | 'ref'>('write');
  const [coaName, setCoaName] = useState('');
  const [coaText, setCoaText] = useState('');
  const [coaRef, setCoaRef] = useState('');
  const [participants, setParticipants] = useState(() =>
    [...new Set([me.organisation.code, ...suggested])].filter((c) => orgs.has(c)).sort(),
  );
  // Default: released to the participants only (need to know), which every participant, partners included, may read.
  const [tlp, setTlp] = useState<Tlp>('amber+strict');
  // Restricted levels name the participants as the audience, so every participant can read the response.
  const audience = tlp === 'amber+strict' || tlp === 'red' ? participants : [];
  const blocked = unreadableParticipants({ tlp, audience, author: me.organisation.code }, participants, orgs);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const courseOfAction: NewResponse['courseOfAction'] =
      mode === 'ref' ? { ref: coaRef.trim() } : { name: coaName, ...(coaText.trim() ? { description: coaText } : {}) };
    create.mutate(
      { title, target, courseOfAction, participants, tlp, ...(audience.length ? { audience } : {}) },
      { onSuccess: onDone },
    );
  };
  return (
    <form className="form card" onSubmit={submit} aria-label="New coordinated response">
      <label htmlFor="r-title">Title</label>
      <input id="r-title" required maxLength={300} value={title} onChange={(e) => setTitle(e.target.value)} />
      <fieldset>
        <legend>course of action</legend>
        <label className="inline">
          <input type="radio" name="coa-mode" checked={mode === 'write'} onChange={() => setMode('write')} /> write one
        </label>{' '}
        <label className="inline">
          <input type="radio" name="coa-mode" checked={mode === 'ref'} onChange={() => setMode('ref')} /> use an
          imported course-of-action (by id)
        </label>
        {mode === 'write' ? (
          <>
            <label htmlFor="r-coa-name">Course of action</label>
            <input
              id="r-coa-name"
              required
              maxLength={300}
              value={coaName}
              onChange={(e) => setCoaName(e.target.value)}
            />
            <label htmlFor="r-coa-text">Details (optional)</label>
            <textarea id="r-coa-text" rows={3} value={coaText} onChange={(e) => setCoaText(e.target.value)} />
          </>
        ) : (
          <>
            <label htmlFor="r-coa-ref">Course-of-action id</label>
            <input
              id="r-coa-ref"
              required
              pattern="course-of-action--[0-9a-fA-F-]{36}"
              placeholder="course-of-action--…"
              value={coaRef}
              onChange={(e) => setCoaRef(e.target.value)}
            />
            <p className="hint">
              The server offers no list of imported courses of action yet; paste the id of one you may read (e.g. an
              ATT&amp;CK mitigation).
            </p>
          </>
        )}
      </fieldset>
      <label>Participating members (one task each)</label>
      <OrgPicker
        orgs={members}
        value={participants}
        onChange={setParticipants}
        label="Participating members"
        testId="response-participants"
      />
      <label htmlFor="r-tlp">Release</label>
      <select id="r-tlp" value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
        {TLP_LEVELS.map((t) => (
          <option key={t} value={t}>
            TLP:{t.toUpperCase()}
            {t === 'amber+strict' || t === 'red' ? ' (to the participants)' : ''}
          </option>
        ))}
      </select>
      {blocked.length > 0 && (
        <p className="note">
          {blocked.join(', ')} could not read a response released this way: choose a wider release or remove them.
        </p>
      )}
      <FormError error={create.error} />
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={create.isPending || participants.length === 0 || blocked.length > 0}
        >
          {create.isPending ? 'Creating…' : 'Create response'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A course of action by its name (it may be narrower than the response: then it says so). */
function CourseOfAction({ id }: { id: string }): ReactNode {
  const names = useNames([id]);
  const name = names.data?.get(id);
  if (names.isPending) return <span className="muted">…</span>;
  return name ? (
    <strong data-testid="course-of-action">“{name}”</strong>
  ) : (
    <span className="muted">not shared with you</span>
  );
}
