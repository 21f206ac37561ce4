// The level above (上级监测) as a committee one level up sees it: the demo's national
// overview in headless Chromium, ranked sub-regions with their 达标率 and warnings, a filter
// chosen in the form, a row followed down to the region's own dashboard, the indicator
// spread followed to its comparison; then the same page on a phone, where the wide table
// scrolls inside its own box and the page itself never scrolls sideways. The national
// overview is the administrator's: every context signs in as the demo's admin first.
//
// Screenshots go to e2e/screenshots/ (2x-overview*.png).

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
  dataDir = mkdtempSync(join(tmpdir(), 'planwatch-e2e-overview-'));
  mkdirSync(shots, { recursive: true });
  ({ process: demo, base } = await startDemo(dataDir));
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
});

after(async () => {
  if (browser) await browser.close();
  if (demo) demo.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  await loginAs(page, base, 'admin');
  return { context, page, errors };
}

/** The names in the ranking table, in order. */
function rankedNames(page) {
  return page.$$eval('table.overview tbody tr td.indicator > a', (as) => as.map((a) => a.textContent.trim()));
}

test('the national overview ranks every region and leads down to its dashboard', async () => {
  const { context, page, errors } = await open();
  await page.goto(`${base}/`);
  await page.click('text=全国各地区监测概览');
  await page.waitForSelector('h1:has-text("全国各地区监测概览")');
  const names = await rankedNames(page);
  // The four real regions and the 26 neighbours the demo makes up, each marked 演示地区.
  assert.equal(names.length, 30, `thirty demo regions: ${names}`);
  for (const n of ['连平县', '石柱土家族自治县', '丽水市', '曾都区', '紫金县', '杭州市']) assert.ok(names.includes(n), `${n} in ${names}`);
  assert.equal(await page.locator('table.overview tbody .tag-generated').count(), 26, 'the made-up regions are marked');
  // Ranked by 达标率, highest first.
  const rates = await page.$$eval('table.overview tbody tr', (rows) =>
    rows.map((r) => parseFloat(r.querySelectorAll('td')[3].textContent)));
  for (let i = 1; i < rates.length; i += 1) assert.ok(rates[i - 1] >= rates[i], `ranked: ${rates}`);
  assert.ok(await page.isVisible('#indicators table tbody tr'), 'the indicators are listed');
  await page.screenshot({ path: join(shots, '21-overview.png'), fullPage: true });

  // Only the counties, through the form.
  await page.selectOption('select[name=level]', 'county');
  await Promise.all([page.waitForNavigation(), page.click('form.filter-form button')]);
  const counties = await rankedNames(page);
  assert.equal(counties.length, 19, `nineteen counties: ${counties}`);
  assert.ok(!counties.includes('丽水市'));
  assert.match(page.url(), /level=county/);

  // Down to one region's own dashboard.
  await Promise.all([page.waitForNavigation(), page.click('table.overview tbody tr td.indicator > a >> text=连平县')]);
  await page.waitForSelector('h1:has-text("连平县")');
  assert.match(page.url(), /\/regions\/\d+\/dashboard\?year=\d{4}/);

  // An indicator's spread leads to the ranking of the regions that target it.
  await page.goto(`${base}/overview`);
  await Promise.all([page.waitForNavigation(), page.click('#indicators tbody tr td.indicator a >> nth=0')]);
  await page.waitForSelector('table.listing.ranking');
  assert.match(page.url(), /\/overview\/compare\//);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the page does not scroll sideways; the ranking scrolls in its box', async () => {
  const { context, page, errors } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(`${base}/overview`);
  await page.waitForSelector('h1:has-text("全国各地区监测概览")');
  const { pageWidth, viewport } = await page.evaluate(() => ({
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
  assert.ok(pageWidth <= viewport + 1, `page ${pageWidth}px wide in a ${viewport}px screen`);
  // Every element wider than the screen sits inside a box that scrolls.
  const loose = await page.evaluate(() => {
    const w = window.innerWidth;
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right <= w + 1) continue;
      let p = el.parentElement;
      let boxed = false;
      while (p) {
        const s = getComputedStyle(p);
        if (['auto', 'scroll'].includes(s.overflowX) && p.getBoundingClientRect().right <= w + 1) { boxed = true; break; }
        p = p.parentElement;
      }
      if (!boxed) out.push(`${el.tagName}.${el.className}`);
    }
    return out;
  });
  assert.deepEqual(loose, [], `elements off screen: ${loose.slice(0, 5)}`);
  await page.screenshot({ path: join(shots, '22-overview-phone.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
