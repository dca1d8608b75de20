import { useState } from 'react';
import { call, useChannel, type Failure } from '../api';
import { PagedTable } from './PagedTable';
import { Problem } from './Problem';

const PRESETS = { '': 'everything', 'role-changes': 'role changes', 'api-key-events': 'API key events', 'failed-sign-ins': 'failed sign-ins', 'incident-publications': 'incident publications', 'security-settings': 'security settings' } as const;
type Preset = keyof typeof PRESETS;

/** The tamper-evident audit log: saved filters, an action search, paging, and export with the chain hashes. */
export function Audit() {
  const [page, setPage] = useState(1);
  const [preset, setPreset] = useState<Preset>('');
  const [action, setAction] = useState('');
  const [outcome, setOutcome] = useState<'' | 'ok' | 'denied' | 'failed'>('');
  const { data, error } = useChannel('audit.list', { page, ...(preset ? { preset } : {}), ...(action ? { action } : {}), ...(outcome ? { outcome } : {}) });
  const [problem, setProblem] = useState<Failure | null>(null);
  const [exported, setExported] = useState<{ url: string; name: string; entries: number } | null>(null);

  async function exportLog(format: 'jsonl' | 'csv') {
    const r = await call('audit.export', { format });
    setProblem(r.ok ? null : r.error);
    if (r.ok) setExported({ url: URL.createObjectURL(new Blob([r.value.content], { type: format === 'csv' ? 'text/csv' : 'application/jsonl' })), name: `cairn-audit.${format}`, entries: r.value.entries });
  }

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <div className="toolbar">
        <div>
          <label htmlFor="audit-preset">Filter</label>
          <select id="audit-preset" value={preset} onChange={(e) => (setPreset(e.target.value as Preset), setPage(1))}>
            {Object.entries(PRESETS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-action">Action starts with</label>
          <input id="audit-action" value={action} onChange={(e) => (setAction(e.target.value), setPage(1))} placeholder="incident." />
        </div>
        <div>
          <label htmlFor="audit-outcome">Outcome</label>
          <select id="audit-outcome" value={outcome} onChange={(e) => (setOutcome(e.target.value as typeof outcome), setPage(1))}>
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="denied">denied</option>
            <option value="failed">failed</option>
          </select>
        </div>
        <button type="button" onClick={() => void exportLog('jsonl')}>
          Export JSON Lines
        </button>
        <button type="button" onClick={() => void exportLog('csv')}>
          Export CSV
        </button>
      </div>
      {exported && (
        <p role="status">
          {exported.entries} entries ready: <a href={exported.url} download={exported.name}>save {exported.name}</a> (verify it with `cairn audit verify --file`).
        </p>
      )}
      <Problem failure={error ?? problem} />
      <PagedTable
        label="Audit entries"
        page={data}
        empty="No entries match. Clear the filter to see everything."
        columns={['#', 'When', 'Who', 'Action', 'Target', 'Outcome', 'Details']}
        onPage={setPage}
        row={(e) => (
          <>
            <td>{e.id}</td>
            <td>{new Date(e.at).toLocaleString()}</td>
            <td>
              {e.actor} <span className="hint">({e.client})</span>
            </td>
            <td>{e.action}</td>
            <td>{e.target}</td>
            <td>{e.outcome}</td>
            <td className="details">{e.details}</td>
          </>
        )}
      />
    </section>
  );
}
