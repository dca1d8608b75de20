import { useEffect, useState, type FormEvent } from 'react';
import { call, useChannel, type Failure } from '../api';
import { Problem } from './Problem';

/** Site settings, and the notification providers (each off until configured and turned on). */
export function Settings({ canSite, canNotifications }: { canSite: boolean; canNotifications: boolean }) {
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {canSite && <SiteSettings />}
      {canSite && <SecurityPolicy />}
      {canNotifications && <Providers />}
    </section>
  );
}

function SiteSettings() {
  const { data, error } = useChannel('settings.get', {});
  const [fields, setFields] = useState({ siteName: '', about: '', timezone: '', accentColor: '' });
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<Failure | null>(null);
  const [saved, setSaved] = useState(false);
  // Filled from the store once: a later reload (status.changed) must not overwrite what is being typed.
  useEffect(() => {
    if (data && !loaded) {
      setFields(data);
      setLoaded(true);
    }
  }, [data, loaded]);
  if (!loaded) return <Problem failure={error} />;
  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const r = await call('settings.update', fields);
    setProblem(r.ok ? null : r.error);
    setSaved(r.ok);
  }
  const set = (key: keyof typeof fields) => (e: { target: { value: string } }) => (setFields({ ...fields, [key]: e.target.value }), setSaved(false));
  return (
    <form onSubmit={(e) => void save(e)} aria-labelledby="site-title">
      <h3 id="site-title">Status page</h3>
      <Problem failure={problem} />
      {saved && <p role="status">Saved.</p>}
      <label htmlFor="site-name">Site name</label>
      <input id="site-name" value={fields.siteName} onChange={set('siteName')} required maxLength={120} />
      <label htmlFor="site-about">About (Markdown)</label>
      <textarea id="site-about" value={fields.about} onChange={set('about')} rows={3} maxLength={5000} />
      <label htmlFor="site-timezone">Timezone</label>
      <input id="site-timezone" value={fields.timezone} onChange={set('timezone')} maxLength={64} />
      <label htmlFor="site-accent">Accent colour (light theme)</label>
      <input id="site-accent" value={fields.accentColor} onChange={set('accentColor')} maxLength={7} />
      <button type="submit">Save settings</button>
    </form>
  );
}

/** The security policy's main settings; changing it asks for password and code again. */
function SecurityPolicy() {
  const { data, error } = useChannel('security.get', {});
  const [policy, setPolicy] = useState<NonNullable<typeof data> | null>(null);
  const [problem, setProblem] = useState<Failure | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    // Once, as above: a reload must not overwrite a change being made.
    if (data) setPolicy((current) => current ?? data);
  }, [data]);
  if (!policy) return <Problem failure={error} />;
  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!policy) return;
    const r = await call('security.update', policy);
    setProblem(r.ok ? null : r.error);
    setSaved(r.ok);
  }
  const number = (key: 'passwordMinLength' | 'sessionIdleMinutes' | 'apiKeyMaxLifetimeDays') => (e: { target: { value: string } }) => (setPolicy({ ...policy, [key]: Number(e.target.value) }), setSaved(false));
  return (
    <form onSubmit={(e) => void save(e)} aria-labelledby="policy-title">
      <h3 id="policy-title">Security policy</h3>
      <Problem failure={problem} />
      {saved && <p role="status">Policy saved.</p>}
      <label htmlFor="policy-2fa">Two-factor authentication required for</label>
      <select id="policy-2fa" value={policy.require2fa} onChange={(e) => (setPolicy({ ...policy, require2fa: e.target.value as 'all' }), setSaved(false))}>
        <option value="all">everyone</option>
        <option value="admins">holders of administrative permissions</option>
        <option value="off">nobody (not recommended)</option>
      </select>
      <label htmlFor="policy-length">Minimum password length</label>
      <input id="policy-length" type="number" min={8} max={64} value={policy.passwordMinLength} onChange={number('passwordMinLength')} />
      <label htmlFor="policy-idle">Sign out (and lock the console) after this many idle minutes</label>
      <input id="policy-idle" type="number" min={5} max={1440} value={policy.sessionIdleMinutes} onChange={number('sessionIdleMinutes')} />
      <label htmlFor="policy-keys">Longest API key lifetime (days)</label>
      <input id="policy-keys" type="number" min={1} max={3650} value={policy.apiKeyMaxLifetimeDays} onChange={number('apiKeyMaxLifetimeDays')} />
      <label className="inline">
        <input type="checkbox" checked={policy.twoPersonRule} onChange={(e) => (setPolicy({ ...policy, twoPersonRule: e.target.checked }), setSaved(false))} /> Two-person rule: a second
        person approves incidents before they are public
      </label>
      <div>
        <button type="submit">Save policy</button>
      </div>
    </form>
  );
}

