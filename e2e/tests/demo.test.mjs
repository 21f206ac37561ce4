// planwatch as a person uses it: the demo in headless Chromium with JavaScript off, from the
// region list to a region, a plan, a target and its line in the source text. Every page needs
// an account: the browser signs in first as the demo's administrator (admin), who sees every
// region.
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
let context;
let dataDir;
let profileDir;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'planwatch-e2e-data-'));
  profileDir = mkdtempSync(join(tmpdir(), 'planwatch-e2e-profile-'));
  mkdirSync(shots, { recursive: true });
  ({ process: demo, base } = await startDemo(dataDir));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    javaScriptEnabled: false, // the pages must work without it
    viewport: { width: 1366, height: 900 },
    locale: 'zh-CN',
  });
  // The persistent context keeps the session cookie for every test below.
  const page = await context.newPage();
  await loginAs(page, base, 'admin');
  await page.close();
});

after(async () => {
  if (context) await context.close();
  if (demo) demo.kill('SIGTERM');
  for (const dir of [dataDir, profileDir]) {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

test('region list → region → plan → target → its source line', async () => {
  const page = await context.newPage();

  // The region list, grouped by province and city.
  const list = await page.goto(`${base}/`);
  assert.equal(list.status(), 200);
  assert.equal(await page.locator('h1').innerText(), '地区列表');
  const groups = await page.locator('.group h2').allInnerTexts();
  for (const province of ['广东省', '浙江省', '湖北省', '重庆市']) {
    assert.ok(groups.includes(province), `${province} in ${groups}`);
  }
  const guangdong = page.locator('.group', { has: page.locator('h2', { hasText: '广东省' }) });
  assert.equal(await guangdong.locator('h3').innerText(), '河源市');
  await page.screenshot({ path: join(shots, '01-regions.png'), fullPage: true });

  // A region: 连平县 with its two plans.
  await guangdong.locator('a.chip', { hasText: '连平县' }).click();
  await page.waitForURL(/\/regions\/\d+$/);
  assert.match(await page.locator('h1').innerText(), /^连平县/);
  assert.match(await page.locator('.lead').first().innerText(), /广东省 \/ 河源市 \/ 连平县/);
  const cards = page.locator('.plan-card');
  assert.equal(await cards.count(), 2);
  assert.deepEqual(await page.locator('.plan-card .kind').allInnerTexts(), ['妇女发展规划', '儿童发展规划']);
  await page.screenshot({ path: join(shots, '02-region.png'), fullPage: true });

  // The women's plan: its domains and targets table.
  await cards.first().getByRole('link', { name: '查看指标体系' }).click();
  await page.waitForURL(/\/plans\/\d+\/versions\/1$/);
  assert.equal(await page.locator('h1').innerText(), '连平县妇女发展规划（2021—2030年）');
  const headers = await page.locator('table.targets').first().locator('th').allInnerTexts();
  assert.deepEqual(headers, ['指标', '目标值', '年份', '责任单位', '约束性/预期性', '来源行']);
  assert.ok(await page.locator('section.domain h2', { hasText: '妇女与健康' }).count() === 1);
  const row = page.locator('table.targets tr', { has: page.locator('td.indicator', { hasText: /^孕产妇死亡率/ }) }).first();
  const cells = await row.locator('td').allInnerTexts();
  // The goal as the plan writes it, its unit with the value.
  assert.equal(cells[1], '12/10万以下');
  assert.equal(cells[2], '2030');
  const lineText = cells[5];
  const line = Number(lineText.match(/第 (\d+) 行/)[1]);
  assert.ok(line > 0);
  await page.screenshot({ path: join(shots, '03-plan.png'), fullPage: false });
  await page.screenshot({ path: join(shots, '03-plan-full.png'), fullPage: true });

  // The target's source line: highlighted, anchored, and the one the browser jumped to.
  await row.locator('a.line-link').click();
  await page.waitForURL(new RegExp(`/source#L${line}$`));
  const target = page.locator(`#L${line}`);
  assert.match(await target.getAttribute('class'), /\bhl\b/);
  assert.match(await target.locator('.tx').innerText(), /孕产妇死亡率稳定在12\/10万以下/);
  assert.equal(await page.locator('.line:target').getAttribute('id'), `L${line}`);
  assert.ok(await target.isVisible());
  const box = await target.boundingBox();
  assert.ok(box && box.y >= 0 && box.y < 900, `line ${line} is in view (y=${box && box.y})`);
  assert.ok((await page.locator('.line.hl').count()) >= 10, 'every target of the plan is highlighted');
  await page.screenshot({ path: join(shots, '04-source.png'), fullPage: false });
  await page.close();
});

test('on a phone the pages fit the screen', async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/`);
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  // evaluate runs in Playwright's utility world, available with page JavaScript disabled.
  assert.ok(await fits(), 'region list fits a phone screen');
  await page.screenshot({ path: join(shots, '05-phone-regions.png'), fullPage: true });
  await page.locator('a.chip', { hasText: '丽水市' }).first().click().catch(async () => {
    await page.locator('a', { hasText: '丽水市' }).first().click();
  });
  await page.waitForURL(/\/regions\/\d+$/);
  await page.getByRole('link', { name: '查看指标体系' }).first().click();
  await page.waitForURL(/\/plans\/\d+\/versions\/\d+$/);
  assert.ok(await fits(), 'plan page fits a phone screen (tables scroll inside their box)');
  await page.screenshot({ path: join(shots, '06-phone-plan.png'), fullPage: false });
  await page.close();
});

test('an unknown region is a Chinese 404 page', async () => {
  const page = await context.newPage();
  const resp = await page.goto(`${base}/regions/999999`);
  assert.equal(resp.status(), 404);
  assert.equal(await page.locator('h1').innerText(), '页面不存在（404）');
  await page.screenshot({ path: join(shots, '07-not-found.png') });
  await page.getByRole('link', { name: '返回地区列表' }).click();
  await page.waitForURL(`${base}/`);
  await page.close();
});
