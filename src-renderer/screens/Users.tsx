import { useState, type FormEvent } from 'react';
import { call, useChannel, type Failure } from '../api';
import { Problem } from './Problem';

/** Accounts and their roles, the permission matrix of every role, and the periodic access review. */
export function Users({ canManage, canReview }: { canManage: boolean; canReview: boolean }) {
  const { data, error, reload } = useChannel('users.list', {});
  const [problem, setProblem] = useState<Failure | null>(null);
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users and roles</h2>
      <Problem failure={error ?? problem} />
      {data && (
        <>
          <table aria-label="Users">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Roles</th>
                <th scope="col">2FA</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                {canManage && <th scope="col">Action</th>}
              </tr>
            </thead>
            <tbody>
              {data.users.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>
                    {canManage && u.status === 'active' ? (
                      <select
                        aria-label={`Role of ${u.name}`}
                        value={u.roles[0] ?? ''}
                        onChange={(e) => void call('users.setRoles', { id: u.id, roles: [e.target.value] }).then((r) => (setProblem(r.ok ? null : r.error), reload()))}
                      >
                        {data.roles.map((r) => (
                          <option key={r.id} value={r.name}>
                            {r.name}
                          </option>
                        ))}
                      </select>
                    ) : (
                      u.roles.join(', ')
                    )}
                  </td>
                  <td>{u.twoFactor ? 'on' : 'off'}</td>
                  <td>{u.status}</td>
                  <td>{u.lastSignInAt === null ? 'never' : new Date(u.lastSignInAt).toLocaleString()}</td>
                  {canManage && (
                    <td>
                      {u.status === 'active' && (
                        <button type="button" aria-label={`Disable ${u.name}`} onClick={() => void call('users.disable', { id: u.id }).then((r) => (setProblem(r.ok ? null : r.error), reload()))}>
                          Disable
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <h3>What each role may do</h3>
          <div style={{ overflowX: 'auto' }}>
            <table className="matrix" aria-label="Permission matrix">
              <thead>
                <tr>
                  <th scope="col">Permission</th>
                  {data.roles.map((r) => (
                    <th key={r.id} scope="col">
                      {r.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.permissions.map((p) => (
                  <tr key={p}>
                    <th scope="row">{p}</th>
                    {data.roles.map((r) => (
                      <td key={r.id}>{r.permissions.includes(p) ? '✓' : <span className="visually-hidden">no</span>}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {canManage && data && <NewRole permissions={data.permissions} onCreated={reload} />}
      {canReview && <AccessReview canChange={canManage} onRecorded={reload} />}
    </section>
  );
}

/** A custom role: a name and the named permissions it grants (deny by default: nothing else). */
function NewRole({ permissions, onCreated }: { permissions: readonly string[]; onCreated: () => void }) {
  const [problem, setProblem] = useState<Failure | null>(null);
  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const r = await call('roles.create', { name: String(fields.get('name') ?? ''), description: String(fields.get('description') ?? ''), permissions: fields.getAll('permissions').map(String) });
    setProblem(r.ok ? null : r.error);
    if (r.ok) {
      form.reset();
      onCreated();
    }
  }
  return (
    <form className="composer" onSubmit={(e) => void create(e)} aria-label="New role">
      <h3>New role</h3>
      <Problem failure={problem} />
      <label htmlFor="role-name">Name</label>
      <input id="role-name" name="name" required maxLength={60} />
      <label htmlFor="role-description">Description</label>
      <input id="role-description" name="description" maxLength={255} />
      <fieldset>
        <legend>Permissions</legend>
        {permissions.map((p) => (
          <label key={p} className="inline">
            <input type="checkbox" name="permissions" value={p} /> {p}
          </label>
        ))}
      </fieldset>
      <button type="submit">Create role</button>
    </form>
  );
}

/**
 * The review: every active account confirmed (or, for those who may change access, disabled), with
 * a note; recorded with who reviewed. An Auditor confirms; taking access away needs users.manage.
 */
function AccessReview({ canChange, onRecorded }: { canChange: boolean; onRecorded: () => void }) {
  const { data, error, reload } = useChannel('review.status', {});
  const [decisions, setDecisions] = useState<Record<number, 'confirm' | 'disable'>>({});
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<Failure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (!data) return <Problem failure={error} />;
  const active = data.users.filter((u) => u.status === 'active');
  async function record() {
    const r = await call('review.record', { note, decisions: active.map((u) => ({ userId: u.id, decision: decisions[u.id] ?? 'confirm' })) });
    setProblem(r.ok ? null : r.error);
    if (r.ok) {
      setDone(`Review recorded: ${r.value.confirmed} confirmed, ${r.value.disabled} disabled.`);
      reload();
      onRecorded();
    }
  }
  return (
    <section aria-labelledby="review-title">
      <h3 id="review-title">Access review</h3>
      <p>
        {data.lastReview ? `Last reviewed ${new Date(data.lastReview.completedAt).toLocaleDateString()} by ${data.lastReview.reviewer}. ` : 'Never reviewed. '}
        {data.overdue ? <strong>A review is due now.</strong> : data.dueAt !== null ? `Next due ${new Date(data.dueAt).toLocaleDateString()}.` : ''}
      </p>
      {!canChange && <p className="hint">You confirm access; if someone should lose it, record that and ask an Administrator to change it.</p>}
      <Problem failure={problem} />
      {done && <p role="status">{done}</p>}
      <table aria-label="Access review">
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Roles</th>
            <th scope="col">Inactive</th>
            <th scope="col">Live API keys</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {active.map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td>
              <td>{u.roles.join(', ')}</td>
              <td>{u.inactive ? 'yes' : 'no'}</td>
              <td>{u.liveApiKeys}</td>
              <td>
                {canChange ? (
                  <select aria-label={`Decision for ${u.email}`} value={decisions[u.id] ?? 'confirm'} onChange={(e) => setDecisions({ ...decisions, [u.id]: e.target.value as 'confirm' | 'disable' })}>
                    <option value="confirm">keep access</option>
                    <option value="disable">disable</option>
                  </select>
                ) : (
                  'keep access'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <label htmlFor="review-note">Note</label>
      <input id="review-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
      <button type="button" onClick={() => void record()}>
        Record review
      </button>
    </section>
  );
}
