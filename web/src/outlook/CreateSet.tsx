/**
 * Creating a scenario set (scenarios with priors, TLP and audience), its signposts (a likelihood per
 * scenario) and its impact matrix. Each draft is checked by the wire schema before it is sent, and the
 * server's refusal is shown beside the field it names (forms.ts).
 */
import { useState, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { navigate } from '../app/router.ts';
import {
  CreateSetBody,
  SignpostBody,
  type PostureViewT,
  type SetViewT,
} from '../../../src/contexts/outlook/outlook.schema.ts';
import { check, codes, keyOf, num, place, serverErrors, type FieldErrors } from './forms.ts';
import { pct } from './logic.ts';
import { Field, FormProblems, ReleaseFields } from './form-fields.tsx';
import { OUTLOOK_API, outlookAt } from './api.ts';

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
    mutationFn: (body: unknown) => api.post<SetViewT>(`${OUTLOOK_API}/scenario-sets`, body),
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
    mutationFn: (body: unknown) => api.post<unknown>(outlookAt('scenario-sets', set.id, '/signposts'), body),
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
    mutationFn: (body: unknown) =>
      api.request<PostureViewT>('PUT', outlookAt('scenario-sets', set.id, '/impacts'), body),
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
