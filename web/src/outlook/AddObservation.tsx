/** Recording an observation of a signpost in a scenario set (analysts of the set's author). */
import { useState, type ReactNode } from 'react';
import { FormError } from '../ui/states.tsx';
import { useAddObservation, type SetViewT } from './api.ts';
import { pct, points } from './logic.ts';

const today = () => new Date().toISOString().slice(0, 10);

export function AddObservation({ set }: { set: SetViewT }): ReactNode {
  const add = useAddObservation(set.id);
  const [signpost, setSignpost] = useState(set.signposts[0]?.key ?? '');
  const [observed, setObserved] = useState(true);
  const [confidence, setConfidence] = useState(0.9);
  const [date, setDate] = useState(today);
  const [evidence, setEvidence] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState<string | undefined>();
  if (set.signposts.length === 0) return <p className="hint">Add a signpost first.</p>;
  const submit = async () => {
    setDone(undefined);
    const ids = evidence
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const r = await add.mutateAsync({
      signpost: signpost || set.signposts[0]!.key,
      observed,
      confidence,
      observedAt: `${date}T${date === today() ? new Date().toISOString().slice(11) : '12:00:00.000Z'}`,
      ...(ids.length ? { evidence: ids } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    const moved = set.scenarios
      .map((s) => ({ t: s.title, d: (r.probabilities[s.key] ?? 0) - s.probability }))
      .sort((a, b) => Math.abs(b.d) - Math.abs(a.d))[0];
    setDone(moved ? `Recorded. Largest move: “${moved.t}” ${points(moved.d * 100)}.` : 'Recorded.');
    setNote('');
    setEvidence('');
  };
  return (
    <form
      className="outlook-form"
      aria-label="Add an observation"
      data-testid="add-observation"
      onSubmit={(e) => {
        e.preventDefault();
        void submit().catch(() => undefined);
      }}
    >
      <label>
        Signpost
        <select name="signpost" value={signpost || set.signposts[0]!.key} onChange={(e) => setSignpost(e.target.value)}>
          {set.signposts.map((s) => (
            <option key={s.key} value={s.key}>
              {s.title}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="radio-row">
        <legend>What was seen</legend>
        <label>
          <input type="radio" name="observed" checked={observed} onChange={() => setObserved(true)} /> Seen
        </label>
        <label>
          <input type="radio" name="observed" checked={!observed} onChange={() => setObserved(false)} /> Not seen
        </label>
      </fieldset>
      <label>
        Confidence: {pct(confidence, 0)}
        <input
          type="range"
          name="confidence"
          min={0.5}
          max={1}
          step={0.05}
          value={confidence}
          aria-valuetext={pct(confidence, 0)}
          onChange={(e) => setConfidence(Number(e.target.value))}
        />
      </label>
      <label>
        Observed on
        <input
          type="date"
          name="observedAt"
          value={date}
          max={today()}
          onChange={(e) => setDate(e.target.value)}
          required
        />
      </label>
      <label>
        Evidence (STIX ids, optional)
        <input
          name="evidence"
          value={evidence}
          onChange={(e) => setEvidence(e.target.value)}
          placeholder="incident--…"
        />
      </label>
      <label>
        Note
        <input name="note" value={note} maxLength={5000} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="actions">
        <button type="submit" disabled={add.isPending}>
          {add.isPending ? 'Recording…' : 'Add observation'}
        </button>
        {done && (
          <span role="status" data-testid="observation-added">
            {done}
          </span>
        )}
      </div>
      <FormError error={add.error} />
    </form>
  );
}
