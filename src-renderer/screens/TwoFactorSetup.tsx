import { useEffect, useState, type FormEvent } from 'react';
import type { ChannelOutput } from '../../src-preload/contract/index';
import { call, type Failure } from '../api';
import { Problem } from './Problem';

/** TOTP enrolment: scan the QR code (or type the secret), confirm with a code, keep the recovery codes. */
export function TwoFactorSetup({ onDone }: { onDone: () => void }) {
  const [enrolment, setEnrolment] = useState<ChannelOutput<'twoFactor.begin'> | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<Failure | null>(null);
  useEffect(() => {
    void call('twoFactor.begin', {}).then((r) => (r.ok ? setEnrolment(r.value) : setProblem(r.error)));
  }, []);
  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const r = await call('twoFactor.confirm', { code: String(new FormData(event.currentTarget).get('code') ?? '') });
    if (!r.ok) return setProblem(r.error);
    setProblem(null);
    setCodes(r.value.recoveryCodes);
  }
  if (codes) {
    return (
      <main className="sign-in">
        <h1>Keep your recovery codes</h1>
        <p>Each code signs you in once if you lose your authenticator. Store them somewhere safe; they are not shown again.</p>
        <ul className="codes" aria-label="Recovery codes">
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" onClick={onDone}>
          I have stored them
        </button>
      </main>
    );
  }
  return (
    <main className="sign-in">
      <h1>Set up two-factor authentication</h1>
      <Problem failure={problem} />
      {enrolment && (
        <>
          <p>Scan this code with your authenticator app, or enter the secret by hand.</p>
          <img src={enrolment.qr} alt="QR code for your authenticator app" width={220} height={220} />
          <p>
            Secret: <code className="secret">{enrolment.secret}</code>
          </p>
          <form onSubmit={(e) => void confirm(e)}>
            <label htmlFor="enrol-code">Code from the app</label>
            <input id="enrol-code" name="code" inputMode="numeric" autoComplete="one-time-code" required />
            <button type="submit">Turn on two-factor</button>
          </form>
        </>
      )}
    </main>
  );
}
