import type { ReactNode } from 'react';
import { ApiError, describeError } from '../api/client.ts';

export function Loading({ what }: { what: string }): ReactNode {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

/** The explicit error state of every panel; a missing route reads as "not available". */
export function ErrorState({
  error,
  what,
  onRetry,
}: {
  error: unknown;
  what: string;
  onRetry?: () => void;
}): ReactNode {
  if (error instanceof ApiError && error.routeMissing) {
    return (
      <div className="state state-unavailable" role="status" data-testid="not-available">
        <strong>{what}: not available</strong>
        <p>
          This server does not offer {what.toLowerCase()} yet ({error.message}). The panel will work as soon as it does.
        </p>
        {onRetry && (
          <button type="button" onClick={onRetry}>
            Check again
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="state state-error" role="alert">
      <strong>{what} could not be loaded</strong>
      <p>{describeError(error)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }): ReactNode {
  return <div className="state state-empty">{children}</div>;
}

export function FormError({ error }: { error: unknown }): ReactNode {
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      {error instanceof ApiError && error.routeMissing
        ? `Not available on this server yet (${error.message}).`
        : describeError(error)}
    </div>
  );
}
