// Who sees what: every page needs an account. A visitor is sent to the login page, which
// lists the demo's accounts; a member unit's reporter (连平县-卫健委) sees only its unit's
// indicators and is refused elsewhere; the county's committee office (连平县-工委办) sees all
// of its county and nothing of another; logging out ends the session, also for a copy of its
// cookie. Headless Chromium with JavaScript on at 1366×900, and the login page and the
// account bar on a phone (390×844).
//
// Screenshots go to e2e/screenshots/ (3x-*.png).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { shots, chromiumPath, chromiumFlags, startDemo, loginAs, logout, demoPassword } from '../lib/demo.mjs';

const county = '连平县';
const office = `${county}-工委办`;
const reporter = `${county}-卫健委`;
const reporterUnit = '卫健委';
const demoRegions = ['连平县', '石柱土家族自治县', '丽水市', '曾都区'];

let demo;
let base;
let browser;
let dataDir;
/** Region name → id, as the administrator's region list links them. */
const regionIds = new Map();

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'planwatch-e2e-access-'));
  mkdirSync(shots, { recursive: true });
  ({ process: demo, base } = await startDemo(dataDir));
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });
  const { context, page } = await open();
  await loginAs(page, base, 'admin');
  // Regions are chips, or a group's heading where a city with a plan has sub-regions.
  const links = await page.$$eval('.groups a[href^="/regions/"]', (as) =>
    as.map((a) => [a.childNodes[0].textContent.trim(), a.getAttribute('href')]));
  for (const [name, href] of links) {
    const m = href.match(/^\/regions\/(\d+)$/);
    if (m) regionIds.set(name, Number(m[1]));
  }
  for (const r of demoRegions) assert.ok(regionIds.has(r), `${r} in the admin's region list: ${[...regionIds.keys()]}`);
  await context.close();
});

after(async () => {
  if (browser) await browser.close();
  if (demo) demo.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * A fresh browser context (no cookies) and a page. `errors` collects script errors and
 * console errors other than the browser's note on a refused (403) resource; `csp` the
 * Content-Security-Policy violations.
 */
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  const errors = [];
  const csp = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/Content Security Policy/i.test(text)) csp.push(text);
    // The browser notes every refused page (403) and the wrong password (401) as a console error.
    else if (!/status of 40[13]/.test(text)) errors.push(text);
  });
  return { context, page, errors, csp };
}

const lianping = () => regionIds.get(county);

