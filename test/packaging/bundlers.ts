/**
 * Builds the packaging check page with each bundler through its own API, with the settings a
 * website would use for a browser build, and no process/Buffer shims. Each writes
 * <outDir>/index.html plus its script(s).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pageHtml } from './app-page.js';

export type BundlerName = 'esbuild' | 'vite' | 'webpack' | 'rollup';
export const BUNDLERS: readonly BundlerName[] = ['esbuild', 'vite', 'webpack', 'rollup'];

export interface BuildInput {
  readonly appDir: string;
  readonly entry: string;
  readonly outDir: string;
}

async function esbuildBuild({ entry, outDir }: BuildInput): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    outfile: path.join(outDir, 'main.js'),
    logLevel: 'error',
  });
  writeFileSync(path.join(outDir, 'index.html'), pageHtml('./main.js'));
}

async function viteBuild({ appDir, outDir }: BuildInput): Promise<void> {
  const { build } = await import('vite');
  await build({ root: appDir, configFile: false, logLevel: 'error', base: './', build: { outDir, emptyOutDir: true } });
}

async function webpackBuild({ appDir, entry, outDir }: BuildInput): Promise<void> {
  const { default: webpack } = await import('webpack');
  const compiler = webpack({
    mode: 'production',
    context: appDir,
    target: 'web',
    entry,
    output: { path: outDir, filename: 'main.js' },
    performance: { hints: false },
    // Production resolution and tree shaking; terser over hls.js alone costs a minute on a busy CI box.
    optimization: { minimize: false },
  });
  const stats = await new Promise<import('webpack').Stats | undefined>((resolve, reject) =>
    compiler.run((error, result) => (error ? reject(error) : resolve(result))),
  );
  await new Promise<void>((resolve) => compiler.close(() => resolve()));
  if (!stats || stats.hasErrors()) throw new Error(`webpack: ${stats?.toString('errors-only') ?? 'no stats'}`);
  writeFileSync(path.join(outDir, 'index.html'), pageHtml('./main.js'));
}

async function rollupBuild({ entry, outDir }: BuildInput): Promise<void> {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const bundle = await rollup({ input: entry, plugins: [nodeResolve({ browser: true })] });
  await bundle.write({ file: path.join(outDir, 'main.js'), format: 'es' });
  await bundle.close();
  writeFileSync(path.join(outDir, 'index.html'), pageHtml('./main.js'));
}

export const buildWith: Record<BundlerName, (input: BuildInput) => Promise<void>> = {
  esbuild: esbuildBuild,
  vite: viteBuild,
  webpack: webpackBuild,
  rollup: rollupBuild,
};
