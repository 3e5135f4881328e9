// Shoal tracker dashboard: polls /api/stats and draws viewers, offload and bytes saved with
// Chart.js (served by the tracker at /assets/chart.umd.js). Plain browser script, no build step.
// @ts-check
/* global Chart */
(function () {
  'use strict';

  /** @param {number} n */
  function bytes(n) {
    const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) {
      n /= 1000;
      i++;
    }
    return (i === 0 ? String(n) : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)) + ' ' + units[i];
  }
  /** @param {number|null} r */
  function pct(r) {
    return r === null || r === undefined ? '–' : (r * 100).toFixed(1) + ' %';
  }
  /** @param {number} t */
  function clock(t) {
    return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
  /** @param {string} id */
  function el(id) {
    const e = document.getElementById(id);
    if (!e) throw new Error('missing #' + id);
    return e;
  }

  const colors = { viewers: '#1f7a8c', offload: '#2e9e5b', saved: '#b5651d' };

  /**
   * @param {string} id
   * @param {string} color
   * @param {(v: number) => string} fmt
   * @param {number | undefined} max
   */
  function makeChart(id, color, fmt, max) {
    const canvas = /** @type {HTMLCanvasElement} */ (el(id));
    // @ts-ignore Chart is the UMD global
    return new Chart(canvas, {
      type: 'line',
      data: {
        labels: [],
        datasets: [
          {
            data: [],
            borderColor: color,
            backgroundColor: color + '22',
            fill: true,
            pointRadius: 0,
            borderWidth: 2,
            cubicInterpolationMode: 'monotone',
            spanGaps: true,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (/** @type {any} */ c) => fmt(c.parsed.y) } } },
        scales: {
          x: { ticks: { maxTicksLimit: 6, maxRotation: 0 }, grid: { display: false } },
          y: { beginAtZero: true, max, ticks: { callback: (/** @type {any} */ v) => fmt(Number(v)) } },
        },
      },
    });
  }

  const charts = {
    viewers: makeChart('chart-viewers', colors.viewers, (v) => String(Math.round(v)), undefined),
    offload: makeChart('chart-offload', colors.offload, (v) => v.toFixed(0) + ' %', 100),
    saved: makeChart('chart-saved', colors.saved, bytes, undefined),
  };

  /** @param {any} chart @param {string[]} labels @param {(number|null)[]} values */
  function setData(chart, labels, values) {
    chart.data.labels = labels;
    chart.data.datasets[0].data = values;
    chart.update('none');
  }

  let scope = '';
  const select = /** @type {HTMLSelectElement} */ (el('scope'));
  select.addEventListener('change', () => {
    scope = select.value;
    refresh();
  });

  /** @param {any} s */
  function showCards(s) {
    el('c-viewers').textContent = String(s.viewers);
    el('c-offload').textContent = pct(s.offload);
    el('c-saved').textContent = bytes(s.bytesSaved);
    el('c-http').textContent = bytes(s.httpBytes);
    el('c-upload').textContent = bytes(s.uploadBytes);
    el('c-stalls').textContent = String(s.stalls);
  }

  /** @param {any[]} series */
  function showSeries(series) {
    const labels = series.map((p) => clock(p.t));
    setData(
      charts.viewers,
      labels,
      series.map((p) => p.viewers),
    );
    setData(
      charts.offload,
      labels,
      series.map((p) => (p.offload === null ? null : p.offload * 100)),
    );
    setData(
      charts.saved,
      labels,
      series.map((p) => p.p2pBytes),
    );
  }

  /** A swarm's label, else the start of its id. @param {any} s @param {number} idChars */
  function streamName(s, idChars) {
    return typeof s.label === 'string' && s.label ? s.label : s.swarm.slice(0, idChars) + '…';
  }

  /** @param {any[]} swarms */
  function showSwarms(swarms) {
    // Labels come from viewers: shown as text only (Option text, textContent), never as HTML.
    const options = [['', 'All swarms']].concat(swarms.map((s) => [s.swarm, streamName(s, 12)]));
    if (
      select.options.length !== options.length ||
      options.some((o, i) => select.options[i].value !== o[0] || select.options[i].text !== o[1])
    ) {
      select.replaceChildren(...options.map(([v, label]) => new Option(label, v, false, v === scope)));
    }
    const body = el('swarms');
    if (swarms.length === 0) {
      body.innerHTML = '<tr><td colspan="8" class="muted">No swarms yet.</td></tr>';
      return;
    }
    body.replaceChildren(
      ...swarms.map((s) => {
        const tr = document.createElement('tr');
        if (s.swarm === scope) tr.className = 'selected';
        const cells = [
          streamName(s, 16),
          String(s.viewers),
          pct(s.offload),
          bytes(s.p2pBytes),
          bytes(s.httpBytes),
          bytes(s.uploadBytes),
          String(s.stalls),
          String(s.reports),
        ];
        for (const text of cells) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.appendChild(td);
        }
        tr.title = s.label ? s.label + ' · ' + s.swarm : s.swarm;
        tr.addEventListener('click', () => {
          scope = scope === s.swarm ? '' : s.swarm;
          select.value = scope;
          refresh();
        });
        return tr;
      }),
    );
  }

  // A cluster node's /api/stats lists every live node (see tracker README, "Tracker cluster").
  function showNodes(/** @type {any} */ cluster) {
    el('nodes-section').hidden = !cluster;
    if (!cluster) return;
    el('redis').textContent = '· Redis ' + cluster.redis + (cluster.redis === 'up' ? '' : ' (this node only, degraded)');
    el('nodes').replaceChildren(
      ...cluster.nodes.map((/** @type {any} */ n) => {
        const tr = document.createElement('tr');
        for (const text of [
          n.node + (n.self ? ' (this one)' : ''),
          String(n.connections),
          String(n.peers),
          String(n.announces),
          clock(n.at),
        ]) {
          const td = document.createElement('td');
          td.textContent = text;
          tr.appendChild(td);
        }
        return tr;
      }),
    );
  }

  let last = /** @type {any} */ (null);
  function render() {
    if (!last) return;
    const swarm = scope ? last.swarms.find((/** @type {any} */ s) => s.swarm === scope) : undefined;
    if (scope && !swarm) scope = '';
    showCards(swarm || last.overall);
    showSeries(swarm ? swarm.series : last.series);
    showSwarms(last.swarms);
    showNodes(last.cluster);
    const nodes = last.cluster ? ' · ' + last.cluster.nodes.length + ' nodes' : '';
    el('updated').textContent =
      'updated ' + clock(last.now) + ' · ' + last.tracker.connections + ' connections · ' + last.tracker.swarms + ' swarms' + nodes;
    document.body.dataset.ready = '1';
  }

  async function refresh() {
    try {
      const res = await fetch('/api/stats', { cache: 'no-store' });
      last = await res.json();
      render();
    } catch (err) {
      el('updated').textContent = 'stats unavailable: ' + String(err);
    }
  }

  // Poll as often as the series changes (the stats interval), between 1 and 5 seconds.
  async function loop() {
    await refresh();
    const every = Math.min(5000, Math.max(1000, last && last.intervalMs ? last.intervalMs : 2000));
    setTimeout(loop, every);
  }
  loop();
})();
