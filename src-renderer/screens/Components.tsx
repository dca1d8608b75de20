import { useState, type FormEvent } from 'react';
import { COMPONENT_STATUSES } from '../../src-preload/contract/index';
import { call, useChannel, type Failure } from '../api';
import { PagedTable } from './PagedTable';
import { Problem } from './Problem';

type Status = 1 | 2 | 3 | 4 | 6;
const STATUS_OPTIONS = Object.entries(COMPONENT_STATUSES).map(([value, label]) => ({ value: Number(value) as Status, label }));

/** Components: add one, set its status, and move it up or down (keyboard-friendly reordering). */
export function Components({ canWrite }: { canWrite: boolean }) {
  const [page, setPage] = useState(1);
  const { data, error, reload } = useChannel('components.list', { page });
  const groups = useChannel('groups.list', {});
  const [problem, setProblem] = useState<Failure | null>(null);
  const done = (r: { ok: boolean; error?: Failure }) => {
    setProblem(r.ok ? null : (r.error ?? null));
    reload();
  };

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const r = await call('components.create', { name: String(new FormData(form).get('name') ?? ''), status: 1 });
    done(r);
    if (r.ok) form.reset();
  }
  async function createGroup(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const r = await call('groups.create', { name: String(new FormData(form).get('group') ?? '') });
    setProblem(r.ok ? null : r.error);
    if (r.ok) {
      form.reset();
      groups.reload();
    }
  }

  /** Swaps a component with its neighbour, then numbers this page's components in their new order. */
  async function move(index: number, by: -1 | 1) {
    if (!data) return;
    const items = [...data.items];
    const [moved] = items.splice(index, 1);
    items.splice(index + by, 0, moved!);
    const base = (data.page - 1) * data.perPage;
    for (const [i, c] of items.entries()) {
      if (c.order === base + i) continue;
      const r = await call('components.update', { id: c.id, order: base + i });
      if (!r.ok) return done(r);
    }
    reload();
  }

  return (
    <section aria-labelledby="components-title">
      <h2 id="components-title">Components</h2>
      {canWrite && (
        <form className="toolbar" onSubmit={(e) => void create(e)} aria-label="New component">
          <div>
            <label htmlFor="component-name">New component</label>
            <input id="component-name" name="name" required maxLength={255} />
          </div>
          <button type="submit">Add component</button>
        </form>
      )}
      {canWrite && (
        <form className="toolbar" onSubmit={(e) => void createGroup(e)} aria-label="New group">
          <div>
            <label htmlFor="group-name">New group</label>
            <input id="group-name" name="group" required maxLength={255} />
          </div>
          <button type="submit">Add group</button>
        </form>
      )}
      <Problem failure={error ?? problem} />
      <PagedTable
        label="Components"
        page={data}
        empty="No components yet. Add the services your users depend on."
        columns={['Component', 'Status', canWrite && 'Group', canWrite && 'Order']}
        onPage={setPage}
        row={(c, i) => (
          <>
            <td>{c.name}</td>
            <td>
              {canWrite ? (
                <select aria-label={`Status of ${c.name}`} value={c.status} onChange={(e) => void call('components.update', { id: c.id, status: Number(e.target.value) as Status }).then(done)}>
                  {STATUS_OPTIONS.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : (
                c.statusName
              )}
            </td>
            {canWrite && (
              <td>
                <select
                  aria-label={`Group of ${c.name}`}
                  value={c.groupId ?? ''}
                  onChange={(e) => void call('components.update', { id: c.id, groupId: e.target.value === '' ? null : Number(e.target.value) }).then(done)}
                >
                  <option value="">no group</option>
                  {(groups.data ?? []).map((g) => (
                    <option key={g.id} value={g.id}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </td>
            )}
            {canWrite && (
              <td>
                <button type="button" aria-label={`Move ${c.name} up`} disabled={i === 0} onClick={() => void move(i, -1)}>
                  Up
                </button>{' '}
                <button type="button" aria-label={`Move ${c.name} down`} disabled={i === (data?.items.length ?? 0) - 1} onClick={() => void move(i, 1)}>
                  Down
                </button>
              </td>
            )}
          </>
        )}
      />
    </section>
  );
}
