import { readFileSync } from 'node:fs';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import { browserBundlePlugins, dropInMinifyOptions, libraryConfig, quietDependencyCycles } from '../../scripts/rollup-common.mjs';
import { sizeReport } from '../../scripts/size-report.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const stampVersion = () => replace({ preventAssignment: true, values: { __SHOAL_VERSION__: JSON.stringify(version) } });
const banner = `/*! @shoal/hlsjs v${version} | Apache-2.0 | hls.js not included */`;

export default [
  ...libraryConfig({ index: 'src/index.ts' }, ['@shoal/core', 'hls.js'], [stampVersion()]),
  // The drop-in <script> file: everything but hls.js (the page's own), exposed as window.Shoal.
  // shoal-hlsjs.min.js is the release file (CDN: @shoal/hlsjs@<version>/dist/shoal-hlsjs.min.js);
  // shoal-hlsjs.iife.js is the same code unminified, for debugging.
  {
    input: 'src/iife.ts',
    output: [
      { file: 'dist/shoal-hlsjs.iife.js', format: 'iife', name: 'Shoal', sourcemap: true, banner },
      {
        file: 'dist/shoal-hlsjs.min.js',
        format: 'iife',
        name: 'Shoal',
        sourcemap: true,
        banner,
        plugins: [terser(dropInMinifyOptions), sizeReport()],
      },
    ],
    plugins: [stampVersion(), ...browserBundlePlugins()],
    onwarn: quietDependencyCycles,
  },
];
