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

/** The password of every demo account (`planwatch demo` lists them on its login page). */
export const demoPassword = 'planwatch-demo';

/** The row of demo account `name` on the login page (its 以此账号登录 button submits it). */
export function demoAccountRow(page, name) {
  return page.locator('section.demo-accounts tbody tr', {
    has: page.locator(`input[type="hidden"][name="name"][value="${name}"]`),
  });
}

/**
 * Signs `page` in as demo account `name`: opens the login page (with `next` when given),
 * clicks the account's 以此账号登录 button and waits until the browser has left /login.
 * With `password: true` it types 登录名 and 密码 into the form instead, as a person would.
 * Works with page JavaScript off (the buttons are plain form posts).
 */
export async function loginAs(page, base, name, { next, password = false } = {}) {
  const url = next ? `${base}/login?next=${encodeURIComponent(next)}` : `${base}/login`;
  const resp = await page.goto(url);
  assert.equal(resp.status(), 200, `login page at ${url}`);
  const left = page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
  if (password) {
    const form = page.locator('form.stack-form[action="/login"]');
    await form.getByLabel('登录名').fill(name);
    await form.getByLabel('密码').fill(demoPassword);
    await form.getByRole('button', { name: '登录', exact: true }).click();
  } else {
    const row = demoAccountRow(page, name);
    assert.equal(await row.count(), 1, `demo account ${name} is listed on the login page`);
    await row.getByRole('button', { name: '以此账号登录' }).click();
  }
  await left;
  // The header names who is signed in and offers 退出.
  assert.equal(await page.locator('header .account a[href="/account"]').count(), 1, `signed in as ${name}: ${page.url()}`);
}

/** Signs out through the header's 退出 button; resolves once the browser is at /login?out=1. */
export async function logout(page) {
  await Promise.all([
    page.waitForURL(/\/login\?out=1$/),
    page.locator('header form.logout').getByRole('button', { name: '退出' }).click(),
  ]);
}
