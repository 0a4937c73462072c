/**
 * The outlook's creation forms: a scenario set (scenarios with priors, TLP and audience), a signpost
 * (a likelihood per scenario) and the impact matrix of a set. Each draft is checked by the wire schema
 * before it is sent, and the server's refusal is shown beside the field it names (forms.ts).
 */
import { useId, useState, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { navigate } from '../app/router.ts';
import {
  AchEvidenceBody,
  CreateAchBody,
  CreateQuestionBody,
  CreateSetBody,
  SignpostBody,
  type AchViewT,
  type QuestionViewT,
  type PostureViewT,
  type SetViewT,
} from '../../../src/contexts/outlook/outlook.schema.ts';
import { TLP_LEVELS } from '../../../src/kernel/access/tlp.ts';
import { FORM, check, codes, keyOf, num, place, serverErrors, type FieldErrors } from './forms.ts';
import { GRADES, RATINGS, pct } from './logic.ts';
import { useSet, useSets } from './api.ts';

const base = '/api/v1/outlook/scenario-sets';
const at = (id: string, rest: string) => `${base}/${encodeURIComponent(id)}${rest}`;

/** A labelled control with its error beside it (aria-invalid, aria-describedby). */
export function Field({
  label,
  error,
  children,
  testId,
}: {
  label: ReactNode;
  error: string | undefined;
  children: (a: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
  testId?: string;
}): ReactNode {
  const id = useId();
  const errId = `${id}-error`;
  return (
    <div className="field" data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': error ? errId : undefined })}
      {error && (
        <span className="field-error" id={errId}>
          {error}
        </span>
      )}
    </div>
  );
}

/** The problems of the whole form (and of fields it does not show), at its head. */
export function FormProblems({ errors }: { errors: FieldErrors }): ReactNode {
  const m = errors[FORM];
  return m ? (
    <div className="form-error" role="alert">
      {m}
    </div>
  ) : null;
}

export function ReleaseFields({
  tlp,
  audience,
  onTlp,
  onAudience,
  errors,
}: {
  tlp: string;
  audience: string;
  onTlp: (t: string) => void;
  onAudience: (a: string) => void;
  errors: FieldErrors;
}): ReactNode {
  return (
    <div className="form-row">
      <Field label="TLP" error={errors.tlp}>
        {(a) => (
          <select {...a} name="tlp" value={tlp} onChange={(e) => onTlp(e.target.value)}>
            {TLP_LEVELS.map((t) => (
              <option key={t} value={t}>
                TLP:{t.toUpperCase()}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Audience (member codes, for TLP:AMBER or RED; blank for your organisation)" error={errors.audience}>
        {(a) => <input {...a} name="audience" value={audience} onChange={(e) => onAudience(e.target.value)} />}
      </Field>
    </div>
  );
}

interface ScenarioDraft {
  key: string;
  title: string;
  prior: string;
}
const blankScenario = (): ScenarioDraft => ({ key: '', title: '', prior: '' });

/** A new scenario set: question, horizon, 2–12 scenarios with priors summing to 1, release. */
export function NewSetForm(): ReactNode {
  const { api } = useSession();
  const qc = useQueryClient();
  const [title, setTitle] = useState('');
  const [question, setQuestion] = useState('');
  const [horizon, setHorizon] = useState('');
  const [scenarios, setScenarios] = useState<ScenarioDraft[]>([blankScenario(), blankScenario()]);
  const [tlp, setTlp] = useState('amber');
  const [audience, setAudience] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (body: unknown) => api.post<SetViewT>(base, body),
    onSuccess: (v) => {
      void qc.invalidateQueries({ queryKey: ['outlook'] });
      navigate('outlook', v.id);
    },
  });
  const edit = (i: number, patch: Partial<ScenarioDraft>) =>
    setScenarios((ss) => ss.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const sum = scenarios.reduce((t, s) => t + (num(s.prior) ?? 0), 0);
  const shown = (f: string) =>
    ['title', 'question', 'horizon', 'scenarios', 'tlp', 'audience'].includes(f) ||
    /^scenarios\.\d+\.(key|title|prior)$/.test(f);
  const submit = () => {
    const draft = {
      title,
      question,
      horizon,
      scenarios: scenarios.map((s) => ({
        key: s.key.trim() || keyOf(s.title),
        title: s.title,
        prior: num(s.prior),
      })),
      tlp,
      ...(codes(audience) ? { audience: codes(audience) } : {}),
    };
    const c = check(CreateSetBody, draft);
    if (!c.ok) return setErrors(place(c.errors, shown));
    setErrors({});
    create.mutate(c.data, { onError: (e) => setErrors(place(serverErrors(e), shown)) });
  };
  return (
    <form
      className="outlook-form card"
      aria-labelledby="new-set-h"
      data-testid="new-set"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 id="new-set-h">New scenario set</h2>
      <FormProblems errors={errors} />
      <Field label="Title" error={errors.title}>
        {(a) => <input {...a} name="title" value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label="Question" error={errors.question}>
        {(a) => (
          <textarea {...a} name="question" rows={2} value={question} onChange={(e) => setQuestion(e.target.value)} />
        )}
      </Field>
      <Field label="Horizon" error={errors.horizon}>
        {(a) => (
          <input {...a} type="date" name="horizon" value={horizon} onChange={(e) => setHorizon(e.target.value)} />
        )}
      </Field>
      <fieldset aria-describedby={errors.scenarios ? 'scenarios-error' : undefined}>
        <legend>Scenarios (2 to 12; priors sum to 1, now {pct(sum, 1)})</legend>
        {errors.scenarios && (
          <span className="field-error" id="scenarios-error">
            {errors.scenarios}
          </span>
        )}
        {scenarios.map((s, i) => (
          <div className="form-row" key={i} data-testid={`scenario-${i + 1}`}>
            <Field label={`Scenario ${i + 1} title`} error={errors[`scenarios.${i}.title`]}>
              {(a) => <input {...a} value={s.title} onChange={(e) => edit(i, { title: e.target.value })} />}
            </Field>
            <Field label={`Scenario ${i + 1} key`} error={errors[`scenarios.${i}.key`]}>
              {(a) => (
                <input
                  {...a}
                  value={s.key}
                  placeholder={keyOf(s.title) || 'e.g. settlement'}
                  onChange={(e) => edit(i, { key: e.target.value })}
                />
              )}
            </Field>
            <Field label={`Scenario ${i + 1} prior (0–1)`} error={errors[`scenarios.${i}.prior`]}>
              {(a) => (
                <input
                  {...a}
                  inputMode="decimal"
                  value={s.prior}
                  onChange={(e) => edit(i, { prior: e.target.value })}
                />
              )}
            </Field>
          </div>
        ))}
        <div className="actions">
          <button
            type="button"
            className="small"
            disabled={scenarios.length >= 12}
            onClick={() => setScenarios((ss) => [...ss, blankScenario()])}
          >
            Add a scenario
          </button>
          <button
            type="button"
            className="small"
            disabled={scenarios.length <= 2}
            onClick={() => setScenarios((ss) => ss.slice(0, -1))}
          >
            Remove the last scenario
          </button>
        </div>
      </fieldset>
      <ReleaseFields tlp={tlp} audience={audience} onTlp={setTlp} onAudience={setAudience} errors={errors} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Create the scenario set
        </button>
      </div>
    </form>
  );
}

/** A signpost of a set: its key, title and the likelihood of seeing it under each scenario. */
export function AddSignpostForm({ set }: { set: SetViewT }): ReactNode {
  const { api } = useSession();
  const qc = useQueryClient();
  const [title, setTitle] = useState('');
  const [key, setKey] = useState('');
  const [likelihoods, setLikelihoods] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState<string | undefined>();
  const add = useMutation({
    mutationFn: (body: unknown) => api.post<unknown>(at(set.id, '/signposts'), body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['outlook'] }),
  });
  const shown = (f: string) =>
    f === 'title' || f === 'key' || f === 'likelihoods' || set.scenarios.some((s) => f === `likelihoods.${s.key}`);
  const submit = () => {
    setDone(undefined);
    const draft = {
      key: key.trim() || keyOf(title),
      title,
      likelihoods: Object.fromEntries(set.scenarios.map((s) => [s.key, num(likelihoods[s.key] ?? '')])),
    };
    const c = check(SignpostBody, draft);
    if (!c.ok) return setErrors(place(c.errors, shown));
    setErrors({});
    add.mutate(c.data, {
      onError: (e) => setErrors(place(serverErrors(e), shown)),
      onSuccess: () => {
        setDone(`Signpost “${c.data.title}” added.`);
        setTitle('');
        setKey('');
        setLikelihoods({});
      },
    });
  };
  return (
    <form
      className="outlook-form"
      aria-label="Add a signpost"
      data-testid="add-signpost"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <FormProblems errors={errors} />
      <div className="form-row">
        <Field label="Signpost title" error={errors.title}>
          {(a) => <input {...a} value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field label="Signpost key" error={errors.key}>
          {(a) => (
            <input
              {...a}
              value={key}
              placeholder={keyOf(title) || 'e.g. direct-talks'}
              onChange={(e) => setKey(e.target.value)}
            />
          )}
        </Field>
      </div>
      <fieldset>
        <legend>Likelihood of seeing it under each scenario (strictly between 0 and 1)</legend>
        {errors.likelihoods && <span className="field-error">{errors.likelihoods}</span>}
        <div className="form-row">
          {set.scenarios.map((s) => (
            <Field key={s.key} label={`Under “${s.title}”`} error={errors[`likelihoods.${s.key}`]}>
              {(a) => (
                <input
                  {...a}
                  inputMode="decimal"
                  value={likelihoods[s.key] ?? ''}
                  onChange={(e) => setLikelihoods((l) => ({ ...l, [s.key]: e.target.value }))}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={add.isPending}>
          Add signpost
        </button>
        {done && (
          <span role="status" data-testid="signpost-added">
            {done}
          </span>
        )}
      </div>
    </form>
  );
}

/** The eastern flank: the members the demo's impact matrix covers, offered for a new matrix. */
const FLANK = ['PL', 'LT', 'LV', 'EE', 'RO', 'FI', 'SK', 'BG', 'HU'];

/** The impact matrix (member × scenario, 1–5): replaces the set's matrix as a whole. */
export function ImpactsForm({ set }: { set: SetViewT }): ReactNode {
  const { api } = useSession();
  const qc = useQueryClient();
  const initialMembers = Object.keys(set.impacts).length > 0 ? Object.keys(set.impacts).sort() : FLANK;
  const [members, setMembers] = useState(initialMembers.join(', '));
  const [levels, setLevels] = useState<Record<string, string>>(() => {
    const l: Record<string, string> = {};
    for (const [m, row] of Object.entries(set.impacts))
      for (const [s, v] of Object.entries(row)) l[`${m}.${s}`] = String(v);
    return l;
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState<string | undefined>();
  const put = useMutation({
    mutationFn: (body: unknown) => api.request<PostureViewT>('PUT', at(set.id, '/impacts'), body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['outlook'] }),
  });
  const list = codes(members) ?? [];
  const shown = (f: string) => f === 'members' || /^[A-Z]{2,8}\.[a-z][a-z0-9-]*$/.test(f);
  const submit = () => {
    setDone(undefined);
    const local: FieldErrors = {};
    const body: Record<string, Record<string, number>> = {};
    if (list.length === 0) local.members = 'name at least one member';
    for (const m of list) {
      body[m] = {};
      for (const s of set.scenarios) {
        const v = num(levels[`${m}.${s.key}`] ?? '');
        if (v === undefined || !Number.isInteger(v) || v < 1 || v > 5) local[`${m}.${s.key}`] = 'a level from 1 to 5';
        else body[m][s.key] = v;
      }
    }
    if (Object.keys(local).length > 0) return setErrors(local);
    setErrors({});
    put.mutate(body, {
      onError: (e) => {
        // the server names `impacts.<member>.<scenario>` or `<member>.<scenario>`
        const named: FieldErrors = {};
        for (const [f, m] of Object.entries(serverErrors(e))) named[f.replace(/^impacts\./, '')] = m;
        setErrors(place(named, shown));
      },
      onSuccess: () => setDone('Impact matrix saved.'),
    });
  };
  return (
    <form
      className="outlook-form"
      aria-label="Edit the impact matrix"
      data-testid="impacts-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <FormProblems errors={errors} />
      <Field label="Members (codes)" error={errors.members}>
        {(a) => <input {...a} value={members} onChange={(e) => setMembers(e.target.value)} />}
      </Field>
      <div className="table-scroll">
        <table className="grid">
          <caption className="sr-only">Impact level (1–5) of each scenario on each member</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              {set.scenarios.map((s) => (
                <th scope="col" key={s.key}>
                  {s.title}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <tr key={m}>
                <th scope="row">{m}</th>
                {set.scenarios.map((s) => {
                  const f = `${m}.${s.key}`;
                  return (
                    <td key={s.key}>
                      <select
                        aria-label={`Impact of “${s.title}” on ${m}`}
                        aria-invalid={errors[f] !== undefined}
                        value={levels[f] ?? ''}
                        onChange={(e) => setLevels((l) => ({ ...l, [f]: e.target.value }))}
                      >
                        <option value="">–</option>
                        {[1, 2, 3, 4, 5].map((v) => (
                          <option key={v} value={v}>
                            {v}
                          </option>
                        ))}
                      </select>
                      {errors[f] && <span className="field-error">{errors[f]}</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={put.isPending}>
          Save the impact matrix
        </button>
        {done && <span role="status">{done}</span>}
      </div>
    </form>
  );
}

/** A new forecast question: resolution criteria, closing time, options (yes/no when none), release. */
export function NewQuestionForm(): ReactNode {
  const { api } = useSession();
  const qc = useQueryClient();
  const [title, setTitle] = useState('');
  const [criteria, setCriteria] = useState('');
  const [closes, setCloses] = useState('');
  const [options, setOptions] = useState('');
  const [linkSet, setLinkSet] = useState('');
  const [linkKey, setLinkKey] = useState('');
  const sets = useSets();
  const linked = useSet(linkSet || undefined);
  const [tlp, setTlp] = useState('amber');
  const [audience, setAudience] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (body: unknown) => api.post<QuestionViewT>('/api/v1/outlook/questions', body),
    onSuccess: (v) => {
      void qc.invalidateQueries({ queryKey: ['outlook'] });
      navigate('outlook', v.id);
    },
  });
  const shown = (f: string) =>
    ['title', 'resolutionCriteria', 'closesAt', 'options', 'tlp', 'audience'].includes(f) ||
    /^options\.\d+$/.test(f) ||
    f.startsWith('signpost');
  const submit = () => {
    const list = options
      .split('\n')
      .map((o) => o.trim())
      .filter(Boolean);
    // a local date and time, read in the browser's zone, sent as UTC
    const at = closes ? new Date(closes) : undefined;
    const draft = {
      title,
      resolutionCriteria: criteria,
      closesAt: at && !Number.isNaN(at.getTime()) ? at.toISOString() : closes,
      ...(list.length > 0 ? { options: list } : {}),
      ...(linkSet ? { signpost: { set: linkSet, key: linkKey } } : {}),
      tlp,
      ...(codes(audience) ? { audience: codes(audience) } : {}),
    };
    const c = check(CreateQuestionBody, draft);
    if (!c.ok) return setErrors(place(c.errors, shown));
    setErrors({});
    create.mutate(c.data, { onError: (e) => setErrors(place(serverErrors(e), shown)) });
  };
  const optionError = errors.options ?? Object.entries(errors).find(([f]) => f.startsWith('options.'))?.[1];
  const signpostError = Object.entries(errors).find(([f]) => f.startsWith('signpost'))?.[1];
  return (
    <form
      className="outlook-form card"
      aria-labelledby="new-question-h"
      data-testid="new-question"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 id="new-question-h">New forecast question</h2>
      <FormProblems errors={errors} />
      <Field label="Question" error={errors.title}>
        {(a) => <input {...a} name="title" value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label="Resolution criteria" error={errors.resolutionCriteria}>
        {(a) => <textarea {...a} rows={3} value={criteria} onChange={(e) => setCriteria(e.target.value)} />}
      </Field>
      <Field label="Closes at (your local time)" error={errors.closesAt}>
        {(a) => <input {...a} type="datetime-local" value={closes} onChange={(e) => setCloses(e.target.value)} />}
      </Field>
      <Field label="Options, one a line (blank for yes / no)" error={optionError}>
        {(a) => <textarea {...a} rows={3} value={options} onChange={(e) => setOptions(e.target.value)} />}
      </Field>
      <div className="form-row">
        <Field label="Observes a signpost of the set (optional; yes / no questions)" error={undefined}>
          {(a) => (
            <select
              {...a}
              value={linkSet}
              onChange={(e) => {
                setLinkSet(e.target.value);
                setLinkKey('');
              }}
            >
              <option value="">none</option>
              {sets.data?.items.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.title}
                </option>
              ))}
            </select>
          )}
        </Field>
        {linkSet && (
          <Field label="Signpost" error={signpostError}>
            {(a) => (
              <select {...a} value={linkKey} onChange={(e) => setLinkKey(e.target.value)}>
                <option value="">choose a signpost</option>
                {linked.data?.signposts.map((sp) => (
                  <option key={sp.key} value={sp.key}>
                    {sp.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <ReleaseFields tlp={tlp} audience={audience} onTlp={setTlp} onAudience={setAudience} errors={errors} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          Create the question
        </button>
      </div>
    </form>
  );
}

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
    mutationFn: (body: unknown) => api.post<AchViewT>('/api/v1/outlook/ach', body),
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
      api.request<AchViewT>(
        'PUT',
        `/api/v1/outlook/ach/${encodeURIComponent(v.id)}/evidence/${encodeURIComponent(k)}`,
        body,
      ),
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