/** The rows of a table as arrays of cell texts. */
function rows(page, selector) {
  return page.$$eval(`${selector} tbody tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
}

/** Asserts `page` shows the 403 page after going to `path`. */
async function refused(page, path) {
  const resp = await page.goto(`${base}${path}`);
  assert.equal(resp.status(), 403, `${path}: ${resp.status()} at ${page.url()}`);
  assert.equal(await page.locator('h1').innerText(), '无权访问（403）', path);
  assert.equal(new URL(page.url()).pathname, path, `${path} is not redirected`);
}

/** The 目标的责任分工 table of a region's units page: [{ indicator, lead, supporting }]. */
async function assignments(page) {
  const table = page.locator('section.card', { has: page.locator('h2', { hasText: '目标的责任分工' }) }).locator('table');
  const cells = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  return cells.map((c) => ({ indicator: c[2], lead: c[4], supporting: c[5] }));
}

test('a visitor is sent to the login page, which lists the demo accounts', async (t) => {
  const { context, page, errors, csp } = await open();
  const path = `/regions/${lianping()}/dashboard`;
  const resp = await page.goto(`${base}${path}`);
  if (!(await resp.allHeaders())['content-security-policy']) t.diagnostic('the login page is sent without a Content-Security-Policy header');
  // 303 to /login?next=…, then the login page itself.
  const first = resp.request().redirectedFrom();
  assert.ok(first, 'the dashboard redirected');
  assert.equal((await first.response()).status(), 303);
  assert.equal(resp.status(), 200);
  const url = new URL(page.url());
  assert.equal(url.pathname, '/login');
  assert.equal(url.searchParams.get('next'), path);
  assert.equal(await page.locator('h1').innerText(), '登录');
  assert.equal(await page.locator('header .account').innerText(), '登录');
  // Nothing of the county leaks onto the login page.
  assert.equal(await page.locator('canvas, table.warned, .stats-dash').count(), 0);

  // 演示账号: the administrator and, per demo region, its office, bureau, viewer and reporters.
  const demoCard = page.locator('section.demo-accounts');
  assert.match(await demoCard.locator('h2').innerText(), /演示账号/);
  // One heading per region, as its path (广东省/河源市/连平县).
  const heads = await demoCard.locator('h3').allInnerTexts();
  for (const r of demoRegions) assert.equal(heads.filter((h) => h.split('/').pop() === r).length, 1, `${r} in ${heads}`);
  const names = await demoCard.locator('input[name="name"]').evaluateAll((is) => is.map((i) => i.value));
  assert.ok(names.includes('admin'), names.join(','));
  for (const r of demoRegions) {
    for (const role of ['工委办', '统计局', '查看']) assert.ok(names.includes(`${r}-${role}`), `${r}-${role} listed`);
    assert.ok(names.filter((n) => n.startsWith(`${r}-`)).length >= 4, `${r} has reporters: ${names}`);
  }
  for (const n of [`${county}-卫健委`, `${county}-教育局`, `${county}-民政局`]) assert.ok(names.includes(n), `${n} listed`);
  assert.equal(await demoCard.getByRole('button', { name: '以此账号登录' }).count(), names.length);
  assert.match(await demoCard.innerText(), new RegExp(demoPassword));
  // Every demo button carries the page's next, so it lands where the visitor was going.
  const nexts = await demoCard.locator('input[name="next"]').evaluateAll((is) => [...new Set(is.map((i) => i.value))]);
  assert.deepEqual(nexts, [path]);
  await page.screenshot({ path: join(shots, '31-login.png'), fullPage: true });

  // A wrong password is refused with a message, and the form keeps the name and next.
  const form = page.locator('form.stack-form[action="/login"]');
  await form.getByLabel('登录名').fill(office);
  await form.getByLabel('密码').fill('not-the-password');
  await Promise.all([page.waitForLoadState('load'), form.getByRole('button', { name: '登录', exact: true }).click()]);
  await page.waitForSelector('.form-error');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.locator('header .account a[href="/account"]').count(), 0, 'not signed in');
  assert.equal(await form.getByLabel('登录名').inputValue(), office);

  // The right one (typed, as a person would) lands on the page asked for.
  await form.getByLabel('密码').fill(demoPassword);
  await Promise.all([
    page.waitForURL(`${base}${path}`),
    form.getByRole('button', { name: '登录', exact: true }).click(),
  ]);
  assert.match(await page.locator('h1').innerText(), /^连平县 20\d\d年监测概览$/);
  assert.deepEqual(errors, []);
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
  await context.close();
});

test('a reporter sees only its unit\'s indicators and is refused elsewhere', async () => {
  // What the office sees: every target of the county with its lead unit.
  const o = await open();
  await loginAs(o.page, base, office, { next: `/regions/${lianping()}/units` });
  const all = await assignments(o.page);
  const leads = new Set(all.map((a) => a.lead));
  assert.ok(leads.has(reporterUnit), `${reporterUnit} leads targets: ${[...leads]}`);
  assert.ok([...leads].filter((l) => l !== reporterUnit && l !== '未确定').length >= 2, `other units lead too: ${[...leads]}`);
  const unitLinks = await o.page.$$eval('a[href*="/units/"]', (as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
  const other = unitLinks.find(([n]) => n !== reporterUnit);
  assert.ok(other, 'another unit is linked');
  await o.context.close();

  const { context, page, errors, csp } = await open();
  await loginAs(page, base, reporter);
  // Signed in at /, a reporter of one unit lands on its unit's page.
  const m = new URL(page.url()).pathname.match(/^\/regions\/(\d+)\/units\/(\d+)$/);
  assert.ok(m, `landed on a unit page: ${page.url()}`);
  assert.equal(Number(m[1]), lianping());
  assert.equal(await page.locator('h1').innerText(), `${county}${reporterUnit} · 本单位负责的指标`);
  assert.match(await page.locator('header .account a[href="/account"]').innerText(), new RegExp(reporterUnit));
  const mine = await rows(page, 'table.unit-targets');
  assert.ok(mine.length >= 1, 'the unit has targets');
  const leading = mine.filter((r) => r[1] === '牵头').map((r) => r[0]).sort();
  const supporting = mine.filter((r) => r[1] === '配合').map((r) => r[0]).sort();
  assert.equal(leading.length + supporting.length, mine.length, `every row is the unit's (牵头 or 配合): ${mine.map((r) => r[1])}`);
  // The targets the office's page assigns to the unit, and none of the others. The office
  // assigns each plan's copy of a target both plans set; the unit's page monitors it once
  // (under one of the copies' names), so the unit's lists are within the office's.
  const ledThere = new Set(all.filter((a) => a.lead === reporterUnit).map((a) => a.indicator));
  for (const i of leading) assert.ok(ledThere.has(i), `${i} is led by ${reporterUnit} on the office's page`);
  assert.ok(leading.length >= 1 && leading.length <= ledThere.size, `${leading.length} of ${ledThere.size} led`);
  const supportedThere = new Set(all.filter((a) => a.supporting.split(/[、，,\s]+/).includes(reporterUnit)).map((a) => a.indicator));
  for (const i of supporting) assert.ok(supportedThere.has(i), `${i} is supported by ${reporterUnit} on the office's page`);
  assert.ok(mine.length < all.length, `${mine.length} of ${all.length} targets`);
  assert.match(await page.locator('.lead').first().innerText(), new RegExp(`共 ${mine.length} 项目标`));
  await page.screenshot({ path: join(shots, '32-reporter-unit.png'), fullPage: true });

  // Its own indicator opens.
  const firstIndicator = page.locator('table.unit-targets tbody tr td a').first();
  const href = await firstIndicator.getAttribute('href');
  await Promise.all([page.waitForURL((u) => u.pathname !== m[0]), firstIndicator.click()]);
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, href);
  assert.notEqual(await page.locator('h1').innerText(), '无权访问（403）');
  const seen = [m[0], href, '/account'];

  // Refused: the county's dashboard, region page, units list, accounts, and another unit.
  const id = lianping();
  for (const path of [`/regions/${id}/dashboard`, `/regions/${id}`, `/regions/${id}/units`, `/regions/${id}/users`, other[1]]) {
    await refused(page, path);
  }
  // 账号与角色 appears on none of the pages it may see.
  for (const path of seen) {
    const resp = await page.goto(`${base}${path}`);
    assert.equal(resp.status(), 200, path);
    assert.equal(await page.getByText('账号与角色').count(), 0, `${path} shows no 账号与角色`);
    assert.equal(await page.locator('a[href$="/users"], a[href="/users"]').count(), 0, `${path} links no accounts page`);
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
  await context.close();
});

