import { useEffect, useState, type FormEvent } from 'react';
import { COMPONENT_STATUSES, INCIDENT_STATUSES } from '../../src-preload/contract/index';
import { call, useChannel, type Failure } from '../api';
import { PagedTable } from './PagedTable';
import { Problem } from './Problem';

type Status = 1 | 2 | 3 | 4;
const STATUS_OPTIONS = Object.entries(INCIDENT_STATUSES).map(([value, label]) => ({ value: Number(value) as Status, label }));

/** The Markdown as the public page will show it: rendered and sanitized in main by the same code. */
function Preview({ markdown }: { markdown: string }) {
  const [html, setHtml] = useState('');
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void call('markdown.preview', { markdown }).then((r) => live && r.ok && setHtml(r.value.html));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [markdown]);
  // The HTML comes from main's sanitizer (DOMPurify, strict allowlist): the same bytes the public page shows.
  return <div className="preview" role="region" aria-label="Preview" dangerouslySetInnerHTML={{ __html: html }} />;
}

type ComponentStatus = 1 | 2 | 3 | 4 | 6;
interface Composed {
  name: string;
  message: string;
  status: Status;
  componentId?: number;
  componentStatus?: ComponentStatus;
}

/** Which component the incident affects and its status now, set in the same step (form fields `component`, `componentStatus`). */
function ComponentPicker({ title }: { title: string }) {
  const components = useChannel('components.list', { page: 1 });
  if (!components.data || components.data.items.length === 0) return null;
  return (
    <div className="toolbar">
      <div>
        <label htmlFor={`${title}-component`}>Affected component</label>
        <select id={`${title}-component`} name="component" defaultValue="">
          <option value="">none</option>
          {components.data.items.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${title}-component-status`}>Its status</label>
        <select id={`${title}-component-status`} name="componentStatus" defaultValue={3}>
          {Object.entries(COMPONENT_STATUSES).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

function Composer({ title, submitLabel, pickComponent, onSubmit }: { title: string; submitLabel: string; pickComponent: boolean; onSubmit: (v: Composed) => Promise<Failure | null> }) {
  const [message, setMessage] = useState('');
  const [problem, setProblem] = useState<Failure | null>(null);
  const withName = submitLabel === 'Publish incident';
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const componentId = Number(form.get('component') ?? '');
    const failure = await onSubmit({
      name: String(form.get('name') ?? ''),
      message,
      status: Number(form.get('status')) as Status,
      ...(componentId > 0 ? { componentId, componentStatus: Number(form.get('componentStatus')) as ComponentStatus } : {}),
    });
    setProblem(failure);
    if (!failure) {
      event.currentTarget?.reset();
      setMessage('');
    }
  }
  return (
    <form className="composer" onSubmit={(e) => void submit(e)} aria-label={title}>
      <Problem failure={problem} />
      {withName && (
        <>
          <label htmlFor="incident-name">Title</label>
          <input id="incident-name" name="name" required maxLength={255} />
        </>
      )}
      <label htmlFor={`${title}-status`}>Status</label>
      <select id={`${title}-status`} name="status" defaultValue={withName ? 1 : 2}>
        {STATUS_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {/* Only those who may read components are offered one (and a denied call is never made). */}
      {pickComponent && <ComponentPicker title={title} />}
      <label htmlFor={`${title}-message`}>Message (Markdown)</label>
      <textarea id={`${title}-message`} value={message} onChange={(e) => setMessage(e.target.value)} rows={5} required />
      <Preview markdown={message} />
      <button type="submit">{submitLabel}</button>
    </form>
  );
}

export function Incidents({ can }: { can: (permission: string) => boolean }) {
  const [page, setPage] = useState(1);
  const { data, error, reload } = useChannel('incidents.list', { page });
  const [selected, setSelected] = useState<number | null>(null);
  const [problem, setProblem] = useState<Failure | null>(null);
  const act = (channel: 'incidents.approve' | 'incidents.publish', id: number) => void call(channel, { id }).then((r) => (setProblem(r.ok ? null : r.error), reload()));
  return (
    <section aria-labelledby="incidents-title">
      <h2 id="incidents-title">Incidents</h2>
      <Composer
        title="New incident"
        submitLabel="Publish incident"
        pickComponent={can('components.read')}
        onSubmit={async (v) => {
          const r = await call('incidents.create', v);
          if (r.ok) reload();
          return r.ok ? null : r.error;
        }}
      />
      <Problem failure={error ?? problem} />
      <PagedTable
        label="Incidents"
        page={data}
        empty="No incidents yet. Use the form above when something breaks."
        columns={['Incident', 'Status', 'Updates', 'Action']}
        onPage={setPage}
        row={(i) => (
          <>
            <td>
              {i.name}
              {i.needsApproval ? ' (draft, needs a second person’s approval)' : i.draft ? ' (draft)' : ''}
            </td>
            <td>{i.status}</td>
            <td>{i.updates}</td>
            <td>
              <button type="button" onClick={() => setSelected(i.id)} aria-label={`Post update to ${i.name}`}>
                Post update
              </button>{' '}
              {i.needsApproval && can('incidents.approve') && (
                <button type="button" aria-label={`Approve ${i.name}`} onClick={() => act('incidents.approve', i.id)}>
                  Approve
                </button>
              )}
              {i.draft && !i.needsApproval && can('incidents.publish') && (
                <button type="button" aria-label={`Publish ${i.name}`} onClick={() => act('incidents.publish', i.id)}>
                  Publish
                </button>
              )}
            </td>
          </>
        )}
      />
      {selected !== null && (
        <Composer
          title="Update"
          submitLabel="Post update"
          pickComponent={can('components.read')}
          onSubmit={async (v) => {
            const r = await call('incidents.addUpdate', { incidentId: selected, message: v.message, status: v.status, ...(v.componentId ? { componentId: v.componentId, componentStatus: v.componentStatus } : {}) });
            if (r.ok) {
              setSelected(null);
              reload();
            }
            return r.ok ? null : r.error;
          }}
        />
      )}
    </section>
  );
}
