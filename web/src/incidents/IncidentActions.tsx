import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { CATEGORIES, type Incident } from '../api/types.ts';
import { TLP_LEVELS, type Tlp } from '../../../src/kernel/access/tlp.ts';
import { canManage } from '../campaigns/logic.ts';
import { useCampaigns, type Campaign } from '../campaigns/api.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { FormError } from '../ui/states.tsx';

const enc = encodeURIComponent;

/** What the incident page offers: revise (its author), export, print, add to a campaign. */
export function IncidentActions({ i }: { i: Incident }): ReactNode {
  const { me } = useSession();
  const org = me.organisation.code;
  const [revising, setRevising] = useState(false);
  const base = `/api/v1/incidents/${enc(i.id)}/export?format=`;
  return (
    <div className="incident-actions no-print" data-testid="incident-actions">
      {i.author === org && (
        <button type="button" className="small" onClick={() => setRevising(true)}>
          Revise
        </button>
      )}
      <details className="actions-menu">
        <summary className="button small">Export</summary>
        <div className="actions-menu-body export-menu">
          <p className="muted small">What you may read of this incident, as a file:</p>
          <a className="button small" href={`${base}stix`} download data-testid="export-stix">
            STIX 2.1 bundle
          </a>
          <a className="button small" href={`${base}misp`} download data-testid="export-misp">
            MISP event (JSON)
          </a>
          <a className="button small" href={`${base}csv`} download data-testid="export-csv">
            CSV (one row per observable)
          </a>
        </div>
      </details>
      <button type="button" className="small" onClick={() => window.print()}>
        Print
      </button>
      <AddToCampaign i={i} org={org} />
      {revising && <ReviseDialog i={i} onClose={() => setRevising(false)} />}
    </div>
  );
}

function AddToCampaign({ i, org }: { i: Incident; org: string }): ReactNode {
  const { api } = useSession();
  const qc = useQueryClient();
  const campaigns = useCampaigns();
  const mine = (campaigns.data?.items ?? []).filter((c: Campaign) => canManage(c, org) && !c.incidents.includes(i.id));
  const [target, setTarget] = useState('');
  const add = useMutation({
    mutationFn: (id: string) => api.post<Campaign>(`/api/v1/campaigns/${enc(id)}/incidents`, { incidents: [i.id] }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['campaigns'] }),
  });
  // once added, the campaign holds the incident and leaves the choices: the confirmation stays
  if (mine.length === 0 && !add.isSuccess) return null;
  return (
    <details className="actions-menu">
      <summary className="button small">Add to campaign</summary>
      <form
        className="actions-menu-body"
        onSubmit={(e) => {
          e.preventDefault();
          if (target) add.mutate(target);
        }}
      >
        <label>
          Campaign your organisation confirmed
          <select value={target} onChange={(e) => setTarget(e.target.value)} required>
            <option value="">Choose…</option>
            {mine.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary small" disabled={!target || add.isPending}>
          Add
        </button>
        {add.isSuccess && (
          <p className="state" role="status" data-testid="added-to-campaign">
            Added to “{add.data.name}”.
          </p>
        )}
        <FormError error={add.error} />
      </form>
    </details>
  );
}

/** A new version of the incident (PATCH): the History panel lists it with what changed. */
function ReviseDialog({ i, onClose }: { i: Incident; onClose: () => void }): ReactNode {
  const { api } = useSession();
  const qc = useQueryClient();
  const [title, setTitle] = useState(i.title);
  const [description, setDescription] = useState(i.description);
  const [category, setCategory] = useState(i.category);
  const [tlp, setTlp] = useState(i.tlp as Tlp);
  const save = useMutation({
    mutationFn: (patch: Partial<Pick<Incident, 'title' | 'description' | 'category' | 'tlp'>>) =>
      api.patch<Incident>(`/api/v1/incidents/${enc(i.id)}`, patch),
    onSuccess: (next) => {
      qc.setQueryData(['incident', next.id], next);
      void qc.invalidateQueries({ queryKey: ['incident', next.id, 'history'] });
      void qc.invalidateQueries({ queryKey: ['incidents'] });
      onClose();
    },
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const patch: Record<string, string> = {};
    if (title !== i.title) patch.title = title;
    if (description !== i.description) patch.description = description;
    if (category !== i.category) patch.category = category;
    if (tlp !== i.tlp) patch.tlp = tlp;
    if (Object.keys(patch).length === 0) return onClose();
    save.mutate(patch);
  };
  return (
    <Dialog title="Revise the incident" onClose={onClose}>
      <form className="form" onSubmit={submit} data-testid="revise-form">
        <h2>Revise the incident</h2>
        <p className="muted small">Saving makes a new version; earlier versions stay in its history.</p>
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={300} />
        </label>
        <label>
          Description
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={5} />
        </label>
        <label>
          Category
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c.replace(/-/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          TLP
          <select value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
            {TLP_LEVELS.map((t) => (
              <option key={t} value={t}>
                {t.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
        <FormError error={save.error} />
        <div className="row-line">
          <button type="submit" className="primary" disabled={save.isPending}>
            Save new version
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
