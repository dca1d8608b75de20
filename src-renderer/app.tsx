import { useCallback, useEffect, useState } from 'react';
import type { ChannelOutput } from '../src-preload/contract/index';
import { call } from './api';
import { ApiKeys } from './screens/ApiKeys';
import { Dashboard } from './screens/Dashboard';
import { Deliveries } from './screens/Deliveries';
import { Incidents } from './screens/Incidents';
import { FirstRun } from './screens/FirstRun';
import { SignIn } from './screens/SignIn';
import { TwoFactorSetup } from './screens/TwoFactorSetup';

type Info = ChannelOutput<'app.info'>;
type Session = ChannelOutput<'session.state'>;

/** The screens, each shown only to those holding what it needs (main and the core check again). */
const SCREENS = [
  { id: 'dashboard', label: 'Dashboard', needs: 'incidents.read', render: () => <Dashboard /> },
  { id: 'incidents', label: 'Incidents', needs: 'incidents.read', render: () => <Incidents /> },
  { id: 'deliveries', label: 'Deliveries', needs: 'notifications.manage', render: () => <Deliveries /> },
  { id: 'keys', label: 'API keys', needs: 'apikeys.manage', render: () => <ApiKeys /> },
] as const;

export function App() {
  const [info, setInfo] = useState<Info | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [screen, setScreen] = useState<string>('dashboard');

  const refresh = useCallback(() => {
    void call('session.state', {}).then((r) => setSession(r.ok ? r.value : { stage: 'anonymous', firstRun: false, user: null }));
  }, []);
  useEffect(() => {
    void call('app.info', {}).then((r) => r.ok && setInfo(r.value));
    refresh();
  }, [refresh]);

  const banner = info?.mode === 'development' && (
    <div className="mode-development" role="alert">
      Development mode
    </div>
  );
  if (!session) return banner || null;
  if (session.stage !== 'full' || !session.user) {
    return (
      <>
        {banner}
        {session.stage === 'setup' && session.user && !session.user.twoFactorEnabled ? (
          <TwoFactorSetup onDone={refresh} />
        ) : session.stage === 'setup' ? (
          <main>
            <h1>Finish setting up your account</h1>
            <p role="alert">Your account must change its temporary password first: run `cairn user` or ask an Administrator, then sign in again.</p>
          </main>
        ) : session.firstRun ? (
          <FirstRun onCreated={refresh} />
        ) : (
          <SignIn onSignedIn={refresh} />
        )}
      </>
    );
  }
  const { user } = session;
  const visible = SCREENS.filter((s) => user.permissions.includes(s.needs));
  const current = visible.find((s) => s.id === screen) ?? visible[0];
  return (
    <>
      {banner}
      <header className="console">
        <span className="brand">Cairn</span>
        <nav aria-label="Console">
          {visible.map((s) => (
            <button key={s.id} type="button" aria-current={current?.id === s.id ? 'page' : undefined} onClick={() => setScreen(s.id)}>
              {s.label}
            </button>
          ))}
        </nav>
        <span className="who">{user.name}</span>
        <button type="button" onClick={() => void call('session.signOut', {}).then(refresh)}>
          Sign out
        </button>
      </header>
      <main>{current ? current.render() : <p>Your roles give no access to the console's screens. Ask an Administrator.</p>}</main>
    </>
  );
}
