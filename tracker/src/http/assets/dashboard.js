// Shoal tracker dashboard: polls /api/stats?range=&swarm= and shows, for the chosen time range and
// scope (all streams or one), viewers, offload, origin bytes and money saved, and quality of
// experience (startup, rebuffering, stalls; with peers against without). Plain browser script;
// formatting and charts in dashboard-charts.js.
// @ts-check
(function () {
  'use strict';
  // @ts-ignore set by dashboard-charts.js
  const D = /** @type {any} */ (window.ShoalDash);
  const { bytes, pct, secs, rate, money, clock, el, makeChart, setData } = D;

  const charts = {
    viewers: makeChart('chart-viewers', 'line', [{ label: 'Viewers', color: '#1f7a8c' }], (/** @type {number} */ v) => String(v), {
      integer: true,
    }),
    offload: makeChart(
      'chart-offload',
      'line',
      [{ label: 'Offload', color: '#2e7d4f' }],
      (/** @type {number} */ v) => v.toFixed(0) + ' %',
      {
        max: 100,
      },
    ),
    saved: makeChart('chart-saved', 'bar', [{ label: 'Origin bytes saved', color: '#b5651d' }], bytes, {}),
    startup: makeChart(
      'chart-startup',
      'line',
      [
        { label: 'median', color: '#5b4db7' },
        { label: 'p95', color: '#c2410c', dash: [6, 4] },
      ],
      (/** @type {number} */ v) => (v / 1000).toFixed(1) + ' s',
      {},
    ),
    rebuffer: makeChart(
      'chart-rebuffer',
      'line',
      [{ label: 'Rebuffering', color: '#b42318' }],
      (/** @type {number} */ v) => v.toFixed(2) + ' %',
      {},
    ),
  };

  let scope = '';
  let range = '15m';
  const select = /** @type {HTMLSelectElement} */ (el('scope'));
  select.addEventListener('change', () => {
    scope = select.value;
    refresh();
  });
  for (const b of document.querySelectorAll('#ranges button')) {
    b.addEventListener('click', () => {
      range = /** @type {HTMLElement} */ (b).dataset.range || '15m';
      for (const o of document.querySelectorAll('#ranges button')) o.setAttribute('aria-pressed', String(o === b));
      refresh();
    });
  }

  /** @param {string} id @param {string} text */
  function set(id, text) {
    el(id).textContent = text;
  }

  /** @param {any} s the whole tracker's or the scoped swarm's totals now @param {any} v the range view */
  function showCards(s, v) {
    const q = v.summary.qoe;
    set('c-viewers', String(s.viewers));
    set('c-peak', String(v.summary.peakViewers));
    set('c-offload', pct(v.summary.offload));
    set('c-saved', bytes(v.summary.bytesSaved));
    set('c-money', v.cost ? money(v.summary.moneySaved, v.cost) : 'no price set');
    el('c-money').classList.toggle('hint', !v.cost);
    set('c-startup', secs(q.startupP50Ms) + ' / ' + secs(q.startupP95Ms));
    set('c-rebuffer', pct(q.rebufferingRatio, 2));
    set('c-stalls', rate(q.stallsPerViewerHour));
  }

  /** With peers against without, only where some viewing had no peers. @param {any} sum */
  function showCompare(sum) {
    const section = el('compare');
    section.hidden = sum.withoutPeers === null;
    if (sum.withoutPeers === null) return;
    const share = sum.withoutPeersShare === null ? 0 : sum.withoutPeersShare;
    set('compare-share', pct(share) + ' of watching time had no peers');
    const rows = [
      ['With peers', sum.withPeers, 1 - share],
      ['Without peers', sum.withoutPeers, share],
    ];
    el('compare-rows').replaceChildren(
      ...rows.map(([name, q, part]) =>
        row([
          ['', String(name)],
          ['Watching', pct(Number(part))],
          ['Startup median', secs(q.startupP50Ms)],
          ['Startup p95', secs(q.startupP95Ms)],
          ['Rebuffering', pct(q.rebufferingRatio, 2)],
          ['Stalls / viewer-hour', rate(q.stallsPerViewerHour)],
        ]),
      ),
    );
  }

  /** A table row; each cell carries its column name for the narrow (stacked) layout. @param {string[][]} cells */
  function row(cells) {
    const tr = document.createElement('tr');
    for (const [label, text] of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      if (label) td.dataset.label = label;
      tr.appendChild(td);
    }
    return tr;
  }

  /** @param {any} v */
  function showCharts(v) {
    const seconds = v.bucketMs < 60_000;
    const labels = v.points.map((/** @type {any} */ p) => clock(p.t, seconds));
    const pick = (/** @type {(p: any) => number|null} */ f) => v.points.map(f);
    setData(charts.viewers, labels, [pick((p) => p.viewers)]);
    setData(charts.offload, labels, [pick((p) => (p.offload === null ? null : p.offload * 100))]);
    setData(charts.saved, labels, [pick((p) => p.bytesSaved)]);
    setData(charts.startup, labels, [pick((p) => p.startupP50Ms), pick((p) => p.startupP95Ms)]);
    setData(charts.rebuffer, labels, [pick((p) => (p.rebufferingRatio === null ? null : p.rebufferingRatio * 100))]);
    for (const f of document.querySelectorAll('[data-bucket]'))
      f.textContent = v.bucketMs >= 60_000 ? v.bucketMs / 60_000 + ' min' : v.bucketMs / 1000 + ' s';
  }

  /** A swarm's label, else the start of its id. @param {any} s @param {number} idChars */
  function streamName(s, idChars) {
    return typeof s.label === 'string' && s.label ? s.label : s.swarm.slice(0, idChars) + '…';
  }

  /** @param {any[]} swarms @param {any} cost */
  function showSwarms(swarms, cost) {
    // Labels come from viewers: shown as text only (Option text, textContent), never as HTML.
    const options = [['', 'All streams']].concat(swarms.map((s) => [s.swarm, streamName(s, 12)]));
    if (
      select.options.length !== options.length ||
      options.some((o, i) => select.options[i].value !== o[0] || select.options[i].text !== o[1])
    ) {
      select.replaceChildren(...options.map(([v, label]) => new Option(label, v, false, v === scope)));
    }
    const body = el('swarms');
    if (swarms.length === 0) {
      body.replaceChildren(row([['', 'No streams yet.']]));
      return;
    }
    body.replaceChildren(
      ...swarms.map((s) => {
        const r = s.range;
        const tr = row([
          ['', streamName(s, 16)],
          ['Viewers', String(s.viewers)],
          ['Peak', String(r.peakViewers)],
          ['Offload', pct(r.offload)],
          ['Saved', bytes(r.bytesSaved)],
          ['Money', cost ? money(r.moneySaved, cost) : '–'],
          ['Startup', secs(r.qoe.startupP50Ms)],
          ['Rebuffering', pct(r.qoe.rebufferingRatio, 2)],
          ['Stalls/h', rate(r.qoe.stallsPerViewerHour)],
        ]);
        if (s.swarm === scope) tr.className = 'selected';
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
    set('redis', '· Redis ' + cluster.redis + (cluster.redis === 'up' ? '' : ' (this node only, degraded)'));
    el('nodes').replaceChildren(
      ...cluster.nodes.map((/** @type {any} */ n) =>
        row([
          ['', n.node + (n.self ? ' (this one)' : '')],
          ['Connections', String(n.connections)],
          ['Peers', String(n.peers)],
          ['Announces', String(n.announces)],
          ['Snapshot', clock(n.at, true)],
        ]),
      ),
    );
  }

  let last = /** @type {any} */ (null);
  function render() {
    if (!last) return;
    const swarm = scope ? last.swarms.find((/** @type {any} */ s) => s.swarm === scope) : undefined;
    if (scope && !swarm) scope = '';
    showCards(swarm || last.overall, last.view);
    showCompare(last.view.summary);
    showCharts(last.view);
    showSwarms(last.swarms, last.cost);
    showNodes(last.cluster);
    const nodes = last.cluster ? ' · ' + last.cluster.nodes.length + ' nodes' : '';
    set('updated', 'updated ' + clock(last.now, true) + ' · ' + last.tracker.connections + ' connections' + nodes);
    document.body.dataset.ready = '1';
    document.body.dataset.range = last.view.range;
  }

  async function refresh() {
    try {
      const res = await fetch('/api/stats?range=' + encodeURIComponent(range) + (scope ? '&swarm=' + scope : ''), { cache: 'no-store' });
      last = await res.json();
      render();
    } catch (err) {
      set('updated', 'stats unavailable: ' + String(err));
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
