/** Bundles the page's TypeScript for the browser, in memory, when the server starts. */
import { build } from 'esbuild';

export interface Bundle {
  js: string;
  map: string;
}

export async function bundlePage(entry: string): Promise<Bundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    sourcemap: 'linked',
    outfile: 'app.js',
    logLevel: 'silent',
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
  if (!js || !map) throw new Error('demo: esbuild produced no output for the page');
  return { js: js.text, map: map.text };
}
