// Shared rollup pieces for the packages: TypeScript via esbuild, declarations via rollup-plugin-dts.
import { fileURLToPath } from 'node:url';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';
import { sizeReport } from './size-report.mjs';

export const typescript = (target = 'es2020') => esbuild({ target, tsconfig: new URL('../tsconfig.base.json', import.meta.url).pathname });

const isExternal = (deps) => (id) => deps.some((dep) => id === dep || id.startsWith(`${dep}/`));

/** ESM build of each entry plus one bundled .d.ts per entry; dependencies stay external. */
export function libraryConfig(entries, external, plugins = []) {
  return [
    {
      input: entries,
      output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      external: isExternal(external),
      plugins: [...plugins, typescript()],
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
 * so the same switch is made here. `debug` (2.7 KB gzipped with `ms`) only prints when a page sets
 * localStorage.debug, so browser builds get a logger that does nothing.
 */
export function browserOnlyTrackerClient() {
  const empty = '\0shoal-empty-module';
  const silentDebug = '\0shoal-silent-debug';
  const nodeOnly = [/bittorrent-tracker\/lib\/client\/(http|udp)-tracker\.js$/, /bittorrent-tracker\/lib\/common-node\.js$/, /^socks$/];
  return {
    name: 'shoal-browser-only-tracker-client',
    async resolveId(source, importer, options) {
      if (source === 'debug') return silentDebug;
      if (nodeOnly.some((re) => re.test(source))) return empty;
      if (source.startsWith('.') && importer) {
        const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
        if (resolved && nodeOnly.some((re) => re.test(resolved.id))) return empty;
      }
      return null;
    },
    load(id) {
      if (id === silentDebug) return 'const log = () => {}; log.enabled = false; log.extend = () => log;\nexport default () => log;';
      return id === empty ? 'export default {};' : null;
    },
    // Client.scrape, the one-shot scrape helper, is never called by Shoal, and a static
    // assignment is more than terser may drop (~160 B gzipped of the drop-in's 40 KiB budget).
    transform(code, id) {
      if (!/bittorrent-tracker\/client\.js$/.test(id)) return null;
      const start = code.indexOf('Client.scrape = (opts, cb) => {');
      const end = code.indexOf('\n}\n', start);
      if (start < 0 || end < 0) {
        this.warn('bittorrent-tracker: Client.scrape not found, the drop-in keeps it (check the client after an upgrade)');
        return null;
      }
      return { code: code.slice(0, start) + code.slice(end + 3), map: null };
    },
  };
}

/**
 * Plugins for a build that runs in a page with no bundler help: bittorrent-tracker's client and
 * its dependencies (simple-peer, events, ...) are bundled in, resolved to their browser builds,
 * with the one Node global they read unguarded (`process.browser`) replaced. Everything else in
 * them that touches `process`/`global` is guarded by `typeof`, so no shim is asked of the user.
 */
/**
 * Syntax level of the browser bundles: native class fields and optional chaining (Chrome 80+,
 * Firefox 75+, Safari 14.1+); lowering class fields
 * to ES2020 helper calls cost ~1.5 KB gzipped in the drop-in file.
 */
export const BROWSER_TARGET = 'es2022';

/**
 * Dependencies of the bundled client that the browser already provides, or that are one small
 * function (once, run-parallel, err-code: 0.9 KB gzipped together with wrappy, which the bundle's
 * 40 KiB budget could not spare), or, for streamx, a class far larger than the part its callers
 * use: each resolves to a module of ours in scripts/browser-shims/ with exactly the API its
 * callers use, checked against the package in test/packaging/ (browser-shims, function-shims,
 * streamx-shim*).
 */
export function nativeBrowserEquivalents() {
  const shims = {
    events: 'events.ts',
    'events-universal': 'events.ts',
    'text-decoder': 'text-decoder.ts',
    'queue-microtask': 'queue-microtask.ts',
    once: 'once.ts',
    'run-parallel': 'run-parallel.ts',
    'err-code': 'err-code.ts',
    'uint8-util': 'uint8-util.ts',
    streamx: 'streamx.ts',
  };
  return {
    name: 'shoal-native-browser-equivalents',
    resolveId(source) {
      const file = shims[source];
      return file ? fileURLToPath(new URL(`./browser-shims/${file}`, import.meta.url)) : null;
    },
  };
}

/**
 * terser for the drop-in file: two compress passes inline and drop what the first pass exposes
 * (~1.6 KB gzipped less than esbuild's one-pass minify). Property names are never mangled: the
 * bundle talks to hls.js, the page and bundled libraries by name.
 */
export const dropInMinifyOptions = {
  ecma: 2022,
  // The bundled libraries' debug calls go to the silent logger above (their arguments are strings
  // and property reads): dropping the calls saves ~370 B gzipped of format strings. Rollup names
  // the second bundled module's own `debug` constant `debug$1`.
  compress: { passes: 2, pure_funcs: ['this._debug', 'debug', 'debug$1'] },
  mangle: true,
  format: { comments: /^!/ },
};

export function browserBundlePlugins() {
  return [
    browserOnlyTrackerClient(),
    nativeBrowserEquivalents(),
    replace({ preventAssignment: true, values: { 'process.browser': 'true' } }),
    nodeResolve({ browser: true, preferBuiltins: false, exportConditions: ['source', 'browser', 'import', 'default'] }),
    commonjs(),
    typescript(BROWSER_TARGET),
  ];
}

/** Circular imports inside bundled dependencies are theirs, and harmless; ours still warn. */
export function quietDependencyCycles(warning, warn) {
  if (warning.code === 'CIRCULAR_DEPENDENCY' && /node_modules/.test(warning.message)) return;
  warn(warning);
}

/**
 * One player package's builds: its ESM library (+ .d.ts) with the player and @shoal/core
 * external, and its drop-in <script> file with everything but the player (the page's own),
 * exposed as window.Shoal: shoal-<name>.min.js is the release file (CDN:
 * @shoal/<name>@<version>/dist/shoal-<name>.min.js), shoal-<name>.iife.js the same code
 * unminified, for debugging.
 */
export function playerPackageConfig({ name, version, player, playerTitle }) {
  const stampVersion = () => replace({ preventAssignment: true, values: { __SHOAL_VERSION__: JSON.stringify(version) } });
  const banner = `/*! @shoal/${name} v${version} | Apache-2.0 | ${playerTitle} not included */`;
  return [
    ...libraryConfig({ index: 'src/index.ts' }, ['@shoal/core', player], [stampVersion()]),
    {
      input: 'src/iife.ts',
      output: [
        { file: `dist/shoal-${name}.iife.js`, format: 'iife', name: 'Shoal', sourcemap: true, banner },
        {
          file: `dist/shoal-${name}.min.js`,
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
}
