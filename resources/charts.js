// Progressive enhancement of the status page's metric figures: each <figure data-series="URL">
// gets a uPlot chart drawn from that same-origin JSON. Without JavaScript the figure keeps its
// caption and a link to the data. No inline script, no eval, no HTML built from data: the metric's
// name and suffix reach the page only as text.
(function () {
  'use strict';
  if (typeof uPlot !== 'function') return;
  var figures = document.querySelectorAll('figure.metric[data-series]');
  var css = getComputedStyle(document.documentElement);
  var stroke = css.getPropertyValue('--maintenance').trim() || '#0969da';
  var axis = css.getPropertyValue('--muted').trim() || '#57606a';

  function draw(figure, series) {
    var places = series.metric.places;
    var suffix = series.metric.suffix ? ' ' + series.metric.suffix : '';
    var xs = series.points.map(function (p) { return p[0]; });
    var ys = series.points.map(function (p) { return p[1]; });
    var chart = document.createElement('div');
    chart.className = 'metric-chart';
    chart.setAttribute('aria-hidden', 'true'); // the figure's caption and data link are the text alternative
    figure.insertBefore(chart, figure.firstChild);
    var width = Math.max(240, figure.clientWidth);
    new uPlot({
      width: width,
      height: 160,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      axes: [
        { stroke: axis, grid: { show: false } },
        { stroke: axis, size: 70, values: function (u, vals) { return vals.map(function (v) { return v.toFixed(places) + suffix; }); } },
      ],
      series: [{}, { label: series.metric.name, stroke: stroke, width: 2, points: { show: false } }],
    }, [xs, ys], chart);
  }

  Array.prototype.forEach.call(figures, function (figure) {
    var url = figure.getAttribute('data-series');
    // Same origin only, whatever the attribute says.
    if (!url || new URL(url, location.href).origin !== location.origin) return;
    fetch(url, { credentials: 'omit' })
      .then(function (res) { if (!res.ok) throw new Error(String(res.status)); return res.json(); })
      .then(function (series) { draw(figure, series); })
      .catch(function () { figure.classList.add('metric-unavailable'); });
  });
})();