/** A provider's settings; its credential is sent once to main, which keeps it in the OS keychain. */
function ConfigureProvider({ onSaved }: { onSaved: () => void }) {
  const [kind, setKind] = useState<'smtp' | 'webhook' | 'slack'>('webhook');
  const [problem, setProblem] = useState<Failure | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const text = (name: string) => String(f.get(name) ?? '');
    const r = await call(
      'notifications.configure',
      kind === 'smtp'
        ? { kind, host: text('host'), port: Number(text('port') || 587), security: text('security') as 'starttls', username: text('username'), ...(text('password') ? { password: text('password') } : {}), fromAddress: text('fromAddress'), fromName: text('fromName') }
        : kind === 'webhook'
          ? { kind, url: text('url'), ...(text('secret') ? { secret: text('secret') } : {}) }
          : { kind, url: text('url') },
    );
    setProblem(r.ok ? null : r.error);
    if (r.ok) {
      setSecret(r.value.generatedSecret);
      event.currentTarget?.reset();
      onSaved();
    }
  }
  return (
    <form className="composer" onSubmit={(e) => void save(e)} aria-label="Configure a provider">
      <label htmlFor="provider-kind">Configure</label>
      <select id="provider-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
        <option value="webhook">signed webhook</option>
        <option value="smtp">e-mail (SMTP)</option>
        <option value="slack">Slack</option>
      </select>
      <Problem failure={problem} />
      {secret && (
        <p role="status">
          Signing secret (shown once; give it to the receiver): <code className="secret">{secret}</code>
        </p>
      )}
      {kind === 'smtp' ? (
        <>
          <label htmlFor="smtp-host">Mail server</label>
          <input id="smtp-host" name="host" required />
          <label htmlFor="smtp-port">Port</label>
          <input id="smtp-port" name="port" type="number" defaultValue={587} />
          <label htmlFor="smtp-security">Security</label>
          <select id="smtp-security" name="security" defaultValue="starttls">
            <option value="starttls">STARTTLS (required)</option>
            <option value="tls">TLS</option>
            <option value="none">none (a relay on this machine only)</option>
          </select>
          <label htmlFor="smtp-username">Username</label>
          <input id="smtp-username" name="username" autoComplete="off" />
          <label htmlFor="smtp-password">Password (kept in the OS keychain)</label>
          <input id="smtp-password" name="password" type="password" autoComplete="new-password" />
          <label htmlFor="smtp-from">Sender address</label>
          <input id="smtp-from" name="fromAddress" type="email" required />
          <label htmlFor="smtp-name">Sender name</label>
          <input id="smtp-name" name="fromName" required />
        </>
      ) : (
        <>
          <label htmlFor="hook-url">{kind === 'slack' ? 'Slack incoming-webhook URL (kept in the OS keychain)' : 'Webhook URL (https)'}</label>
          <input id="hook-url" name="url" type={kind === 'slack' ? 'password' : 'url'} required />
          {kind === 'webhook' && (
            <>
              <label htmlFor="hook-secret">Signing secret (leave empty to have one made)</label>
              <input id="hook-secret" name="secret" type="password" autoComplete="new-password" />
            </>
          )}
        </>
      )}
      <button type="submit">Save and turn on</button>
    </form>
  );
}

function Providers() {
  const { data, error, reload } = useChannel('notifications.get', {});
  const [problem, setProblem] = useState<Failure | null>(null);
  return (
    <section aria-labelledby="providers-title">
      <h3 id="providers-title">Notification providers</h3>
      <p className="hint">Every provider is off until configured here (or with `cairn notifications`); credentials go to the OS keychain. Changes ask you to confirm it is you.</p>
      <Problem failure={error ?? problem} />
      {data && (
        <table aria-label="Notification providers">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Sends to</th>
              <th scope="col">Credential</th>
              <th scope="col">State</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {data.providers.map((p) => (
              <tr key={p.kind}>
                <td>{p.kind}</td>
                <td>{p.summary}</td>
                <td>{p.hasSecret ? 'in keychain' : 'none'}</td>
                <td>{p.enabled ? 'on' : p.configured ? 'off' : 'off (not configured)'}</td>
                <td>
                  {p.configured && (
                    <button
                      type="button"
                      aria-label={`${p.enabled ? 'Turn off' : 'Turn on'} ${p.kind}`}
                      onClick={() => void call('notifications.setProvider', { kind: p.kind, enabled: !p.enabled }).then((r) => (setProblem(r.ok ? null : r.error), reload()))}
                    >
                      {p.enabled ? 'Turn off' : 'Turn on'}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfigureProvider onSaved={reload} />
    </section>
  );
}
