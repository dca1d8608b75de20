import { useState, type FormEvent } from 'react';
import { call, type Failure } from '../api';
import { Problem } from './Problem';

/** Password, then the second factor (authenticator code or a recovery code) when the account has 2FA. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [problem, setProblem] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    const result =
      step === 'password'
        ? await call('session.signIn', { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') })
        : await call('session.verify', { code: String(form.get('code') ?? '') });
    setBusy(false);
    if (!result.ok) return setProblem(result.error);
    setProblem(null);
    if (result.value.stage === 'mfa') setStep('code');
    else onSignedIn();
  }

  return (
    <main className="sign-in">
      <h1>Sign in to Cairn</h1>
      <Problem failure={problem} />
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        {step === 'password' ? (
          <>
            <label htmlFor="email">E-mail address</label>
            <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </>
        ) : (
          <>
            <label htmlFor="code">Code from your authenticator app (or a recovery code)</label>
            <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" required autoFocus />
          </>
        )}
        <button type="submit" disabled={busy}>
          {step === 'password' ? 'Continue' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
