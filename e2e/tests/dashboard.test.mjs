// The dashboard as the committee office sees it: the demo in headless Chromium with
// JavaScript on, from a county's page to its overview (warnings, status counts, charts drawn
// by ECharts served by planwatch itself), one indicator's chart, and the comparison of
// sub-regions; then the same overview with JavaScript off and on a phone. Every context signs
// in first as 连平县's committee office (连平县-工委办), which sees everything of its county.
//
// Runs the release binary (PLANWATCH_BIN, default ../target/release/planwatch) with a fresh
// data directory on a free port, and Debian's chromium (/usr/bin/chromium). Screenshots go
// to e2e/screenshots/ (1x-dashboard*.png).

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
const office = '连平县-工委办';

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'planwatch-e2e-dash-'));
  mkdirSync(shots, { recursive: true });
  ({ process: demo, base } = await startDemo(dataDir));
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
});

after(async () => {
  if (browser) await browser.close();
  if (demo) demo.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A page that records every request, to check nothing leaves planwatch. */
async function open(options = {}, account = office) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'zh-CN',
    ...options,
  });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 403/.test(m.text())) errors.push(m.text());
  });
  await loginAs(page, base, account);
  return { context, page, requests, errors };
}

/** Waits for the ECharts chart in `#id` and returns what it drew. */
async function drawn(page, id) {
  await page.waitForSelector(`#${id}[data-rendered="true"] canvas`, { timeout: 15_000 });
  // Let the entry animation finish before reading pixels or taking a screenshot.
  await page.waitForTimeout(700);
  return page.evaluate((chartId) => {
    const chart = window.planwatchCharts && window.planwatchCharts[chartId];
    const canvas = document.querySelector(`#${chartId} canvas`);
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    const pixels = ctx.getImageData(0, 0, width, height).data;
    let inked = 0;
    for (let i = 3; i < pixels.length; i += 4 * 7) if (pixels[i] > 0) inked++;
    const option = chart ? chart.getOption() : null;
    return {
      width,
      height,
      inked,
      series: option ? option.series.map((s) => ({ name: s.name, type: s.type, points: (s.data || []).length })) : [],
      legend: option && option.legend && option.legend[0] ? option.legend[0].data || [] : [],
    };
  }, id);
}

