import { useState, type FormEvent } from 'react';
import { call, useChannel, type Failure } from '../api';
import { Problem } from './Problem';

/** What an integration may be given (the console-only permissions are never offered). */
const SCOPES = ['components.read', 'components.write', 'incidents.read', 'incidents.write', 'incidents.publish', 'maintenance.read', 'maintenance.write', 'metrics.read', 'metrics.write', 'subscribers.read', 'subscribers.write'];

export function ApiKeys() {
  const { data, error, reload } = useChannel('apikeys.list', {});
  const [issued, setIssued] = useState<{ id: string; key: string } | null>(null);
  const [problem, setProblem] = useState<Failure | null>(null);
  const [copied, setCopied] = useState(false);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const r = await call('apikeys.create', { name: String(form.get('name') ?? ''), scopes: form.getAll('scopes').map(String), expiresInDays: Number(form.get('expires')) });
    setProblem(r.ok ? null : r.error);
    if (r.ok) {
      setIssued(r.value);
      setCopied(false);
      reload();
    }
  }

  /** A successor with the same scopes; the old key keeps working for a day so the integration can switch. */
  async function rotate(id: string) {
    const r = await call('apikeys.rotate', { id, overlapDays: 1 });
    setProblem(r.ok ? null : r.error);
    if (r.ok) {
      setIssued({ id: r.value.id, key: r.value.key });
      setCopied(false);
      reload();
    }
  }

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <form onSubmit={(e) => void create(e)} aria-label="New API key">
        <Problem failure={problem} />
        <label htmlFor="key-name">Integration name</label>
        <input id="key-name" name="name" required maxLength={100} />
        <fieldset>
          <legend>Scopes (only what the integration needs)</legend>
          {SCOPES.map((s) => (
            <label key={s} className="inline">
              <input type="checkbox" name="scopes" value={s} /> {s}
            </label>
          ))}
        </fieldset>
        <label htmlFor="key-expires">Expires in (days)</label>
        <input id="key-expires" name="expires" type="number" min={1} max={3650} defaultValue={90} required />
        <button type="submit">Create key</button>
      </form>
      {issued && (
        <div className="issued" role="status">
          <p>
            Key <strong>{issued.id}</strong> created. Copy it now: it is shown only this once.
          </p>
          <code className="secret">{issued.key}</code>
          <button type="button" onClick={() => void navigator.clipboard.writeText(issued.key).then(() => setCopied(true), () => setCopied(false))}>
            {copied ? 'Copied' : 'Copy'}
          </button>
        </div>
      )}
      <Problem failure={error} />
      {data && data.length === 0 && <p>No API keys. Create one per integration above.</p>}
      {data && data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Name</th>
              <th scope="col">Scopes</th>
              <th scope="col">State</th>
              <th scope="col">Used</th>
              <th scope="col">Last used</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {data.map((k) => (
              <tr key={k.id}>
                <td>{k.id}</td>
                <td>{k.name}</td>
                <td>{k.scopes.join(', ')}</td>
                <td>{k.state}</td>
                <td>{k.useCount}×</td>
                <td>{k.lastUsedAt === null ? 'never' : new Date(k.lastUsedAt).toLocaleString()}</td>
                <td>
                  {k.state === 'active' && (
                    <>
                      <button type="button" aria-label={`Rotate ${k.name} (${k.id})`} onClick={() => void rotate(k.id)}>
                        Rotate
                      </button>{' '}
                      <button type="button" aria-label={`Revoke ${k.name} (${k.id})`} onClick={() => void call('apikeys.revoke', { id: k.id }).then((r) => (setProblem(r.ok ? null : r.error), reload()))}>
                        Revoke
                      </button>
                    </>
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
