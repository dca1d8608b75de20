import { useChannel } from '../api';
import { Problem } from './Problem';

/** What needs attention now: overall status, open incidents, components not operational. */
export function Dashboard() {
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
          <h3>Components needing attention</h3>
          {data.attention.length === 0 ? (
            <p>Every component is operational.</p>
          ) : (
            <ul>
              {data.attention.map((c) => (
                <li key={c.id}>
                  {c.name} — {c.status}
                </li>
              ))}
            </ul>
          )}
          {data.posture && (
            <>
              <h3>Security posture</h3>
              <p>
                {data.posture.pass} passing, {data.posture.warn} warnings, {data.posture.fail} failing.
              </p>
              {data.posture.problems.length > 0 && (
                <ul>
                  {data.posture.problems.map((p) => (
                    <li key={p.title}>
                      <strong>{p.status === 'fail' ? 'Fail' : 'Warning'}:</strong> {p.title} — {p.fix}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
