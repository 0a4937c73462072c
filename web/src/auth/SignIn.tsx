import { useState, type FormEvent, type ReactNode } from 'react';

export function SignIn({
  onSubmit,
  message,
  busy,
}: {
  onSubmit: (token: string) => void;
  message: string | null;
  busy: boolean;
}): ReactNode {
  const [token, setToken] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (token.trim()) onSubmit(token);
  };
  return (
    <main className="signin">
      <form className="signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Bulwark
        </h1>
        <p className="muted">Analyst console: hybrid-threat sharing, treaty assessment and council decisions.</p>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          placeholder="bwk_…"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby="token-help"
          aria-invalid={message ? true : undefined}
        />
        <p id="token-help" className="hint">
          Your administrator issues tokens (<code>bulwark user add</code> or the Admin panel). It is exchanged for a
          session that every tab of this browser shares until you sign out; the token itself is not kept.
        </p>
        {message && (
          <div className="form-error" role="alert" data-testid="signin-error">
            {message}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
