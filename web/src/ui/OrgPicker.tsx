import type { ReactNode } from 'react';
import type { Member } from '../api/types.ts';

/** Toggle buttons for organisation codes, members then partners; keyboard: Tab + Space. */
export function OrgPicker({
  orgs,
  value,
  onChange,
  label,
  testId,
}: {
  orgs: readonly Member[];
  value: string[];
  onChange: (codes: string[]) => void;
  label: string;
  testId?: string;
}): ReactNode {
  const toggle = (code: string): void =>
    onChange(value.includes(code) ? value.filter((c) => c !== code) : [...value, code].sort());
  const group = (kind: 'member' | 'partner'): ReactNode => (
    <div className="org-group">
      {orgs
        .filter((o) => o.kind === kind)
        .map((o) => (
          <button
            key={o.code}
            type="button"
            className={`org-toggle ${kind}`}
            aria-pressed={value.includes(o.code)}
            title={o.name}
            onClick={() => toggle(o.code)}
            data-code={o.code}
          >
            {o.code}
          </button>
        ))}
    </div>
  );
  return (
    <div className="org-picker" role="group" aria-label={label} data-testid={testId}>
      {group('member')}
      <span className="muted small">partners</span>
      {group('partner')}
    </div>
  );
}
