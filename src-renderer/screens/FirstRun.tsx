import { useEffect, useState, type FormEvent } from 'react';
import type { ChannelOutput } from '../../src-preload/contract/index';
import { call, type Failure } from '../api';
import { Problem } from './Problem';

type Assessment = ChannelOutput<'password.assess'>;
const STRENGTH = ['Too guessable', 'Very guessable', 'Somewhat guessable', 'Safely unguessable', 'Very unguessable'];

/** The policy's verdict as the password is typed: main checks it with the same code that will enforce it. */
export function PasswordMeter({ password, email, name }: { password: string; email: string; name: string }) {
  const [assessment, setAssessment] = useState<Assessment | null>(null);
  useEffect(() => {
    if (password === '') return setAssessment(null);
    let live = true;
    const timer = setTimeout(() => void call('password.assess', { password, email, name }).then((r) => live && r.ok && setAssessment(r.value)), 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [password, email, name]);
  if (!assessment) return <p className="hint" id="password-help">At least 12 characters; a few unrelated words work well.</p>;
  return (
    <div id="password-help" aria-live="polite" className="meter">
      {assessment.score !== null && <meter min={0} max={4} value={assessment.score} aria-label="Password strength" />}
      <p className={assessment.acceptable ? 'ok' : 'problem'}>
        {assessment.acceptable ? `${STRENGTH[assessment.score ?? 0]}: accepted.` : `Not accepted: ${assessment.problem ?? ''}`}
      </p>
      {assessment.warning && <p className="hint">{assessment.warning}</p>}
    </div>
  );
}

/** There is no account yet: create the first Administrator, who enrols 2FA next. */
export function FirstRun({ onCreated }: { onCreated: () => void }) {
  const [fields, setFields] = useState({ name: '', email: '', password: '' });
  const [problem, setProblem] = useState<Failure | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const r = await call('setup.createAdministrator', fields);
    if (!r.ok) return setProblem(r.error);
    onCreated();
  }
  const set = (key: keyof typeof fields) => (e: { target: { value: string } }) => setFields({ ...fields, [key]: e.target.value });
  return (
    <main className="sign-in">
      <h1>Set up Cairn</h1>
      <p>There is no account yet. Create the first Administrator; you will set up two-factor authentication next.</p>
      <Problem failure={problem} />
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="setup-name">Your name</label>
        <input id="setup-name" value={fields.name} onChange={set('name')} required maxLength={120} autoComplete="name" />
        <label htmlFor="setup-email">E-mail address</label>
        <input id="setup-email" type="email" value={fields.email} onChange={set('email')} required autoComplete="username" />
        <label htmlFor="setup-password">Password</label>
        <input id="setup-password" type="password" value={fields.password} onChange={set('password')} required autoComplete="new-password" aria-describedby="password-help" />
        <PasswordMeter password={fields.password} email={fields.email} name={fields.name} />
        <button type="submit">Create Administrator</button>
      </form>
    </main>
  );
}
