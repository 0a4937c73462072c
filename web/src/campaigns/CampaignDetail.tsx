import { useState, type FormEvent, type ReactNode } from 'react';
import { TLP_LEVELS, type Tlp } from '../../../src/kernel/access/tlp.ts';
import { useSession } from '../app/context.tsx';
import { hrefOf, navigate } from '../app/router.ts';
import { colourOfCategory } from '../app/theme.ts';
import { DetailHead } from '../ui/DetailHead.tsx';
import { FormError } from '../ui/states.tsx';
import { TlpBadge } from '../ui/TlpBadge.tsx';
import { useConfirmCampaign, useMergeCampaigns, useRenameCampaign, useSplitCampaign, type Campaign } from './api.ts';
import { canManage, mergeCandidates, splitProblem } from './logic.ts';
import { ResponsesPanel } from './ResponsesPanel.tsx';
import { useCampaignMembers } from './members.ts';
import { CampaignGraph } from './CampaignGraph.tsx';
import { CampaignTimeline } from './CampaignTimeline.tsx';

export function CampaignDetail({ c, all }: { c: Campaign; all: Campaign[] }): ReactNode {
  const { me } = useSession();
  const org = me.organisation.code;
  const confirmed = c.status === 'confirmed';
  const { byId, links, loading } = useCampaignMembers(c.incidents);
  const readable = c.incidents.flatMap((id) => byId.get(id) ?? []);
  const title = (id: string): string => byId.get(id)?.title ?? 'an incident';
  return (
    <article data-testid="campaign-detail" data-status={c.status}>
      <DetailHead
        title={c.name}
        meta={
          <>
            <span className={`status-badge ${confirmed ? 'ok' : 'warn'}`}>{confirmed ? 'confirmed' : 'suggested'}</span>
            {confirmed
              ? ` · confirmed by ${c.author ?? '—'} · confidence ${c.confidence ?? '—'} of 100`
              : ` · ${c.links} strong correlations · the strongest ${Math.round(c.maxScore * 100)}% alike`}
            {` · ${c.firstSeen.slice(0, 10)} to ${c.lastSeen.slice(0, 10)}`}
          </>
        }
      >
        {c.tlp && <TlpBadge tlp={c.tlp} />}
        {confirmed && canManage(c, org) && (
          <details className="actions-menu" data-testid="campaign-actions">
            <summary className="button small">Actions</summary>
            <div className="actions-menu-body">
              <RenameForm c={c} />
              <MergeForm c={c} candidates={mergeCandidates(c, all, org)} />
              <SplitForm c={c} title={title} />
            </div>
          </details>
        )}
      </DetailHead>
      {c.description && <p className="prewrap">{c.description}</p>}
      <table className="kv small">
        <tbody>
          <tr>
            <th>Members touched</th>
            <td>{c.membersTouched.join(', ') || '—'}</td>
          </tr>
          <tr>
            <th>Categories</th>
            <td>
              {c.categories.map((k) => (
                <span key={k} className="cat" style={{ color: colourOfCategory(k) }}>
                  ● {k}{' '}
                </span>
              ))}
            </td>
          </tr>
        </tbody>
      </table>
      <h3>Incidents ({c.incidents.length})</h3>
      <table className="grid small" data-testid="campaign-incidents">
        <thead>
          <tr>
            <th scope="col">Occurred</th>
            <th scope="col">Incident</th>
            <th scope="col">Category</th>
            <th scope="col">Affected</th>
          </tr>
        </thead>
        <tbody>
          {c.incidents.map((id) => {
            const i = byId.get(id);
            return (
              <tr key={id}>
                <td>{i?.occurredAt.slice(0, 10) ?? '…'}</td>
                <td>
                  <a href={hrefOf('incidents', id)}>{i?.title ?? (loading ? 'loading…' : 'not readable')}</a>
                </td>
                <td>{i && <span style={{ color: colourOfCategory(i.category) }}>● {i.category}</span>}</td>
                <td>{i?.affectedMembers.join(', ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>Timeline</h3>
      <CampaignTimeline incidents={readable} />
      <h3>Why these incidents are linked</h3>
      {!loading && <CampaignGraph ids={c.incidents} byId={byId} links={links} />}
      <ul className="link-reasons" data-testid="campaign-links">
        {links.map((l) => (
          <li key={`${l.a}|${l.b}`}>
            <a href={hrefOf('incidents', l.a)}>{title(l.a)}</a> ↔ <a href={hrefOf('incidents', l.b)}>{title(l.b)}</a>{' '}
            <span className="muted small">({Math.round(l.score * 100)}% alike)</span>: {l.reasons.join('; ')}
          </li>
        ))}
        {!loading && links.length === 0 && (
          <li className="muted">No correlation between these incidents that you may read.</li>
        )}
      </ul>
      {!confirmed && <ConfirmForm c={c} />}
      {confirmed && !canManage(c, org) && (
        <p className="hint">Only {c.author} (who confirmed it) renames, merges or splits this campaign.</p>
      )}
      {confirmed ? (
        <ResponsesPanel target={c.id} suggestedParticipants={c.membersTouched} />
      ) : (
        <p className="hint">
          Confirm the campaign to coordinate a response to it, or start one from one of its incidents.
        </p>
      )}
    </article>
  );
}

function TlpSelect({ id, value, onChange }: { id: string; value: Tlp; onChange: (t: Tlp) => void }): ReactNode {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as Tlp)}>
      {TLP_LEVELS.map((t) => (
        <option key={t} value={t}>
          TLP:{t.toUpperCase()}
        </option>
      ))}
    </select>
  );
}

function ConfirmForm({ c }: { c: Campaign }): ReactNode {
  const confirm = useConfirmCampaign();
  const [name, setName] = useState(c.name.replace(/^Suggested: /, ''));
  const [confidence, setConfidence] = useState(70);
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [description, setDescription] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    confirm.mutate(
      { name, confidence, tlp, incidents: c.incidents, ...(description.trim() ? { description } : {}) },
      { onSuccess: (made) => navigate('campaigns', made.id) },
    );
  };
  return (
    <form className="form card" onSubmit={submit} aria-label="Confirm campaign">
      <h3>Confirm this campaign</h3>
      <div className="grid2">
        <div>
          <label htmlFor="cc-name">Name</label>
          <input id="cc-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="grid2">
          <div>
            <label htmlFor="cc-confidence">Confidence (0–100)</label>
            <input
              id="cc-confidence"
              type="number"
              min={0}
              max={100}
              required
              value={confidence}
              onChange={(e) => setConfidence(Number(e.target.value))}
            />
          </div>
          <div>
            <label htmlFor="cc-tlp">Release</label>
            <TlpSelect id="cc-tlp" value={tlp} onChange={setTlp} />
          </div>
        </div>
      </div>
      <label htmlFor="cc-description">Assessment (optional)</label>
      <textarea id="cc-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      <FormError error={confirm.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={confirm.isPending}>
          {confirm.isPending ? 'Confirming…' : 'Confirm campaign'}
        </button>
        <span className="hint">
          links all {c.incidents.length} incidents to a STIX campaign released at the TLP you choose
        </span>
      </div>
    </form>
  );
}

function RenameForm({ c }: { c: Campaign }): ReactNode {
  const rename = useRenameCampaign();
  const [name, setName] = useState(c.name);
  const [confidence, setConfidence] = useState(c.confidence ?? 70);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    rename.mutate({ id: c.id, name, confidence });
  };
  return (
    <form className="form card" onSubmit={submit} aria-label="Rename campaign">
      <h3>Rename</h3>
      <div className="grid2">
        <div>
          <label htmlFor="cr-name">Name</label>
          <input id="cr-name" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label htmlFor="cr-confidence">Confidence (0–100)</label>
          <input
            id="cr-confidence"
            type="number"
            min={0}
            max={100}
            required
            value={confidence}
            onChange={(e) => setConfidence(Number(e.target.value))}
          />
        </div>
      </div>
      <FormError error={rename.error} />
      <div className="actions">
        <button type="submit" disabled={rename.isPending || (name === c.name && confidence === c.confidence)}>
          {rename.isPending ? 'Saving…' : 'Save'}
        </button>
        {rename.isSuccess && (
          <span className="tone-ok small" role="status">
            saved
          </span>
        )}
      </div>
    </form>
  );
}

function MergeForm({ c, candidates }: { c: Campaign; candidates: Campaign[] }): ReactNode {
  const merge = useMergeCampaigns();
  const [from, setFrom] = useState<string[]>([]);
  const toggle = (id: string): void => setFrom((f) => (f.includes(id) ? f.filter((x) => x !== id) : [...f, id]));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    merge.mutate({ id: c.id, from }, { onSuccess: () => setFrom([]) });
  };
  return (
    <form className="form card" onSubmit={submit} aria-label="Merge campaigns">
      <h3>Merge into this campaign</h3>
      {candidates.length === 0 ? (
        <p className="hint">No other campaign confirmed by your organisation to merge in.</p>
      ) : (
        <fieldset>
          <legend>campaigns to absorb (they disappear)</legend>
          {candidates.map((o) => (
            <label key={o.id} className="inline">
              <input type="checkbox" checked={from.includes(o.id)} onChange={() => toggle(o.id)} /> {o.name} (
              {o.incidents.length} incidents)
            </label>
          ))}
        </fieldset>
      )}
      <FormError error={merge.error} />
      <div className="actions">
        <button type="submit" disabled={merge.isPending || from.length === 0}>
          {merge.isPending ? 'Merging…' : `Merge ${from.length || ''} into “${c.name}”`}
        </button>
      </div>
    </form>
  );
}

