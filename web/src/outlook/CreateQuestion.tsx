/** Creating a forecast question, checked by the wire schema before it is sent (forms.ts). */
import { useState, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useSession } from '../app/context.tsx';
import { navigate } from '../app/router.ts';
import { CreateQuestionBody, type QuestionViewT } from '../../../src/contexts/outlook/outlook.schema.ts';
import { check, codes, place, serverErrors, type FieldErrors } from './forms.ts';
import { useSet, useSets } from './api.ts';
import { Field, FormProblems, ReleaseFields } from './form-fields.tsx';
import { OUTLOOK_API } from './api.ts';

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
    mutationFn: (body: unknown) => api.post<QuestionViewT>(`${OUTLOOK_API}/questions`, body),
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
