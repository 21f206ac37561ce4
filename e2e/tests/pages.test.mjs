// Every page as a person sees it, on a desktop and on a phone. Signed in as the demo's
// administrator, the test follows links from the region list (same origin, GET, no
// downloads, no logout) until it has seen every kind of page — a few of each, so that the
// crawl stays short — and visits each at 1366×900 and 390×844. On every page: nothing is
// wider than the screen unless it sits inside a box that scrolls sideways itself, no
// developer text shows, the console stays clean, and every chart is drawn. Screenshots go to
// e2e/screenshots/ (60-pages-*.png), which CI keeps as artefacts.
//
// Runs the release binary (PLANWATCH_BIN, default ../target/release/planwatch) with a fresh
// data directory on a free port, and Debian's chromium (/usr/bin/chromium).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { shots, chromiumPath, chromiumFlags, startDemo, loginAs } from '../lib/demo.mjs';

let demo;
let base;
let browser;
let dataDir;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'planwatch-e2e-pages-'));
  mkdirSync(shots, { recursive: true });
  ({ process: demo, base } = await startDemo(dataDir));
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
});

after(async () => {
  if (browser) await browser.close();
  if (demo) demo.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Pages of each kind visited: enough to meet each kind's variants, few enough to be quick. */
const PER_KIND = 2;
/** The crawl stops here whatever it has not seen yet. */
const MAX_PAGES = 90;

/** Links not followed: files to download, the JSON API, logging out. */
function skipped(url) {
  const p = url.pathname;
  return /\.(docx|xlsx|csv|json|pdf|zip|png|svg|js|css)$/i.test(p)
    || (url.searchParams.has('format') && url.searchParams.get('format') !== 'html')
    || p.startsWith('/api/')
    || p.startsWith('/static/')
    || p === '/logout'
    || p === '/login';
}

/**
 * What kind of page an address is: ids and indicator keys replaced, the query left out
 * (`?year=` shows the same kind). `/regions/3/indicators/W-HEA-03` → `/regions/#/indicators/*`.
 */
function kindOf(url) {
  const parts = url.pathname.split('/');
  return parts
    .map((s, i) => {
      if (/^\d+$/.test(s)) return '#';
      if (i > 0 && ['indicators', 'compare'].includes(parts[i - 1]) && s !== '') return '*';
      if (i > 0 && parts[i - 1] === 'units' && s !== 'assign') return '#';
      return s;
    })
    .join('/');
}

/** The kinds of page the crawl must meet (issue 15, item 7). */
const REQUIRED = [
  '/', // region list
  '/regions/#', // region
  '/regions/#/dashboard',
  '/regions/#/indicators/*',
  '/regions/#/compare/*',
  '/regions/#/overview',
  '/overview',
  '/plans/#/versions/#',
  '/plans/#/versions/#/source',
  '/indicators',
  '/indicators/*',
  '/regions/#/units',
  '/users',
  '/audit',
  '/regions/#/rounds',
  '/regions/#/rounds/#',
  '/regions/#/report',
  '/regions/#/publications',
  '/public',
  '/glossary',
  '/account',
  '/search',
];

/** Visible text a clerk must never read. */
const DEVELOPER_TEXT = [
  { what: 'a [bookmark leftover', re: /\[bookmark/ },
  { what: 'the program name', re: /planwatch /i },
  { what: 'an API address', re: /\/api\// },
  { what: 'a stored file name', re: /[0-9]{3}_[0-9a-f]{16}/ },
  { what: 'a .txt/.docx file name', re: /[A-Za-z0-9_-]+\.(txt|docx)\b/ },
];

/** A signed-in context at `viewport` that records console errors and failed pages. */
async function open(viewport, { javaScript = true } = {}) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', javaScriptEnabled: javaScript });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await loginAs(page, base, 'admin');
  return { context, page, errors };
}

/** Follows links breadth-first from the region list; returns the addresses to check. */
async function crawl(page) {
  const seeds = [
    '/',
    // Forms, not links: the header's search and the long pages' filters.
    `/search?q=${encodeURIComponent('孕产妇')}`,
    `/search?q=${encodeURIComponent('没有这种指标')}`,
    `/indicators?q=${encodeURIComponent('死亡率')}`,
    '/public',
    '/glossary',
  ];
  const queue = seeds.map((s) => new URL(s, base).href);
  const seen = new Set(queue);
  const perKind = new Map();
  const pages = [];
  while (queue.length && pages.length < MAX_PAGES) {
    const href = queue.shift();
    const url = new URL(href);
    const kind = kindOf(url);
    const count = perKind.get(kind) || 0;
    if (count >= PER_KIND) continue;
    const resp = await page.goto(href, { waitUntil: 'domcontentloaded' });
    if (!resp) continue;
    const type = resp.headers()['content-type'] || '';
    if (!type.startsWith('text/html')) continue;
    assert.ok(resp.status() < 400, `${href} answered ${resp.status()}`);
    perKind.set(kind, count + 1);
    pages.push({ href, kind });
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    // The report form's 在线查看 is a GET form: the address it opens, as a link.
    links.push(...await page.$$eval('form[method="get"][action$="/report"]', (fs) => fs.map((f) => {
      const q = new URLSearchParams(new FormData(f));
      q.set('format', 'html');
      return `${f.action}?${q}`;
    })));
    for (const l of links) {
      let u;
      try {
        u = new URL(l);
      } catch {
        continue;
      }
      if (u.origin !== new URL(base).origin || skipped(u)) continue;
      u.hash = '';
      if (seen.has(u.href)) continue;
      seen.add(u.href);
      // One page of a kind already met waits behind the kinds not met yet.
      if (perKind.has(kindOf(u))) queue.push(u.href);
      else queue.unshift(u.href);
    }
  }
  return pages;
}

/** What is wrong with the page as shown: elements off the screen, developer text, charts. */
async function inspect(page) {
  return page.evaluate((patterns) => {
    const vw = document.documentElement.clientWidth;
    const problems = [];
    // A box that scrolls sideways by itself (a table's wrapper) may hold wider things.
    const scrolls = (el) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (['auto', 'scroll', 'hidden'].includes(s.overflowX)) return true;
      }
      return false;
    };
    const describe = (el) => {
      const id = el.id ? `#${el.id}` : '';
      const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
      const text = (el.innerText || '').trim().slice(0, 30).replace(/\s+/g, ' ');
      return `<${el.tagName.toLowerCase()}${id}${cls}> “${text}”`;
    };
    if (document.documentElement.scrollWidth > vw + 1) {
      problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px in ${vw}px`);
    }
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || s.position === 'fixed') continue;
      if ((r.right > vw + 1 || r.left < -1) && !scrolls(el)) {
        problems.push(`wider than the screen (${Math.round(r.left)}…${Math.round(r.right)} of ${vw}px): ${describe(el)}`);
        if (problems.length > 5) break;
      }
    }
    const text = document.body.innerText;
    for (const p of patterns) {
      const m = text.match(new RegExp(p.source, p.flags));
      if (m) {
        const at = m.index || 0;
        problems.push(`shows ${p.what}: “${text.slice(Math.max(0, at - 20), at + 30).replace(/\s+/g, ' ')}”`);
      }
    }
    const charts = [...document.querySelectorAll('[data-chart]')].map((el) => {
      const c = el.querySelector('canvas, svg');
      const r = c ? c.getBoundingClientRect() : { width: 0, height: 0 };
      return { id: el.id, drawn: el.getAttribute('data-rendered') === 'true', width: r.width, height: r.height };
    });
    return { problems, charts, height: document.documentElement.scrollHeight };
  }, DEVELOPER_TEXT.map((d) => ({ what: d.what, source: d.re.source, flags: d.re.flags })));
}

function slug(href) {
  const u = new URL(href);
  const s = (u.pathname + (u.search ? `-${u.search.slice(1)}` : ''))
    .replace(/%[0-9A-F]{2}/gi, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return s.slice(0, 60) || 'home';
}

test('every page reads on a desktop and on a phone: nothing off screen, no developer text, no console errors, charts drawn', { timeout: 900_000 }, async () => {
  const desk = await open(DESKTOP);
  const pages = await crawl(desk.page);
  const kinds = new Set(pages.map((p) => p.kind));
  const missing = REQUIRED.filter((k) => !kinds.has(k));
  assert.deepEqual(missing, [], `kinds of page the crawl did not reach (it saw ${[...kinds].join(' ')})`);
  const phone = await open(PHONE);
  // The checks themselves catch what they look for: a block wider than the phone, and a
  // developer string, put into a page that passes.
  await phone.page.goto(`${base}/glossary`);
  await phone.page.evaluate(() => {
    const wide = document.createElement('div');
    wide.style.width = '900px';
    wide.textContent = 'planwatch serve';
    document.querySelector('main').appendChild(wide);
  });
  const control = (await inspect(phone.page)).problems.join('\n');
  assert.match(control, /wider than the screen/, control);
  assert.match(control, /the program name/, control);
  const failures = [];
  let index = 0;
  for (const { href, kind } of pages) {
    index += 1;
    for (const [size, ctx] of [['desktop', desk], ['phone', phone]]) {
      ctx.errors.length = 0;
      const resp = await ctx.page.goto(href, { waitUntil: 'load' });
      assert.ok(resp && resp.status() < 400, `${href} at ${size}: ${resp && resp.status()}`);
      const chartCount = await ctx.page.locator('[data-chart]').count();
      if (chartCount > 0) {
        await ctx.page
          .waitForFunction((n) => document.querySelectorAll('[data-chart][data-rendered="true"]').length === n, chartCount, { timeout: 15_000 })
          .catch(() => {});
        // The entry animation, before measuring and the screenshot.
        await ctx.page.waitForTimeout(600);
      }
      const { problems, charts, height } = await inspect(ctx.page);
      for (const c of charts) {
        if (!c.drawn || c.width < 100 || c.height < 100) problems.push(`chart ${c.id} not drawn (${c.width}×${c.height})`);
      }
      for (const e of ctx.errors) problems.push(`console: ${e}`);
      for (const p of problems) failures.push(`${size} ${href} (${kind}): ${p}`);
      const name = `60-pages-${String(index).padStart(2, '0')}-${slug(href)}-${size}.png`;
      // The whole page unless it is very long (a plan's source text): then the first screens.
      await ctx.page.screenshot({ path: join(shots, name), fullPage: height < 12_000 });
    }
  }
  await desk.context.close();
  await phone.context.close();
  assert.deepEqual(failures, [], `${failures.length} problems on ${pages.length} pages:\n${failures.join('\n')}`);
});

test('the long pages find and jump without JavaScript: search, the catalog, the source text, the indicator system', async () => {
  const { context, page } = await open(PHONE, { javaScript: false });
  // The header's search box, as a person types into it.
  await page.goto(`${base}/`);
  const box = page.locator('header form.site-search input[name="q"]');
  await box.fill('孕产妇');
  await Promise.all([page.waitForURL(/\/search\?q=/), page.locator('header form.site-search button').click()]);
  assert.ok(await page.locator('#indicators .hits a').count() > 0, 'indicators found');
  assert.ok(await page.locator('#targets .hits a').count() > 0, 'targets found');
  const first = await page.locator('#targets .hits a').first().getAttribute('href');
  assert.match(first, /^\/regions\/\d+\/indicators\//);
  await page.screenshot({ path: join(shots, '61-search-phone.png'), fullPage: true });

  // The catalog: a filter, and the domains as in-page links.
  await page.goto(`${base}/indicators`);
  const all = await page.locator('table.catalog tbody tr').count();
  await page.locator('#catalog-q').fill('死亡率');
  await Promise.all([page.waitForURL(/\/indicators\?q=/), page.locator('form.filter-box button').click()]);
  const some = await page.locator('table.catalog tbody tr').count();
  assert.ok(some > 0 && some < all, `filtered ${some} of ${all}`);
  assert.match(await page.locator('nav.page-tools').innerText(), new RegExp(`共 ${some} 项`));

  // A plan's source: the domains link to their headings; the filter keeps matching lines.
  await page.goto(`${base}/`);
  const region = await page.locator('a[href^="/regions/"]').first().getAttribute('href');
  await page.goto(`${base}${region}`);
  const plan = page.locator('a[href^="/plans/"]').first();
  if ((await plan.count()) > 0) {
    await page.goto(`${base}${await plan.getAttribute('href')}`);
    const source = await page.locator('a[href$="/source"]').first().getAttribute('href');
    await page.goto(`${base}${source}`);
    const jumps = await page.locator('nav.page-tools ol a').count();
    assert.ok(jumps >= 2, `domain links on the source page: ${jumps}`);
    const target = (await page.locator('nav.page-tools ol a').first().getAttribute('href')).split('#')[1];
    assert.equal(await page.locator(`#${target}`).count(), 1, 'the domain link lands on a line');
    const lines = await page.locator('.source .line').count();
    await page.locator('#source-q').fill('健康');
    await Promise.all([page.waitForURL(/\/source\?q=/), page.locator('form.filter-box button').click()]);
    const kept = await page.locator('.source .line').count();
    assert.ok(kept > 0 && kept < lines, `${kept} of ${lines} lines`);
    for (const t of await page.locator('.source .line .tx').allInnerTexts()) assert.ok(t.includes('健康'), t);
  }
  await context.close();
});