function SplitForm({ c, title }: { c: Campaign; title: (id: string) => string }): ReactNode {
  const split = useSplitCampaign();
  const [chosen, setChosen] = useState<string[]>([]);
  const [name, setName] = useState('');
  const problem = splitProblem(c.incidents, chosen, name);
  const toggle = (id: string): void => setChosen((f) => (f.includes(id) ? f.filter((x) => x !== id) : [...f, id]));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (problem) return;
    split.mutate({ id: c.id, incidents: chosen, name }, { onSuccess: (r) => navigate('campaigns', r.created.id) });
  };
  return (
    <form className="form card" onSubmit={submit} aria-label="Split campaign">
      <h3>Split off incidents</h3>
      <fieldset>
        <legend>incidents to move into a new campaign</legend>
        {c.incidents.map((id) => (
          <label key={id} className="inline" title={id}>
            <input type="checkbox" checked={chosen.includes(id)} onChange={() => toggle(id)} /> {title(id)}
          </label>
        ))}
      </fieldset>
      <label htmlFor="cs-name">Name of the new campaign</label>
      <input id="cs-name" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      {problem && chosen.length > 0 && <p className="note">{problem}</p>}
      <FormError error={split.error} />
      <div className="actions">
        <button type="submit" disabled={split.isPending || problem !== undefined}>
          {split.isPending ? 'Splitting…' : `Split off ${chosen.length || ''}`}
        </button>
      </div>
    </form>
  );
}
