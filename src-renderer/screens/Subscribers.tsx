import { useState, type FormEvent } from 'react';
import { call, useChannel, type Failure } from '../api';
import { PagedTable } from './PagedTable';
import { Problem } from './Problem';

/** Subscribers: who is confirmed, what they follow; add (double opt-in), remove, export. */
export function Subscribers({ canWrite }: { canWrite: boolean }) {
  const [page, setPage] = useState(1);
  const { data, error, reload } = useChannel('subscribers.list', { page });
  const [problem, setProblem] = useState<Failure | null>(null);
  const [exported, setExported] = useState<string | null>(null);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const r = await call('subscribers.add', { email: String(new FormData(form).get('email') ?? '') });
    setProblem(r.ok ? null : r.error);
    if (r.ok) {
      form.reset();
      reload();
    }
  }
  async function exportAll() {
    const r = await call('subscribers.export', {});
    setProblem(r.ok ? null : r.error);
    if (r.ok) setExported(URL.createObjectURL(new Blob([r.value.content], { type: 'text/csv' })));
  }

  return (
    <section aria-labelledby="subscribers-title">
      <h2 id="subscribers-title">Subscribers</h2>
      <div className="toolbar">
        {canWrite && (
          <form className="toolbar" onSubmit={(e) => void add(e)} aria-label="Add subscriber">
            <div>
              <label htmlFor="subscriber-email">Add an address (it is asked to confirm)</label>
              <input id="subscriber-email" name="email" type="email" required maxLength={254} />
            </div>
            <button type="submit">Add subscriber</button>
          </form>
        )}
        <button type="button" onClick={() => void exportAll()}>
          Export CSV
        </button>
      </div>
      {exported && (
        <p role="status">
          <a href={exported} download="cairn-subscribers.csv">
            save cairn-subscribers.csv
          </a>{' '}
          (the export is recorded in the audit log)
        </p>
      )}
      <Problem failure={error ?? problem} />
      <PagedTable
        label="Subscribers"
        page={data}
        empty="No subscribers yet. Visitors subscribe from the status page once e-mail is turned on."
        columns={['Address', 'Confirmed', 'Components', 'Since', canWrite && 'Action']}
        onPage={setPage}
        row={(x) => (
          <>
            <td>{x.email}</td>
            <td>{x.confirmed ? 'yes' : 'not yet'}</td>
            <td>{x.components}</td>
            <td>{new Date(x.createdAt).toLocaleDateString()}</td>
            {canWrite && (
              <td>
                <button type="button" aria-label={`Remove ${x.email}`} onClick={() => void call('subscribers.remove', { id: x.id }).then((r) => (setProblem(r.ok ? null : r.error), reload()))}>
                  Remove
                </button>
              </td>
            )}
          </>
        )}
      />
    </section>
  );
}
