/** One colour per byte source, shared by the chart, the segment strip and the cards (see style.css). */
export const COLORS = {
  http: '#f59e0b',
  p2p: '#10b981',
  mixed: '#38bdf8',
  cache: '#64748b',
  upload: '#a78bfa',
  offload: '#f8fafc',
} as const;
