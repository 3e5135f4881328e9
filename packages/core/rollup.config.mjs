import { browserBundlePlugins, libraryConfig, quietDependencyCycles, typescript } from '../../scripts/rollup-common.mjs';

export default [
  // Node build (the "node" export condition): bittorrent-tracker stays an ordinary dependency.
  ...libraryConfig(
    { index: 'src/index.ts', protocol: 'src/protocol/index.ts', integrity: 'src/integrity/index.ts', sim: 'src/sim/index.ts' },
    ['bittorrent-tracker'],
  ),
  // Browser build (the "default" condition every bundler picks for a page): the tracker client and
  // its dependencies are bundled in with their browser resolutions, so esbuild, Vite, webpack and
  // Rollup builds need no `process`/`Buffer` shims and never see bittorrent-tracker's Node parts.
  {
    input: { index: 'src/index.ts' },
    output: { dir: 'dist/browser', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: browserBundlePlugins(),
    onwarn: quietDependencyCycles,
  },
  // The `shoal-hash` command (bin/shoal-hash.js runs it when the TypeScript source is not there).
  {
    input: { 'shoal-hash': 'src/cli/shoal-hash.ts' },
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    external: (id) => id.startsWith('node:'),
    plugins: [typescript()],
  },
];
