import { useEffect, useState, type ReactNode } from 'react';
import { countdown } from './countdown.ts';
import { formatWhen } from '../app/dates.ts';

/** Ticks once a second; the text is announced politely to screen readers once a minute at most. */
export function Countdown({ deadline, onPassed }: { deadline: string; onPassed?: () => void }): ReactNode {
  const [now, setNow] = useState(() => Date.now());
  const c = countdown(deadline, now);
  useEffect(() => {
    if (c.urgency === 'passed') return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [c.urgency]);
  useEffect(() => {
    if (c.urgency === 'passed' && onPassed) {
      // the server settles within a second of the deadline
      const t = setTimeout(onPassed, 1500);
      return () => clearTimeout(t);
    }
  }, [c.urgency, onPassed]);
  return (
    <time
      className={`countdown ${c.urgency}`}
      dateTime={deadline}
      title={`silence ends ${formatWhen(deadline)}`}
      data-testid="countdown"
    >
      {c.text}
    </time>
  );
}
