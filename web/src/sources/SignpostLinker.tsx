import { useState, type ReactNode } from 'react';
import { formatWhen } from '../app/dates.ts';
import { FormError } from '../ui/states.tsx';
import { useLinkSignpost, useScenarioSet, useScenarioSets, type SignpostLinkViewT } from './api.ts';

/**
 * A claim's links to outlook signposts, and linking it to one: the outlook proposes an observation to the
 * set's author (who accepts or dismisses it there). Only sets the reader may read are offered, and the
 * server refuses a set whose author may not read this document.
 */
export function SignpostLinker({
  doc,
  claim,
  links,
}: {
  doc: string;
  claim: number;
  links: readonly SignpostLinkViewT[];
}): ReactNode {
  const [open, setOpen] = useState(false);
  const [set, setSet] = useState('');
  const [signpost, setSignpost] = useState('');
  const [observed, setObserved] = useState(true);
  const sets = useScenarioSets(open || links.length > 0);
  const detail = useScenarioSet(set);
  const link = useLinkSignpost(doc);
  const titleOf = (id: string): string => sets.data?.items.find((x) => x.id === id)?.title ?? 'a scenario set';
  const id = `sp-${claim}`;
  return (
    <div className="signpost-links">
      {links.length > 0 && (
        <ul className="small" data-testid="claim-signposts">
          {links.map((l) => (
            <li key={`${l.set} ${l.signpost}`}>
              Proposed as {l.observed ? 'an observation' : 'a non-observation'} of signpost “{l.signpost}” of{' '}
              <a href={`#/outlook/${encodeURIComponent(l.set)}`}>{titleOf(l.set)}</a> by {l.by}, {formatWhen(l.at)}
            </li>
          ))}
        </ul>
      )}
      <details onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary className="small">Link to an outlook signpost</summary>
        <form
          className="form compact"
          onSubmit={(e) => {
            e.preventDefault();
            link.mutate({ claim, set, signpost, observed });
          }}
        >
          <label htmlFor={`${id}-set`}>Scenario set</label>
          <select id={`${id}-set`} value={set} onChange={(e) => (setSet(e.target.value), setSignpost(''))} required>
            <option value="">choose…</option>
            {sets.data?.items.map((x) => (
              <option key={x.id} value={x.id}>
                {x.title} ({x.author})
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-signpost`}>Signpost</label>
          <select id={`${id}-signpost`} value={signpost} onChange={(e) => setSignpost(e.target.value)} required>
            <option value="">choose…</option>
            {detail.data?.signposts.map((p) => (
              <option key={p.key} value={p.key}>
                {p.title}
              </option>
            ))}
          </select>
          <fieldset className="radio-row">
            <legend>The claim says the signpost is</legend>
            <label>
              <input type="radio" name={`${id}-obs`} checked={observed} onChange={() => setObserved(true)} /> observed
            </label>
            <label>
              <input type="radio" name={`${id}-obs`} checked={!observed} onChange={() => setObserved(false)} /> not
              observed
            </label>
          </fieldset>
          <FormError error={link.error ?? sets.error} />
          <button type="submit" disabled={link.isPending || !set || !signpost}>
            Propose to the set's author
          </button>
        </form>
      </details>
    </div>
  );
}
