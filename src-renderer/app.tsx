import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { ChannelOutput } from '../src-preload/contract/index';
import { call, setReauthPrompt } from './api';
import { Audit } from './screens/Audit';
import { Components } from './screens/Components';
import { ReauthDialog } from './screens/ReauthDialog';
import { Settings } from './screens/Settings';
import { Users } from './screens/Users';
import { ApiKeys } from './screens/ApiKeys';
import { Dashboard } from './screens/Dashboard';
import { Deliveries } from './screens/Deliveries';
import { Incidents } from './screens/Incidents';
import { Maintenance } from './screens/Maintenance';
import { Metrics } from './screens/Metrics';
import { Subscribers } from './screens/Subscribers';
import { FirstRun } from './screens/FirstRun';
import { SignIn } from './screens/SignIn';
import { TwoFactorSetup } from './screens/TwoFactorSetup';

type Info = ChannelOutput<'app.info'>;
type Session = ChannelOutput<'session.state'>;

/** The screens, each shown only to those holding what it needs (main and the core check again). */
const SCREENS: readonly { id: string; label: string; needs: readonly string[]; render: (can: (p: string) => boolean) => ReactNode }[] = [
  { id: 'dashboard', label: 'Dashboard', needs: ['incidents.read'], render: (can) => <Dashboard can={can} /> },
  { id: 'incidents', label: 'Incidents', needs: ['incidents.read'], render: (can) => <Incidents can={can} /> },
  { id: 'components', label: 'Components', needs: ['components.read'], render: (can) => <Components canWrite={can('components.write')} /> },
  { id: 'maintenance', label: 'Maintenance', needs: ['maintenance.read'], render: (can) => <Maintenance canWrite={can('maintenance.write')} /> },
  { id: 'metrics', label: 'Metrics', needs: ['metrics.read'], render: () => <Metrics /> },
  { id: 'subscribers', label: 'Subscribers', needs: ['subscribers.read'], render: (can) => <Subscribers canWrite={can('subscribers.write')} /> },
  { id: 'deliveries', label: 'Deliveries', needs: ['notifications.manage'], render: () => <Deliveries /> },
  { id: 'keys', label: 'API keys', needs: ['apikeys.manage'], render: () => <ApiKeys /> },
  { id: 'users', label: 'Users', needs: ['users.read'], render: (can) => <Users canManage={can('users.manage')} canReview={can('users.manage') || can('audit.review')} /> },
  { id: 'audit', label: 'Audit log', needs: ['audit.read'], render: () => <Audit /> },
  { id: 'settings', label: 'Settings', needs: ['settings.manage', 'notifications.manage'], render: (can) => <Settings canSite={can('settings.manage')} canNotifications={can('notifications.manage')} /> },
];

export function App() {
  const [info, setInfo] = useState<Info | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [screen, setScreen] = useState<string>('dashboard');
  const [reauth, setReauth] = useState<((confirmed: boolean) => void) | null>(null);
  const refresh = useCallback(() => {
    void call('session.state', {}).then((r) => setSession(r.ok ? r.value : { stage: 'anonymous', firstRun: false, user: null }));
  }, []);
  const [locked, setLocked] = useState<string | null>(null);
  const idleMinutes = session?.stage === 'full' ? session.user?.idleLockMinutes : undefined;
  // Idle lock: no key or pointer input for the policy's idle time signs this window out.
  useEffect(() => {
    if (idleMinutes === undefined) return;
    let last = Date.now();
    const touch = () => void (last = Date.now());
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    events.forEach((e) => window.addEventListener(e, touch, { passive: true }));
    const timer = setInterval(() => {
      if (Date.now() - last < idleMinutes * 60_000) return;
      setLocked(`Locked after ${idleMinutes} minutes without activity. Sign in again.`);
      void call('session.signOut', {}).then(refresh);
    }, 15_000);
    return () => {
      clearInterval(timer);
      events.forEach((e) => window.removeEventListener(e, touch));
    };
  }, [idleMinutes, refresh]);
  useEffect(() => {
    setReauthPrompt(() => new Promise<boolean>((resolve) => setReauth(() => resolve)));
    return () => setReauthPrompt(null);
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
          <>
            {locked && (
              <p className="notice" role="status">
                {locked}
              </p>
            )}
            <SignIn onSignedIn={() => (setLocked(null), refresh())} />
          </>
        )}
      </>
    );
  }
  const { user } = session;
  const can = (permission: string) => user.permissions.includes(permission);
  const visible = SCREENS.filter((s) => s.needs.some(can));
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
      <main>{current ? current.render(can) : <p>Your roles give no access to the console&apos;s screens. Ask an Administrator.</p>}</main>
      {reauth && (
        <ReauthDialog
          onDone={(confirmed) => {
            reauth(confirmed);
            setReauth(null);
          }}
        />
      )}
    </>
  );
}
