import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import { browserOnlyTrackerClient, libraryConfig, typescript } from '../../scripts/rollup-common.mjs';

export default [
  ...libraryConfig({ index: 'src/index.ts' }, ['@shoal/core', 'hls.js', 'bittorrent-tracker']),
  // The drop-in <script> file: everything but hls.js (the page's own), exposed as window.Shoal.
  {
    input: 'src/iife.ts',
    output: { file: 'dist/shoal-hlsjs.iife.js', format: 'iife', name: 'Shoal', sourcemap: true },
    plugins: [
      browserOnlyTrackerClient(),
      // bittorrent-tracker's client reads `process.browser`; there is no `process` in a page.
      replace({ preventAssignment: true, values: { 'process.browser': 'true' } }),
      nodeResolve({ browser: true, preferBuiltins: false, exportConditions: ['source', 'browser', 'import', 'default'] }),
      commonjs(),
      typescript(),
    ],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return;
      warn(warning);
    },
  },
];
