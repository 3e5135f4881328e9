/** Where the demo finds its files: its own page, the SDK bundle, the page's libraries, the media. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MEDIA_ROOT, SHOAL_IIFE_PATH } from '@shoal/test-kit';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const demoRoot = path.resolve(here, '..');

export const paths = {
  publicDir: path.join(demoRoot, 'public'),
  pageEntry: path.join(demoRoot, 'src', 'page', 'main.ts'),
  /** Sample streams served by the local origin (routes /vod/<stream>/... and /live/<stream>/...). */
  mediaRoot: DEFAULT_MEDIA_ROOT,
  /** The drop-in SDK bundle, made by `npm run build`. */
  shoalIife: SHOAL_IIFE_PATH,
};

/**
 * A file beside an installed package's main entry (its dist folder), found the way Node finds the
 * package. (Not via package.json: chart.js does not export it.)
 */
export function packageDistFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(pkg)), file);
}