test('the office sees all of its county and is refused elsewhere', async () => {
  const { context, page, errors, csp } = await open();
  await loginAs(page, base, office);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.getByText('全国各地区监测概览').count(), 0, 'no national overview for an office');
  await page.locator('a.chip', { hasText: county }).first().click();
  await page.waitForURL(`${base}/regions/${lianping()}`);
  const actions = await page.locator('.head-actions a').allInnerTexts();
  for (const b of ['监测概览', '成员单位与责任分工', '账号与角色', '审计日志']) assert.ok(actions.includes(b), `${b} in ${actions}`);

  // The dashboard, its charts drawn.
  await page.getByRole('link', { name: '监测概览' }).click();
  await page.waitForURL(/\/regions\/\d+\/dashboard$/);
  for (const id of ['chart-domains', 'chart-units']) {
    await page.waitForSelector(`#${id}[data-rendered="true"] canvas`, { timeout: 15_000 });
  }
  assert.ok((await page.locator('table.warned tbody tr').count()) >= 1);

  // The units page: every target, led by several units.
  await page.goto(`${base}/regions/${lianping()}`);
  await page.getByRole('link', { name: '成员单位与责任分工' }).click();
  await page.waitForURL(/\/regions\/\d+\/units$/);
  const all = await assignments(page);
  const leads = new Set(all.map((a) => a.lead).filter((l) => l !== '未确定'));
  assert.ok(leads.size >= 3, `several lead units: ${[...leads]}`);
  assert.ok(await page.getByRole('link', { name: '调整' }).count() >= 1, 'the office may reassign');
  await page.screenshot({ path: join(shots, '33-office-units.png'), fullPage: true });

  // 账号与角色: the county's demo accounts, and no other region's.
  const login = await browser.newPage();
  await login.goto(`${base}/login`);
  const ours = (await login.locator('section.demo-accounts input[name="name"]').evaluateAll((is) => is.map((i) => i.value)))
    .filter((n) => n.startsWith(`${county}-`));
  await login.close();
  assert.ok(ours.length >= 6, ours.join(','));
  await page.goto(`${base}/regions/${lianping()}`);
  await page.getByRole('link', { name: '账号与角色' }).click();
  await page.waitForURL(/\/regions\/\d+\/users$/);
  assert.equal(await page.locator('h1').innerText(), `${county} · 账号与角色`);
  const listed = await page.$$eval('main table tbody tr td:first-child span.small', (ss) => ss.map((s) => s.textContent.trim()));
  for (const n of ours) assert.ok(listed.includes(n), `${n} in ${listed}`);
  for (const r of demoRegions.filter((r) => r !== county)) {
    assert.ok(!listed.some((n) => n.startsWith(`${r}-`)), `no ${r} accounts: ${listed}`);
  }

  // Another region, its dashboard, and the national overview are refused.
  const zengdu = regionIds.get('曾都区');
  await refused(page, `/regions/${zengdu}`);
  await refused(page, `/regions/${zengdu}/dashboard`);
  await refused(page, `/overview`);
  assert.deepEqual(errors, []);
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
  await context.close();
});

