import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { visibleWindow } from './virtual.ts';

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  keyOf: (item: T) => string;
  renderRow: (item: T, index: number, selected: boolean) => ReactNode;
  selectedKey?: string | undefined;
  onSelect?: (item: T) => void;
  /** Called when the last rows come into view (load the next page). */
  onEndReached?: () => void;
  label: string;
  overscan?: number;
}

/**
 * A windowed list: only the rows in view (plus overscan) are in the DOM, so 10,000 rows scroll
 * as smoothly as 20. Keyboard: ↑/↓ or j/k move, Home/End jump, Enter opens.
 */
export function VirtualList<T>(p: VirtualListProps<T>): ReactNode {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [cursor, setCursor] = useState(0);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight || 600);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || 600));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const win = visibleWindow({
    count: p.items.length,
    rowHeight: p.rowHeight,
    scrollTop,
    viewport: height,
    overscan: p.overscan ?? 8,
  });
  const { onEndReached } = p;
  useEffect(() => {
    if (onEndReached && p.items.length > 0 && win.end >= p.items.length - 1) onEndReached();
  }, [win.end, p.items.length, onEndReached]);

  const scrollTo = useCallback(
    (i: number) => {
      const el = ref.current;
      if (!el) return;
      const top = i * p.rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + p.rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + p.rowHeight - el.clientHeight;
    },
    [p.rowHeight],
  );

  const move = (i: number): void => {
    const n = Math.max(0, Math.min(p.items.length - 1, i));
    setCursor(n);
    scrollTo(n);
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const page = Math.max(1, Math.floor(height / p.rowHeight) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(cursor + 1),
      j: () => move(cursor + 1),
      ArrowUp: () => move(cursor - 1),
      k: () => move(cursor - 1),
      PageDown: () => move(cursor + page),
      PageUp: () => move(cursor - page),
      Home: () => move(0),
      End: () => move(p.items.length - 1),
      Enter: () => {
        const it = p.items[cursor];
        if (it && p.onSelect) p.onSelect(it);
      },
    };
    const h = keys[e.key];
    if (h) {
      e.preventDefault();
      h();
    }
  };

  const rows: ReactNode[] = [];
  for (let i = win.start; i < win.end; i++) {
    const item = p.items[i]!;
    const key = p.keyOf(item);
    const selected = key === p.selectedKey;
    rows.push(
      <div
        key={key}
        role="option"
        aria-selected={selected}
        id={`row-${i}`}
        className={`vrow${selected ? ' selected' : ''}${i === cursor ? ' cursor' : ''}`}
        style={{ top: i * p.rowHeight, height: p.rowHeight }}
        onClick={() => {
          setCursor(i);
          p.onSelect?.(item);
        }}
      >
        {p.renderRow(item, i, selected)}
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      className="vlist"
      role="listbox"
      tabIndex={0}
      aria-label={p.label}
      aria-activedescendant={p.items.length ? `row-${cursor}` : undefined}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKey}
    >
      <div className="vlist-inner" style={{ height: p.items.length * p.rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
