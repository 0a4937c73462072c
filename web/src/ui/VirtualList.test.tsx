// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/react';
import { VirtualList } from './VirtualList.tsx';
import { visibleWindow } from './virtual.ts';

afterEach(cleanup);

describe('visibleWindow', () => {
  it('covers the viewport plus overscan and clamps to the list', () => {
    expect(visibleWindow({ count: 10_000, rowHeight: 30, scrollTop: 3000, viewport: 600, overscan: 5 })).toEqual({
      start: 95,
      end: 126,
    });
    expect(visibleWindow({ count: 3, rowHeight: 30, scrollTop: 0, viewport: 600, overscan: 5 })).toEqual({
      start: 0,
      end: 3,
    });
    expect(visibleWindow({ count: 0, rowHeight: 30, scrollTop: 0, viewport: 600, overscan: 5 })).toEqual({
      start: 0,
      end: 0,
    });
  });
});

describe('VirtualList', () => {
  const items = Array.from({ length: 10_000 }, (_, i) => ({ id: `incident--${i}`, title: `Incident ${i}` }));

  it('renders only a window of 10,000 rows and opens one with the keyboard', () => {
    const opened: string[] = [];
    const { container, getByRole } = render(
      <VirtualList
        items={items}
        rowHeight={30}
        keyOf={(i) => i.id}
        label="incidents"
        renderRow={(i) => <span>{i.title}</span>}
        onSelect={(i) => opened.push(i.id)}
      />,
    );
    expect(container.querySelectorAll('[role=option]').length).toBeLessThan(60);
    const list = getByRole('listbox');
    fireEvent.keyDown(list, { key: 'j' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'Enter' });
    expect(opened).toEqual(['incident--2']);
  });

  it('asks for the next page when the end comes into view', () => {
    let asked = 0;
    render(
      <VirtualList
        items={items.slice(0, 5)}
        rowHeight={30}
        keyOf={(i) => i.id}
        label="x"
        renderRow={(i) => i.title}
        onEndReached={() => asked++}
      />,
    );
    expect(asked).toBeGreaterThan(0);
  });
});
