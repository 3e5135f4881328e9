import { libraryConfig, typescript } from '../../scripts/rollup-common.mjs';

export default [
  ...libraryConfig({ index: 'src/index.ts', protocol: 'src/protocol/index.ts', integrity: 'src/integrity/index.ts' }, ['bittorrent-tracker']),
  // The `shoal-hash` command (bin/shoal-hash.js runs it when the TypeScript source is not there).
  {
    input: { 'shoal-hash': 'src/cli/shoal-hash.ts' },
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    external: (id) => id.startsWith('node:'),
    plugins: [typescript()],
  },
];
