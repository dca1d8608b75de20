import { useState } from 'react';
import { call, useChannel, type Failure } from '../api';
import { PagedTable } from './PagedTable';
import { Problem } from './Problem';

/** Notification deliveries: sent, waiting for a retry, or failed (and why), with a retry for failures. */
export function Deliveries() {
  const [page, setPage] = useState(1);
  const [state, setState] = useState<'' | 'pending' | 'sent' | 'failed'>('');
  const { data, error, reload } = useChannel('deliveries.list', { page, ...(state ? { state } : {}) });
  const [problem, setProblem] = useState<Failure | null>(null);
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Notification deliveries</h2>
      <label htmlFor="delivery-state">Show</label>
      <select id="delivery-state" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
        <option value="">all</option>
        <option value="pending">pending</option>
        <option value="sent">sent</option>
        <option value="failed">failed</option>
      </select>
      <Problem failure={error ?? problem} />
      <PagedTable
        label="Deliveries"
        page={data}
        empty="No deliveries. Turn a provider on under Settings and they appear here."
        columns={['#', 'Channel', 'What', 'State', 'Attempts', 'Last error', 'Action']}
        onPage={setPage}
        row={(d) => (
          <>
            <td>{d.id}</td>
            <td>{d.channel}</td>
            <td>{d.what}</td>
            <td>{d.state}</td>
            <td>{d.attempts}</td>
            <td>{d.lastError ?? ''}</td>
            <td>
              {d.state === 'failed' && (
                <button
                  type="button"
                  aria-label={`Retry delivery ${d.id}`}
                  onClick={() =>
                    void call('deliveries.retry', { id: d.id }).then((r) => {
                      setProblem(r.ok ? null : r.error);
                      reload();
                    })
                  }
                >
                  Retry
                </button>
              )}
            </td>
          </>
        )}
      />
    </section>
  );
}
