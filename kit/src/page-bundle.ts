/** Bundles a page's TypeScript for the browser, in memory, when a server starts (the demo's page, the bench's player). */
import { build } from 'esbuild';

export interface Bundle {
  js: string;
  map: string;
}

export interface BundleOptions {
  /**
   * 'esm' (default) for `<script type="module">`, which runs after the page is parsed; 'iife' for a
   * classic script, which runs in order with the page's other classic scripts.
   */
  readonly format?: 'esm' | 'iife';
  /** The file name the page loads it by (default app.js); the source map is `<name>.map` beside it. */
  readonly name?: string;
}

export async function bundlePage(entry: string, options: BundleOptions = {}): Promise<Bundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: options.format ?? 'esm',
    target: 'es2020',
    platform: 'browser',
    // Workspace packages from their TypeScript sources, as everywhere in the repository.
    conditions: ['source'],
    sourcemap: 'linked',
    outfile: options.name ?? 'app.js',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
  if (!js || !map) throw new Error(`esbuild produced no output for ${entry}`);
  return { js: js.text, map: map.text };
}
