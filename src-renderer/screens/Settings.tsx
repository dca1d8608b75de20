import { useEffect, useState, type FormEvent } from 'react';
import { call, useChannel, type Failure } from '../api';
import { Problem } from './Problem';

/** Site settings, and the notification providers (each off until configured and turned on). */
export function Settings({ canSite, canNotifications }: { canSite: boolean; canNotifications: boolean }) {
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {canSite && <SiteSettings />}
      {canNotifications && <Providers />}
    </section>
  );
}

function SiteSettings() {
  const { data, error } = useChannel('settings.get', {});
  const [fields, setFields] = useState({ siteName: '', about: '', timezone: '', accentColor: '' });
  const [problem, setProblem] = useState<Failure | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (data) setFields(data);
  }, [data]);
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
      <Problem failure={error ?? problem} />
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

function Providers() {
  const { data, error, reload } = useChannel('notifications.get', {});
  const [problem, setProblem] = useState<Failure | null>(null);
  return (
    <section aria-labelledby="providers-title">
      <h3 id="providers-title">Notification providers</h3>
      <p className="hint">Configure a provider with `cairn notifications`; credentials go to the OS keychain. Turning one on asks you to confirm it is you.</p>
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
    </section>
  );
}
