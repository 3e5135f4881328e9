// Rollup output plugin: lists what a bundle is made of, by package, largest first, as each part
// weighs once minified and gzipped on its own (a close estimate; the whole file compresses a
// little better). Written next to the bundle as <file>.contents.txt, so CI output shows it.
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';

function packageOf(id) {
  const at = id.lastIndexOf('node_modules/');
  if (at < 0)
    return id.includes('/browser-shims/')
      ? '(browser shims)'
      : id.includes('/packages/core/')
        ? '@shoal/core'
        : id.includes('/packages/hlsjs/')
          ? '@shoal/hlsjs'
          : '(rollup helpers)';
  const rest = id.slice(at + 'node_modules/'.length).split('/');
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

const gzipBytes = (text) => gzipSync(text, { level: 9 }).length;

export function sizeReport() {
  return {
    name: 'shoal-size-report',
    generateBundle(options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !options.file) continue;
        const code = new Map();
        for (const [id, module] of Object.entries(chunk.modules)) {
          if (!module.code) continue;
          const name = packageOf(id);
          code.set(name, `${code.get(name) ?? ''}\n${module.code}`);
        }
        const rows = [...code].map(([name, text]) => ({ name, gzip: gzipBytes(transformSync(text, { minify: true, loader: 'js' }).code) }));
        rows.sort((a, b) => b.gzip - a.gzip);
        const total = gzipBytes(chunk.code);
        const lines = [
          `${options.file}: ${chunk.code.length} bytes, ${total} gzipped (level 9)`,
          'package: minified + gzipped alone',
          ...rows.map((r) => `  ${r.name}: ${r.gzip}`),
        ];
        writeFileSync(`${options.file}.contents.txt`, lines.join('\n') + '\n');
      }
    },
  };
}
