import type { ReactNode } from 'react';

/** A wide table that scrolls sideways on a phone; focusable, so that the keyboard scrolls it too. */
export function TableScroll({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    // a scrolling region must take focus (WCAG 2.1.1)
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
