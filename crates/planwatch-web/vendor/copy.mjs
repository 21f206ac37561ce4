// Copies the browser libraries planwatch serves from node_modules into ../static/vendor/,
// one folder per library and version (the version is part of the URL, so the files can be
// cached for a year). Run after `npm ci` here; see README.md.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(here, 'node_modules/echarts/package.json'), 'utf8'));
const out = join(here, '..', 'static', 'vendor');
for (const old of readdirSync(out)) {
  if (old.startsWith('echarts-')) rmSync(join(out, old), { recursive: true });
}
const dir = join(out, `echarts-${pkg.version}`);
mkdirSync(dir, { recursive: true });
for (const f of ['dist/echarts.min.js', 'LICENSE', 'NOTICE']) {
  copyFileSync(join(here, 'node_modules/echarts', f), join(dir, f.replace('dist/', '')));
}
console.log(`copied echarts ${pkg.version} to ${dir}`);
