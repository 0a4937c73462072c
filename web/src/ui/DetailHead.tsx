import type { ReactNode } from 'react';

/** The heading of a detail page: title, one muted line of facts, and an optional side (badges, deadline). */
export function DetailHead({
  title,
  meta,
  children,
}: {
  title: string;
  meta: ReactNode;
  children?: ReactNode;
}): ReactNode {
  return (
    <header className="detail-head">
      <div>
        <h2>{title}</h2>
        <p className="muted small">{meta}</p>
      </div>
      {children}
    </header>
  );
}
