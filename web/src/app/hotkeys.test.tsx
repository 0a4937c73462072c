// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { useHotkeys } from './hotkeys.ts';

afterEach(cleanup);

function Keys({ keys }: { keys: Record<string, () => void> }): ReactNode {
  useHotkeys(keys);
  return <input aria-label="field" />;
}

describe('useHotkeys', () => {
  it('calls the handlers of the latest render, for single keys and "g then key"', () => {
    const seen: string[] = [];
    const keys = (tag: string): Record<string, () => void> => ({
      n: () => seen.push(`${tag}:n`),
      'g i': () => seen.push(`${tag}:g i`),
    });
    const { rerender, getByLabelText } = render(<Keys keys={keys('first')} />);
    fireEvent.keyDown(window, { key: 'n' });
    rerender(<Keys keys={keys('second')} />);
    fireEvent.keyDown(window, { key: 'n' });
    fireEvent.keyDown(window, { key: 'g' });
    fireEvent.keyDown(window, { key: 'i' });
    // typing in a field and modifier chords are left alone
    fireEvent.keyDown(getByLabelText('field'), { key: 'n' });
    fireEvent.keyDown(window, { key: 'n', ctrlKey: true });
    expect(seen).toEqual(['first:n', 'second:n', 'second:g i']);
  });
});
