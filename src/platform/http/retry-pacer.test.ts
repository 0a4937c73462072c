import { describe, expect, it } from 'vitest';
import { RetryPacer } from './retry-pacer.ts';

describe('RetryPacer', () => {
  let t = 0;
  const pacer = () => {
    t = 0;
    return new RetryPacer(() => t, 1000, 60);
  };
  const window = (p: RetryPacer, admitted: number, refused: number): number => {
    let last = 0;
    for (let i = 0; i < admitted; i++) p.admit();
    for (let i = 0; i < refused; i++) last = p.refuse(1);
    t += 1000;
    return last;
  };

  it('tells refused clients to wait longer while refusals outnumber admissions, and less once they do not', () => {
    const p = pacer();
    expect(window(p, 10, 100)).toBe(1);
    // 100 refused, served at 10 a window: ten times the wait they were told.
    expect(window(p, 10, 10)).toBe(10);
    expect(window(p, 10, 50)).toBe(10);
    expect(p.wait).toBe(50);
    // At most a minute.
    expect(window(p, 1, 100)).toBe(50);
    expect(p.wait).toBe(60);
    // A window with fewer refusals than admissions shortens it; one without refusals ends it.
    window(p, 60, 30);
    expect(p.wait).toBe(30);
    window(p, 10, 0);
    expect(p.wait).toBe(1);
  });

  it('never says less than the queue estimates; an idle spell starts again from 1 s', () => {
    const p = pacer();
    expect(p.refuse(7.2)).toBe(8);
    expect(p.refuse(500)).toBe(60);
    window(p, 1, 20);
    expect(p.refuse(1)).toBe(22);
    t += 5000;
    expect(p.refuse(1)).toBe(1);
  });
});