test('logging out ends the session, also for a copy of its cookie', async (t) => {
  const { context, page, errors, csp } = await open();
  const units = `/regions/${lianping()}/units`;
  await loginAs(page, base, office, { next: units });
  assert.equal(new URL(page.url()).pathname, units);
  const cookies = await context.cookies(base);
  assert.ok(cookies.length >= 1 && cookies.every((c) => c.value), JSON.stringify(cookies));
  assert.ok(cookies.every((c) => c.httpOnly), 'the session cookie is httpOnly');

  await logout(page);
  assert.match(await page.locator('.notice').innerText(), /您已退出登录。/);
  assert.equal(await page.locator('header .account a[href="/account"]').count(), 0);

  // Back to the page it saw: the browser must ask the server again, which sends it to /login.
  await page.goBack();
  await page.waitForLoadState('load');
  const back = new URL(page.url());
  const stale = back.pathname === units && (await page.locator('h1').count()) && (await page.locator('h1').innerText()).includes('成员单位');
  // Signed-in pages are sent with Cache-Control: no-store: the browser asks again.
  assert.ok(!stale, 'the back button showed the units page from the browser cache after logout');
  assert.equal(new URL(page.url()).pathname, '/login', `after logout ${units} is at ${page.url()}`);
  assert.equal(new URL(page.url()).searchParams.get('next'), units);
  const resp = await page.goto(`${base}${units}`);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal((await resp.request().redirectedFrom().response()).status(), 303);

  // The old cookie, replayed in a new browser, opens nothing.
  const thief = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  await thief.addCookies(cookies);
  const tp = await thief.newPage();
  for (const path of [units, '/', '/account']) {
    await tp.goto(`${base}${path}`);
    assert.equal(new URL(tp.url()).pathname, '/login', `${path} with the old cookie is at ${tp.url()}`);
  }
  await thief.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
  await context.close();
});

test('after logout the back button does not show a signed-in page from the cache', async () => {
  const { context, page } = await open();
  const units = `/regions/${lianping()}/units`;
  await loginAs(page, base, office, { next: units });
  await logout(page);
  await page.goBack();
  await page.waitForLoadState('load');
  const h1 = await page.locator('h1').innerText();
  await context.close();
  assert.equal(h1, '登录', `back after logout shows ${h1}`);
});

test('on a phone the login page and the account bar fit the screen', async () => {
  const { context, page, errors, csp } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const fits = () => page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  await page.goto(`${base}/login`);
  let w = await fits();
  assert.ok(w.page <= w.screen + 1, `login page ${w.page}px wide in a ${w.screen}px screen`);
  await page.screenshot({ path: join(shots, '34-phone-login.png'), fullPage: true });

  for (const name of [office, reporter]) {
    await loginAs(page, base, name);
    w = await fits();
    assert.ok(w.page <= w.screen + 1, `${name}: ${page.url()} is ${w.page}px wide in a ${w.screen}px screen`);
    const bar = await page.locator('header .account').boundingBox();
    assert.ok(bar && bar.x >= 0 && bar.x + bar.width <= w.screen + 1, `${name}: the account bar is on screen: ${JSON.stringify(bar)}`);
    const out = await page.locator('header form.logout button').boundingBox();
    assert.ok(out && out.x + out.width <= w.screen + 1, `${name}: 退出 is on screen: ${JSON.stringify(out)}`);
    await page.screenshot({ path: join(shots, name === office ? '35-phone-office.png' : '36-phone-reporter.png'), fullPage: false });
    await logout(page);
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
  await context.close();
});
