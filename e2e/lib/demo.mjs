// What every browser test shares: the release binary, Debian's chromium and its flags, the
// screenshot folder, and starting `planwatch demo` on a free port with a fresh data directory.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

export const bin = process.env.PLANWATCH_BIN || join(root, 'target', 'release', 'planwatch');
export const shots = join(here, '..', 'screenshots');
export const chromiumPath = '/usr/bin/chromium';
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts `planwatch demo` with `dataDir` as its data directory; resolves with
 * `{ process, base }`, base being the address it prints (without the trailing slash).
 */
export function startDemo(dataDir) {
  return new Promise((resolvePromise, reject) => {
    assert.ok(existsSync(bin), `planwatch binary not found at ${bin} (cargo build --release -p planwatch-cli)`);
    const demo = spawn(bin, ['demo', '--addr', '127.0.0.1:0'], {
      env: { ...process.env, PLANWATCH_DATA_DIR: dataDir, PLANWATCH_DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`demo printed no address:\n${out}`)), 60_000);
    demo.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/[0-9.]+:\d+\//);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ process: demo, base: m[0].replace(/\/$/, '') });
      }
    });
    demo.stderr.on('data', (chunk) => { out += chunk; });
    demo.on('exit', (code) => reject(new Error(`demo exited with ${code}:\n${out}`)));
  });
}
