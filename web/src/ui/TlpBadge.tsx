import type { ReactNode } from 'react';
import { tlpColour } from '../app/theme.ts';

export function TlpBadge({ tlp }: { tlp: string }): ReactNode {
  const c = tlpColour[tlp] ?? tlpColour.red!;
  return (
    <span className="tlp" style={{ background: c.bg, color: c.fg }} title={`Traffic Light Protocol: ${tlp}`}>
      TLP:{tlp.toUpperCase()}
    </span>
  );
}
