import { useState, type FormEvent } from 'react';
import { call, useChannel, type Failure } from '../api';
import { PagedTable } from './PagedTable';
import { Problem } from './Problem';

/** The next step of a maintenance by its status: upcoming → start, in progress → complete. */
const NEXT: Readonly<Record<string, { status: 1 | 2; label: string; message: string }>> = {
  Upcoming: { status: 1, label: 'Start', message: 'Maintenance has started.' },
  'In Progress': { status: 2, label: 'Complete', message: 'Maintenance is complete.' },
};

/** Scheduled maintenance: announce one, then post its start and completion (subscribers are told). */
export function Maintenance({ canWrite }: { canWrite: boolean }) {
  const [page, setPage] = useState(1);
  const { data, error, reload } = useChannel('maintenance.list', { page });
  const [problem, setProblem] = useState<Failure | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const r = await call('maintenance.create', { name: String(fields.get('name') ?? ''), message: String(fields.get('message') ?? ''), scheduledAt: String(fields.get('at') ?? '') });
    setProblem(r.ok ? null : r.error);
    if (r.ok) {
      form.reset();
      reload();
    }
  }
  async function post(scheduleId: number, next: { status: 1 | 2; message: string }) {
    const r = await call('maintenance.update', { scheduleId, status: next.status, message: next.message });
    setProblem(r.ok ? null : r.error);
    reload();
  }

  return (
    <section aria-labelledby="maintenance-title">
      <h2 id="maintenance-title">Maintenance</h2>
      {canWrite && (
        <form className="composer" onSubmit={(e) => void create(e)} aria-label="Schedule maintenance">
          <label htmlFor="maintenance-name">Title</label>
          <input id="maintenance-name" name="name" required maxLength={255} />
          <label htmlFor="maintenance-at">Starts at (site timezone)</label>
          <input id="maintenance-at" name="at" type="datetime-local" required />
          <label htmlFor="maintenance-message">What happens (Markdown)</label>
          <textarea id="maintenance-message" name="message" rows={3} />
          <button type="submit">Schedule maintenance</button>
        </form>
      )}
      <Problem failure={error ?? problem} />
      <PagedTable
        label="Maintenance"
        page={data}
        empty="No maintenance scheduled. Announce planned work above so users know in advance."
        columns={['Maintenance', 'Starts', 'Status', canWrite && 'Post']}
        onPage={setPage}
        row={(m) => (
          <>
            <td>{m.name}</td>
            <td>{new Date(m.scheduledAt).toLocaleString()}</td>
            <td>{m.status}</td>
            {canWrite && (
              <td>
                {NEXT[m.status] && (
                  <button type="button" aria-label={`${NEXT[m.status]!.label} ${m.name}`} onClick={() => void post(m.id, NEXT[m.status]!)}>
                    {NEXT[m.status]!.label}
                  </button>
                )}
              </td>
            )}
          </>
        )}
      />
    </section>
  );
}
