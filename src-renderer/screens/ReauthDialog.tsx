import { useEffect, useRef, useState, type FormEvent } from 'react';
import { call, type Failure } from '../api';
import { Problem } from './Problem';

/** Asks for password and code again before a sensitive act (API keys, providers, roles). */
export function ReauthDialog({ onDone }: { onDone: (confirmed: boolean) => void }) {
  const [problem, setProblem] = useState<Failure | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const code = String(form.get('code') ?? '').trim();
    const r = await call('session.reauth', { password: String(form.get('password') ?? ''), ...(code ? { code } : {}) });
    if (!r.ok) return setProblem(r.error);
    onDone(true);
  }
  return (
    <div className="backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="reauth-title" className="dialog" onKeyDown={(e) => e.key === 'Escape' && onDone(false)}>
        <h2 id="reauth-title">Confirm it is you</h2>
        <p>This is a sensitive change. Enter your password and a code from your authenticator app.</p>
        <Problem failure={problem} />
        <form onSubmit={(e) => void submit(e)}>
          <label htmlFor="reauth-password">Password</label>
          <input id="reauth-password" ref={first} name="password" type="password" autoComplete="current-password" required />
          <label htmlFor="reauth-code">Code from your authenticator app</label>
          <input id="reauth-code" name="code" inputMode="numeric" autoComplete="one-time-code" />
          <button type="submit">Confirm</button>{' '}
          <button type="button" onClick={() => onDone(false)}>
            Cancel
          </button>
        </form>
      </div>
    </div>
  );
}
