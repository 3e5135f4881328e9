// Shared rollup pieces for the packages: TypeScript via esbuild, declarations via rollup-plugin-dts.
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';

export const typescript = () => esbuild({ target: 'es2020', tsconfig: new URL('../tsconfig.base.json', import.meta.url).pathname });

const isExternal = (deps) => (id) => deps.some((dep) => id === dep || id.startsWith(`${dep}/`));

/** ESM build of each entry plus one bundled .d.ts per entry; dependencies stay external. */
export function libraryConfig(entries, external) {
  return [
    {
      input: entries,
      output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      external: isExternal(external),
      plugins: [typescript()],
    },
    ...Object.entries(entries).map(([name, input]) => ({
      input,
      output: { file: `dist/${name}.d.ts`, format: 'es' },
      external: isExternal(external),
      plugins: [dts({ tsconfig: new URL('../tsconfig.base.json', import.meta.url).pathname })],
    })),
  ];
}

/**
 * bittorrent-tracker's "browser" field switches off its Node-only parts (HTTP/UDP trackers,
 * SOCKS, querystring helpers); node-resolve ignores that field for packages with "exports",
 * so the same switch is made here.
 */
export function browserOnlyTrackerClient() {
  const empty = '\0shoal-empty-module';
  const nodeOnly = [/bittorrent-tracker\/lib\/client\/(http|udp)-tracker\.js$/, /bittorrent-tracker\/lib\/common-node\.js$/, /^socks$/];
  return {
    name: 'shoal-browser-only-tracker-client',
    async resolveId(source, importer, options) {
      if (nodeOnly.some((re) => re.test(source))) return empty;
      if (source.startsWith('.') && importer) {
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
        if (resolved && nodeOnly.some((re) => re.test(resolved.id))) return empty;
      }
      return null;
    },
    load(id) {
      return id === empty ? 'export default {};' : null;
    },
  };
}
