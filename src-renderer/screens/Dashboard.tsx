import { useChannel } from '../api';
import { Problem } from './Problem';

/**
 * What needs attention now: overall status, open incidents, and — for those who may read them —
 * components not operational and the security posture. Like the screens list, the dashboard asks
 * only for what the user holds, so loading it never produces a (audited) refusal.
 */
export function Dashboard({ can }: { can: (permission: string) => boolean }) {
  const { data, error } = useChannel('dashboard.get', {});
  return (
    <section aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">Dashboard</h2>
      <Problem failure={error} />
      {data && (
        <>
          <p className={`overall overall-${data.overall.level}`}>{data.overall.message}</p>
          <h3>Open incidents</h3>
          {data.openIncidents.length === 0 ? (
            <p>No open incidents. Report one under Incidents when something breaks.</p>
          ) : (
            <ul>
              {data.openIncidents.map((i) => (
                <li key={i.id}>
                  {i.name} — {i.status}
                  {i.draft ? ' (draft)' : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {can('components.read') && <Attention />}
      {(can('settings.manage') || can('audit.read')) && <Posture />}
    </section>
  );
}

function Attention() {
  const { data, error } = useChannel('components.list', { page: 1, perPage: 100 });
  if (!data) return <Problem failure={error} />;
  const attention = data.items.filter((c) => c.status > 1);
  return (
    <>
      <h3>Components needing attention</h3>
      {attention.length === 0 ? (
        <p>Every component is operational.</p>
      ) : (
        <ul>
          {attention.map((c) => (
            <li key={c.id}>
              {c.name} — {c.statusName}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Posture() {
  const { data, error } = useChannel('posture.get', {});
  if (!data) return <Problem failure={error} />;
  return (
    <>
      <h3>Security posture</h3>
      <p>
        {data.pass} passing, {data.warn} warnings, {data.fail} failing.
      </p>
      {data.problems.length > 0 && (
        <ul>
          {data.problems.map((p) => (
            <li key={p.title}>
              <strong>{p.status === 'fail' ? 'Fail' : 'Warning'}:</strong> {p.title} — {p.fix}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
