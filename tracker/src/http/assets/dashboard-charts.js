// Shoal tracker dashboard: formatting and the Chart.js charts (served by the tracker at
// /assets/chart.umd.js). Plain browser script, no build step; exposes window.ShoalDash.
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
    return (i === 0 ? String(Math.round(n)) : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)) + ' ' + units[i];
  }
  /** A ratio as a percentage, '–' when there is none (nothing flowed: not 0 %). @param {number|null|undefined} r */
  function pct(r, digits = 1) {
    return r === null || r === undefined ? '–' : (r * 100).toFixed(digits) + ' %';
  }
  /** @param {number|null|undefined} ms */
  function secs(ms) {
    return ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(ms < 10_000 ? 2 : 1) + ' s';
  }
  /** @param {number|null|undefined} n */
  function rate(n) {
    return n === null || n === undefined ? '–' : n.toFixed(n < 10 ? 2 : 1);
  }
  /** @param {number|null|undefined} amount @param {{currency: string}|null} cost */
  function money(amount, cost) {
    if (amount === null || amount === undefined || cost === null) return '–';
    const digits = amount < 1 ? 4 : 2;
    try {
      return new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency: cost.currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(amount);
    } catch {
      return amount.toFixed(digits) + ' ' + cost.currency;
    }
  }
  /** @param {number} t @param {boolean} seconds */
  function clock(t, seconds) {
    return new Date(t).toLocaleTimeString(
      [],
      seconds ? { hour: '2-digit', minute: '2-digit', second: '2-digit' } : { hour: '2-digit', minute: '2-digit' },
    );
  }
  /** @param {string} id */
  function el(id) {
    const e = document.getElementById(id);
    if (!e) throw new Error('missing #' + id);
    return e;
  }

  /**
   * One chart. Lines are straight between neighbouring buckets and broken where a bucket is null
   * (spanGaps false): a period without data reads as a gap, never as a slope or a 0.
   * @param {string} id
   * @param {'line'|'bar'} type
   * @param {{label: string, color: string, dash?: number[]}[]} series
   * @param {(v: number) => string} fmt
   * @param {{max?: number, integer?: boolean}} axis
   */
  function makeChart(id, type, series, fmt, axis) {
    const canvas = /** @type {HTMLCanvasElement} */ (el(id));
    // @ts-ignore Chart is the UMD global
    return new Chart(canvas, {
      type,
      data: {
        labels: [],
        datasets: series.map((s) => ({
          label: s.label,
          data: [],
          borderColor: s.color,
          backgroundColor: type === 'bar' ? s.color : s.color + '22',
          borderDash: s.dash || [],
          fill: type === 'line' && series.length === 1,
          pointRadius: 0,
          pointHitRadius: 6,
          borderWidth: 2,
          spanGaps: false,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { display: series.length > 1, labels: { boxWidth: 12 } },
          tooltip: {
            callbacks: {
              label: (/** @type {any} */ c) =>
                (series.length > 1 ? c.dataset.label + ': ' : '') + (c.parsed.y === null ? '–' : fmt(c.parsed.y)),
            },
          },
        },
        scales: {
          x: { ticks: { maxTicksLimit: 6, maxRotation: 0, autoSkip: true }, grid: { display: false } },
          y: {
            beginAtZero: true,
            max: axis.max,
            // Integer axes (viewers) get whole ticks only: precision 0, and no label on a fraction.
            ticks: {
              precision: axis.integer ? 0 : undefined,
              maxTicksLimit: 6,
              callback: (/** @type {any} */ v) => (axis.integer && !Number.isInteger(Number(v)) ? '' : fmt(Number(v))),
            },
          },
        },
      },
    });
  }

  /** @param {any} chart @param {string[]} labels @param {(number|null)[][]} values */
  function setData(chart, labels, values) {
    chart.data.labels = labels;
    values.forEach((v, i) => (chart.data.datasets[i].data = v));
    chart.update('none');
  }

  // @ts-ignore attached for dashboard.js
  window.ShoalDash = { bytes, pct, secs, rate, money, clock, el, makeChart, setData };
})();
