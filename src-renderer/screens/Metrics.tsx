import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useChannel } from '../api';
import { Problem } from './Problem';

/** Metrics and a chart of the latest points of the chosen one (uPlot), with a table as its text alternative. */
export function Metrics() {
  const { data: metrics, error } = useChannel('metrics.list', {});
  const [chosen, setChosen] = useState<number | null>(null);
  const metric = metrics?.find((m) => m.id === chosen) ?? metrics?.[0];
  return (
    <section aria-labelledby="metrics-title">
      <h2 id="metrics-title">Metrics</h2>
      <Problem failure={error} />
      {metrics && metrics.length === 0 && <p>No metrics yet. Create one with the API and post points to it from your monitoring.</p>}
      {metrics && metrics.length > 0 && metric && (
        <>
          <label htmlFor="metric-choice">Metric</label>
          <select id="metric-choice" value={metric.id} onChange={(e) => setChosen(Number(e.target.value))}>
            {metrics.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
          <Chart metricId={metric.id} name={metric.name} suffix={metric.suffix} places={metric.places} />
        </>
      )}
    </section>
  );
}

function Chart({ metricId, name, suffix, places }: { metricId: number; name: string; suffix: string; places: number }) {
  const { data, error } = useChannel('metrics.points', { metricId });
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!data || !box.current || data.points.length === 0) return;
    const plot = new uPlot(
      {
        width: Math.min(960, box.current.clientWidth || 720),
        height: 280,
        series: [{}, { label: name, value: (_u, v) => (v === null ? '—' : `${v.toFixed(places)} ${suffix}`), stroke: '#0969da', width: 2 }],
        axes: [{}, { values: (_u, ticks) => ticks.map((t) => `${t} ${suffix}`) }],
      },
      [data.points.map((p) => p.at / 1000), data.points.map((p) => p.value)],
      box.current,
    );
    return () => plot.destroy();
  }, [data, name, suffix, places]);
  if (error) return <Problem failure={error} />;
  if (!data) return null;
  if (data.points.length === 0) return <p>No points yet for {name}.</p>;
  const last = data.points[data.points.length - 1]!;
  return (
    <figure aria-label={`${name} chart`}>
      <div ref={box} className="chart" aria-hidden="true" />
      <figcaption>
        {data.points.length} of {data.total} points shown; latest {last.value.toFixed(places)} {suffix} at {new Date(last.at).toLocaleString()}.
      </figcaption>
    </figure>
  );
}