test('a county overview: warnings first, counts, the charts drawn', async (tc) => {
  const { context, page, requests, errors } = await open();

  // From the region list to 连平县 and its dashboard.
  await page.goto(`${base}/`);
  await page.locator('a.chip', { hasText: '连平县' }).first().click();
  await page.waitForURL(/\/regions\/\d+$/);
  await page.getByRole('link', { name: '监测概览' }).click();
  await page.waitForURL(/\/regions\/\d+\/dashboard$/);
  const h1 = await page.locator('h1').innerText();
  assert.match(h1, /^连平县 20\d\d年监测概览$/);
  assert.match(await page.locator('.demo-banner').innerText(), /演示数据/);

  // The warnings come before the counts, and every kind occurs in the demo.
  const sections = await page.locator('main section.card[id], main dl.stats').evaluateAll((els) => els.map((e) => e.id || e.className));
  assert.ok(sections.indexOf('warnings') < sections.indexOf('domains'), sections.join(','));
  const chips = await page.locator('#warnings .warn-chips li').allInnerTexts();
  assert.equal(chips.length, 4);
  for (const [i, label] of ['约束性指标未达标', '预计难以按期达标', '波动较大', '缺报'].entries()) {
    assert.match(chips[i], new RegExp(`^${label}\\s*(\\d+)\\s*项$`));
  }
  const warnedRows = await page.locator('table.warned tbody tr').count();
  assert.ok(warnedRows >= 4, `${warnedRows} warned targets`);
  // Counts per domain and per unit add up to the number of targets.
  const total = Number(await page.locator('.stats-dash div').first().locator('dd').innerText());
  const domainTotals = await page.locator('#domains table tbody td.total').allInnerTexts();
  assert.equal(domainTotals.map(Number).reduce((a, b) => a + b, 0), total);
  assert.ok((await page.locator('#units table tbody tr').count()) >= 1);
  assert.ok((await page.locator('.milestone').count()) >= 1);

  // The charts: ECharts from planwatch, one stacked bar series per status.
  for (const id of ['chart-domains', 'chart-units']) {
    const c = await drawn(page, id);
    assert.equal(c.series.length, 8, `${id}: ${JSON.stringify(c.series)}`);
    assert.ok(c.series.every((s) => s.type === 'bar'));
    assert.ok(c.inked > 500, `${id} has ink (${c.inked})`);
  }
  await page.screenshot({ path: join(shots, '11-dashboard.png'), fullPage: true });

  // The most severe warning's indicator page: the chart and the sentence.
  await page.locator('table.warned tbody tr').first().locator('td.indicator a').click();
  await page.waitForURL(/\/regions\/\d+\/indicators\/[^/?]+\?year=\d{4}$/);
  const c = await drawn(page, 'chart-indicator');
  const names = c.series.map((s) => s.name);
  assert.ok(names.some((n) => n.startsWith('监测值')), names.join(','));
  assert.ok(names.some((n) => n.startsWith('目标值')), names.join(','));
  assert.ok(c.series.find((s) => s.name.startsWith('监测值')).points >= 2);
  assert.ok(c.inked > 500, `indicator chart has ink (${c.inked})`);
  const sentence = await page.locator('.explanation').first().innerText();
  assert.match(sentence, /^\d{4}年为/);
  assert.ok((await page.locator('table.observations tbody tr').count()) >= 2);
  assert.match(await page.locator('table.observations').innerText(), /演示数据/);
  await page.screenshot({ path: join(shots, '12-indicator.png'), fullPage: true });

  // An on-track indicator shows the path to the target and the projection too.
  await page.goBack();
  const onTrack = page.locator('table.all-targets tbody tr', { has: page.locator('.st-on_track') }).first();
  await onTrack.locator('td.indicator a').click();
  await page.waitForURL(/\/indicators\//);
  const t = await drawn(page, 'chart-indicator');
  const tn = t.series.map((s) => s.name);
  assert.ok(tn.some((n) => n.startsWith('序时进度线')), tn.join(','));
  assert.ok(tn.some((n) => n.startsWith('趋势预测')), tn.join(','));
  assert.match(await page.locator('.explanation').first().innerText(), /能够实现/);
  await page.screenshot({ path: join(shots, '13-indicator-on-track.png'), fullPage: false });

  // The city's comparison of its counties, linked from the indicator page. The city is
  // above the county office's reach, so the administrator follows the link.
  const compare = page.locator('#compare a.chip').first();
  assert.ok(await compare.count(), 'a comparison link');
  const compareHref = await compare.getAttribute('href');
  const asOffice = await page.request.get(`${base}${compareHref}`, { maxRedirects: 0 });
  if (asOffice.status() !== 200) {
    tc.diagnostic(`the county office's indicator page links ${compareHref} (${await compare.innerText()}), which answers it ${asOffice.status()}`);
  }
  const admin = await open({}, 'admin');
  await admin.page.goto(page.url());
  await admin.page.locator('#compare a.chip').first().click();
  await admin.page.waitForURL(/\/regions\/\d+\/compare\//);
  assert.equal(new URL(admin.page.url()).pathname, compareHref.split('?')[0]);
  assert.ok((await admin.page.locator('table.ranking tbody tr').count()) >= 1);
  const cc = await drawn(admin.page, 'chart-compare');
  assert.equal(cc.series[0].type, 'bar');
  await admin.page.screenshot({ path: join(shots, '14-compare.png'), fullPage: true });

  for (const r of [{ errors, requests }, admin]) {
    assert.deepEqual(r.errors, [], 'no script errors');
    const foreign = r.requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'nothing is loaded from another host');
  }
  assert.ok(requests.some((u) => /\/static\/vendor\/echarts-[\d.]+\/echarts\.min\.js$/.test(u)));
  await admin.context.close();
  await context.close();
});

test('without JavaScript the overview is complete as tables', async () => {
  const { context, page } = await open({ javaScriptEnabled: false });
  await page.goto(`${base}/`);
  await page.locator('a.chip', { hasText: '连平县' }).first().click();
  await page.waitForURL(/\/regions\/\d+$/);
  await page.getByRole('link', { name: '监测概览' }).click();
  await page.waitForURL(/\/dashboard$/);
  assert.ok((await page.locator('table.warned tbody tr').count()) >= 1);
  assert.ok((await page.locator('#domains table tbody tr').count()) >= 1);
  assert.match(await page.locator('#domains').innerText(), /图表需要启用 JavaScript/);
  // The year selector is a plain form.
  const years = await page.locator('#year option').allInnerTexts();
  assert.ok(years.length >= 2, years.join(','));
  await page.selectOption('#year', { index: 1 });
  await page.getByRole('button', { name: '查看', exact: true }).click();
  await page.waitForURL(/\/dashboard\?year=\d{4}$/);
  assert.match(await page.locator('h1').innerText(), /^连平县 20\d\d年监测概览$/);
  await page.screenshot({ path: join(shots, '15-dashboard-no-js.png'), fullPage: false });
  await context.close();
});

test('on a phone the overview and an indicator fit the screen', async () => {
  const { context, page } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(`${base}/`);
  await page.locator('a.chip', { hasText: '连平县' }).first().click();
  await page.waitForURL(/\/regions\/\d+$/);
  await page.getByRole('link', { name: '监测概览' }).click();
  await page.waitForURL(/\/dashboard$/);
  await drawn(page, 'chart-domains');
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  assert.ok(await fits(), 'dashboard fits a phone screen (tables scroll inside their box)');
  await page.screenshot({ path: join(shots, '16-phone-dashboard.png'), fullPage: false });
  await page.locator('table.warned tbody tr').first().locator('td.indicator a').click();
  await page.waitForURL(/\/indicators\//);
  await drawn(page, 'chart-indicator');
  assert.ok(await fits(), 'indicator page fits a phone screen');
  await page.screenshot({ path: join(shots, '17-phone-indicator.png'), fullPage: false });
  await context.close();
});
