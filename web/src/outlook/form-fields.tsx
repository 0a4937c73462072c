/** Form pieces the outlook's creation forms share: a labelled field with its error, the list of
 * problems no field shows, and the TLP/audience pair. */
import { useId, type ReactNode } from 'react';
import { TLP_LEVELS } from '../../../src/kernel/access/tlp.ts';
import { FORM, type FieldErrors } from './forms.ts';

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
