import { readFileSync } from 'node:fs';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import { browserBundlePlugins, dropInMinifyOptions, libraryConfig, quietDependencyCycles } from '../../scripts/rollup-common.mjs';
import { sizeReport } from '../../scripts/size-report.mjs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const stampVersion = () => replace({ preventAssignment: true, values: { __SHOAL_VERSION__: JSON.stringify(version) } });
const banner = `/*! @shoal/shaka v${version} | Apache-2.0 | Shaka Player not included */`;

export default [
  ...libraryConfig({ index: 'src/index.ts' }, ['@shoal/core', 'shaka-player'], [stampVersion()]),
  // The drop-in <script> file: everything but Shaka Player (the page's own), exposed as window.Shoal.
  // shoal-shaka.min.js is the release file (CDN: @shoal/shaka@<version>/dist/shoal-shaka.min.js);
  // shoal-shaka.iife.js is the same code unminified, for debugging.
  {
    input: 'src/iife.ts',
    output: [
      { file: 'dist/shoal-shaka.iife.js', format: 'iife', name: 'Shoal', sourcemap: true, banner },
      {
        file: 'dist/shoal-shaka.min.js',
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
