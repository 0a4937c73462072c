/** Creating an ACH matrix and adding its evidence, checked by the wire schema before they are sent. */
import { useState, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { navigate } from '../app/router.ts';
import { AchEvidenceBody, CreateAchBody, type AchViewT } from '../../../src/contexts/outlook/outlook.schema.ts';
import { check, codes, keyOf, place, serverErrors, type FieldErrors } from './forms.ts';
import { GRADES, RATINGS } from './logic.ts';
import { Field, FormProblems, ReleaseFields } from './form-fields.tsx';
import { OUTLOOK_API, outlookAt } from './api.ts';

/** A new ACH matrix: its competing hypotheses (2 to 10) and release; evidence is added on its page. */
export function NewAchForm(): ReactNode {
  const { api } = useSession();
  const qc = useQueryClient();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [hypotheses, setHypotheses] = useState([
    { key: '', title: '' },
    { key: '', title: '' },
  ]);
  const [tlp, setTlp] = useState('amber');
  const [audience, setAudience] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (body: unknown) => api.post<AchViewT>(`${OUTLOOK_API}/ach`, body),
    onSuccess: (v) => {
      void qc.invalidateQueries({ queryKey: ['outlook'] });
      navigate('outlook', v.id);
    },
  });
  const edit = (i: number, patch: Partial<{ key: string; title: string }>) =>
    setHypotheses((hs) => hs.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  const shown = (f: string) =>
    ['title', 'description', 'hypotheses', 'tlp', 'audience'].includes(f) || /^hypotheses\.\d+\.(key|title)$/.test(f);
  const submit = () => {
    const draft = {
      title,
      ...(description.trim() ? { description } : {}),
      hypotheses: hypotheses.map((h) => ({ key: h.key.trim() || keyOf(h.title), title: h.title })),
      tlp,
      ...(codes(audience) ? { audience: codes(audience) } : {}),
    };
    const c = check(CreateAchBody, draft);
    if (!c.ok) return setErrors(place(c.errors, shown));
    setErrors({});
    create.mutate(c.data, { onError: (e) => setErrors(place(serverErrors(e), shown)) });
  };
  return (
    <form
      className="outlook-form card"
      aria-labelledby="new-ach-h"
      data-testid="new-ach"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 id="new-ach-h">New ACH matrix</h2>
      <FormProblems errors={errors} />
      <Field label="Title" error={errors.title}>
        {(a) => <input {...a} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label="Description" error={errors.description}>
        {(a) => <textarea {...a} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      <fieldset aria-describedby={errors.hypotheses ? 'hypotheses-error' : undefined}>
        <legend>Competing hypotheses (2 to 10)</legend>
        {errors.hypotheses && (
          <span className="field-error" id="hypotheses-error">
            {errors.hypotheses}
          </span>
        )}
        {hypotheses.map((h, i) => (
          <div className="form-row" key={i}>
            <Field label={`Hypothesis ${i + 1}`} error={errors[`hypotheses.${i}.title`]}>
              {(a) => <input {...a} value={h.title} onChange={(e) => edit(i, { title: e.target.value })} />}
            </Field>
            <Field label={`Hypothesis ${i + 1} key`} error={errors[`hypotheses.${i}.key`]}>
              {(a) => (
                <input
                  {...a}
                  value={h.key}
                  placeholder={keyOf(h.title) || 'e.g. state-service'}
                  onChange={(e) => edit(i, { key: e.target.value })}
                />
              )}
            </Field>
          </div>
        ))}
        <div className="actions">
          <button
            type="button"
            className="small"
            disabled={hypotheses.length >= 10}
            onClick={() => setHypotheses((hs) => [...hs, { key: '', title: '' }])}
          >
            Add a hypothesis
          </button>
          <button
            type="button"
            className="small"
            disabled={hypotheses.length <= 2}
            onClick={() => setHypotheses((hs) => hs.slice(0, -1))}
          >
            Remove the last hypothesis
          </button>
        </div>
      </fieldset>
      <ReleaseFields tlp={tlp} audience={audience} onTlp={setTlp} onAudience={setAudience} errors={errors} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Create the matrix
        </button>
      </div>
    </form>
  );
}

/** A piece of evidence for a matrix: its credibility, relevance and a rating per hypothesis. */
export function AddEvidenceForm({ v }: { v: AchViewT }): ReactNode {
  const { api } = useSession();
  const qc = useQueryClient();
  const [title, setTitle] = useState('');
  const [key, setKey] = useState('');
  const [credibility, setCredibility] = useState('medium');
  const [relevance, setRelevance] = useState('medium');
  const [source, setSource] = useState('');
  const [ratings, setRatings] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState<string | undefined>();
  const put = useMutation({
    mutationFn: ({ key: k, ...body }: { key: string } & Record<string, unknown>) =>
      api.request<AchViewT>('PUT', outlookAt('ach', v.id, `/evidence/${encodeURIComponent(k)}`), body),
    onSuccess: (view) => {
      qc.setQueryData(['outlook', 'ach', v.id], view);
      void qc.invalidateQueries({ queryKey: ['outlook', 'ach-list'] });
    },
  });
  const shown = (f: string) =>
    ['title', 'key', 'credibility', 'relevance', 'source', 'ratings'].includes(f) ||
    v.hypotheses.some((h) => f === `ratings.${h.key}`);
  const submit = () => {
    setDone(undefined);
    const draft = {
      key: key.trim() || keyOf(title),
      title,
      credibility,
      relevance,
      ratings: Object.fromEntries(v.hypotheses.map((h) => [h.key, ratings[h.key] ?? 'N'])),
      ...(source.trim() ? { source: source.trim() } : {}),
    };
    const c = check(AchEvidenceBody, draft);
    if (!c.ok) return setErrors(place(c.errors, shown));
    if (v.evidence.some((e) => e.key === c.data.key))
      return setErrors({ key: `the matrix already has evidence ${c.data.key} (change it in the matrix)` });
    setErrors({});
    put.mutate(c.data, {
      onError: (e) => setErrors(place(serverErrors(e), shown)),
      onSuccess: () => {
        setDone(`Evidence “${c.data.title}” added.`);
        setTitle('');
        setKey('');
        setSource('');
        setRatings({});
      },
    });
  };
  return (
    <form
      className="outlook-form"
      aria-label="Add evidence"
      data-testid="add-evidence"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <FormProblems errors={errors} />
      <div className="form-row">
        <Field label="Evidence" error={errors.title}>
          {(a) => <input {...a} value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field label="Evidence key" error={errors.key}>
          {(a) => (
            <input
              {...a}
              value={key}
              placeholder={keyOf(title) || 'e.g. shared-infra'}
              onChange={(e) => setKey(e.target.value)}
            />
          )}
        </Field>
        <Field label="Source (a STIX id, optional)" error={errors.source}>
          {(a) => <input {...a} value={source} onChange={(e) => setSource(e.target.value)} />}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Credibility" error={errors.credibility}>
          {(a) => (
            <select {...a} value={credibility} onChange={(e) => setCredibility(e.target.value)}>
              {GRADES.map((g) => (
                <option key={g}>{g}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Relevance" error={errors.relevance}>
          {(a) => (
            <select {...a} value={relevance} onChange={(e) => setRelevance(e.target.value)}>
              {GRADES.map((g) => (
                <option key={g}>{g}</option>
              ))}
            </select>
          )}
        </Field>
        {v.hypotheses.map((h) => (
          <Field key={h.key} label={`Rating for “${h.title}”`} error={errors[`ratings.${h.key}`]}>
            {(a) => (
              <select
                {...a}
                value={ratings[h.key] ?? 'N'}
                onChange={(e) => setRatings((r) => ({ ...r, [h.key]: e.target.value }))}
              >
                {RATINGS.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            )}
          </Field>
        ))}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={put.isPending}>
          Add evidence
        </button>
        {done && (
          <span role="status" data-testid="evidence-added">
            {done}
          </span>
        )}
      </div>
    </form>
  );
}
