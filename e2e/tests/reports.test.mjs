// Reports as people use them: a county's committee office (工委办, read from the login page's
// demo accounts) opens its dashboard's 报告 section, downloads the annual report as Word and
// as Excel and reads it online (headings, charts, no developer text); then publishes it
// (发布… → the region's publications page → 发布) and follows to its public address. A
// visitor with no account opens that address and the public index (/public) and downloads
// the files (Word, Excel, open-data CSV and JSON, SDMX-CSV). The county's viewer (查看) and
// a member unit's reporter get no publish button. On a phone (390×844) the public report
// page does not scroll sideways (its tables scroll inside their own boxes).
//
// Headless Chromium with JavaScript on at 1366×900, a fresh data directory. Screenshots go
// to e2e/screenshots/ (5x-*.png).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { shots, chromiumPath, chromiumFlags, startDemo, loginAs } from '../lib/demo.mjs';

let demo;
let base;
let browser;
let dataDir;

/** The county, its accounts and region id; the published report's address and title. */
const who = {};
const published = {};

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'planwatch-e2e-reports-'));
  mkdirSync(shots, { recursive: true });
  ({ process: demo, base } = await startDemo(dataDir));
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });

  // The first county (县) among the login page's demo accounts: its office, viewer, a reporter.
  const page = await browser.newPage({ locale: 'zh-CN' });
  await page.goto(`${base}/login`);
  const groups = await page.locator('section.demo-accounts h3').evaluateAll((hs) =>
    hs.map((h) => {
      let table = h.nextElementSibling;
      while (table && !table.querySelector('table')) table = table.nextElementSibling;
      const names = table ? [...table.querySelectorAll('input[name="name"]')].map((i) => i.value) : [];
      return { region: h.textContent.trim(), names };
    }));
  await page.close();
  const county = groups.find((g) => g.region.split('/').pop().endsWith('县'));
  assert.ok(county, `a county among the demo regions: ${groups.map((g) => g.region)}`);
  who.county = county.region.split('/').pop();
  who.office = `${who.county}-工委办`;
  who.viewer = `${who.county}-查看`;
  for (const n of [who.office, who.viewer]) assert.ok(county.names.includes(n), `${n} listed: ${county.names}`);
  const reporters = county.names.filter((n) => n.startsWith(`${who.county}-`) && !/-(工委办|统计局|查看)$/.test(n));
  assert.ok(reporters.length >= 1, `${who.county} has reporters: ${county.names}`);
  who.reporter = reporters[0];
});

after(async () => {
  if (browser) await browser.close();
  if (demo) demo.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh context (no cookies) and page; `errors` collects script errors and console errors. */
async function open(options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
    ...options,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 403/.test(m.text())) errors.push(m.text());
  });
  return { context, page, errors };
}

/** Clicks `locator` (a link or a submit button) and waits for the next page to load. */
async function go(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

/** From the region list to the county's page and its 监测概览; records the region id. */
async function toDashboard(page) {
  await page.goto(`${base}/`);
  if (!/^\/regions\/\d+$/.test(new URL(page.url()).pathname)) {
    await go(page, page.locator('a.chip', { hasText: who.county }).first());
  }
  const m = new URL(page.url()).pathname.match(/^\/regions\/(\d+)$/);
  assert.ok(m, `the county's page: ${page.url()}`);
  who.regionId = Number(m[1]);
  await go(page, page.getByRole('link', { name: '监测概览' }));
  assert.equal(new URL(page.url()).pathname, `/regions/${who.regionId}/dashboard`);
  assert.match(await page.locator('h1').innerText(), new RegExp(`^${who.county} 20\\d\\d年监测概览$`));
}

/** The dashboard's 报告 section. */
const reportSection = (page) => page.locator('main section.card', { has: page.locator('h2', { hasText: /^报告$/ }) });

/** Clicks `locator`, which starts a download; returns its suggested name and its bytes. */
async function download(page, locator) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), locator.click()]);
  const failure = await dl.failure();
  assert.equal(failure, null, `download of ${dl.url()} failed`);
  const bytes = readFileSync(await dl.path());
  return { name: dl.suggestedFilename(), url: dl.url(), bytes };
}

/** A Word or Excel file: the name's ending, a zip (PK), more than a few kilobytes. */
function assertOffice(file, ending) {
  assert.ok(file.name.endsWith(ending), `${file.url} is named ${file.name}, expected *${ending}`);
  assert.ok(file.name.includes(who.county), `the file is named after the county: ${file.name}`);
  assert.equal(file.bytes.subarray(0, 2).toString('latin1'), 'PK', `${file.name} is a zip`);
  assert.ok(file.bytes.length > 5000, `${file.name} is ${file.bytes.length} bytes`);
}

/** What a person must not see on a page: addresses of the API, the program's name. */
async function assertNoDeveloperText(page, where) {
  const text = await page.locator('body').innerText();
  assert.ok(!text.includes('/api/'), `${where} shows /api/`);
  assert.ok(!/planwatch /i.test(text), `${where} shows "planwatch "`);
  assert.ok(!/\b(Error|panic|unwrap|TODO)\b/.test(text), `${where} shows developer text`);
}

/** The report's content: 总体情况 among its headings, at least one drawn chart (svg). */
async function assertReportBody(page, where) {
  const body = page.locator('article.report-body');
  assert.equal(await body.count(), 1, `${where}: the report's body`);
  const headings = (await body.locator('h1, h2, h3').allInnerTexts()).map((h) => h.trim());
  assert.ok(headings.some((h) => h.includes('总体情况')), `${where}: headings ${headings.join(' | ')}`);
  assert.ok(headings.length >= 3, `${where}: ${headings.length} headings`);
  const charts = body.locator('svg');
  assert.ok((await charts.count()) >= 1, `${where}: a chart`);
  const box = await charts.first().boundingBox();
  assert.ok(box && box.width > 100 && box.height > 50, `${where}: the chart is drawn (${JSON.stringify(box)})`);
}

test('the office downloads the annual report as Word and Excel and reads it online', async () => {
  const { context, page, errors } = await open();
  await loginAs(page, base, who.office);
  await toDashboard(page);
  const section = reportSection(page);
  assert.equal(await section.count(), 1, 'the dashboard has a 报告 section');
  assert.equal(await section.locator('select[name="kind"] option:checked').innerText(), '年度监测报告');
  who.year = Number(await section.locator('input[name="year"]').inputValue());
  assert.ok(who.year >= 2021 && who.year <= 2030, `report year ${who.year}`);
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, '51-report-section.png'), fullPage: false });

  const word = await download(page, section.getByRole('button', { name: '下载 Word' }));
  assertOffice(word, '.docx');
  assert.ok(word.bytes.includes('word/document.xml'), 'a Word document');
  const excel = await download(page, section.getByRole('button', { name: '下载 Excel' }));
  assertOffice(excel, '.xlsx');
  assert.ok(excel.bytes.includes('xl/workbook.xml'), 'an Excel workbook');
  // The downloads leave the dashboard where it was.
  assert.equal(new URL(page.url()).pathname, `/regions/${who.regionId}/dashboard`);

  await go(page, section.getByRole('button', { name: '在线查看' }));
  const url = new URL(page.url());
  assert.equal(url.pathname, `/regions/${who.regionId}/report`);
  assert.equal(url.searchParams.get('format'), 'html');
  const title = await page.locator('main .page-head h1').innerText();
  assert.ok(title.includes(who.county), `the report's title names the county: ${title}`);
  await assertReportBody(page, 'the online report');
  await assertNoDeveloperText(page, 'the online report');
  // Its own download links work too.
  const again = await download(page, page.locator('.report-actions a', { hasText: '下载 Word' }));
  assertOffice(again, '.docx');
  await page.screenshot({ path: join(shots, '52-report-online.png'), fullPage: false });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the office publishes the report, and a visitor without an account reads and downloads it', async (t) => {
  const { context, page, errors } = await open();
  await loginAs(page, base, who.office);
  await toDashboard(page);
  const section = reportSection(page);
  const publish = section.getByRole('button', { name: /^发布/ });
  assert.equal(await publish.count(), 1, 'the office has a 发布 button');
  await go(page, publish);
  assert.equal(new URL(page.url()).pathname, `/regions/${who.regionId}/publications`);
  assert.equal(await page.locator('main h1').innerText(), `${who.county}已发布的报告`);
  const form = page.locator(`main form[action="/regions/${who.regionId}/publications"]`);
  assert.equal(await form.count(), 1, 'the publish form');
  assert.equal(await form.locator('select[name="kind"] option:checked').innerText(), '年度监测报告');
  const year = await form.locator('input[name="year"]').inputValue();
  t.diagnostic(`publishing ${who.county}'s annual report of ${year}`);
  await form.locator('input[name="why"]').fill('浏览器测试发布');
  await page.screenshot({ path: join(shots, '53-publish-form.png'), fullPage: false });
  await go(page, form.getByRole('button', { name: '发布', exact: true }));

  const landed = new URL(page.url());
  assert.match(landed.pathname, /^\/public\/reports\/\d+$/, `after publishing: ${page.url()}`);
  assert.match(await page.locator('.notice[role="status"]').innerText(), /已发布/);
  published.path = landed.pathname;
  published.title = (await page.locator('main .page-head h1').innerText()).trim();
  assert.ok(published.title.includes(who.county), published.title);
  assert.match(await page.locator('.page-head .eyebrow').innerText(), /第1版/);
  assert.deepEqual(errors, []);

  // The publications page lists the version, linked to its public address.
  await page.goto(`${base}/regions/${who.regionId}/publications`);
  const listed = page.locator('main table.listing a', { hasText: published.title });
  assert.equal(await listed.count(), 1, 'the new version is listed');
  assert.equal(await listed.getAttribute('href'), published.path);
  assert.match(await page.locator('main table.listing tbody tr').first().innerText(), /浏览器测试发布/);
  await context.close();

  // A visitor: a new context with no cookies.
  const visitor = await open();
  assert.deepEqual(await visitor.context.cookies(), []);
  const vp = visitor.page;
  const resp = await vp.goto(`${base}${published.path}`);
  assert.equal(resp.status(), 200);
  assert.equal(new URL(vp.url()).pathname, published.path, 'no redirect to /login');
  assert.equal((await vp.locator('main .page-head h1').innerText()).trim(), published.title);
  assert.equal(await vp.locator('header .account a[href="/account"]').count(), 0, 'nobody is signed in');
  await assertReportBody(vp, 'the public report');
  await assertNoDeveloperText(vp, 'the public report');
  const links = await vp.locator('ul.downloads a').evaluateAll((as) => as.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })));
  const link = (label) => {
    const l = links.find((x) => x.text.includes(label));
    assert.ok(l, `a ${label} download among ${JSON.stringify(links)}`);
    assert.ok(l.href.startsWith(`${published.path}/`), `${label}: ${l.href}`);
    return l.href;
  };
  const hrefs = { word: link('Word'), excel: link('Excel'), csv: link('CSV'), json: link('JSON'), sdmx: link('SDMX') };
  assert.notEqual(hrefs.csv, hrefs.sdmx);
  await vp.screenshot({ path: join(shots, '54-public-report.png'), fullPage: false });

  // Word and Excel, downloaded as a person would.
  assertOffice(await download(vp, vp.locator('ul.downloads a', { hasText: 'Word' })), '.docx');
  assertOffice(await download(vp, vp.locator('ul.downloads a', { hasText: 'Excel' })), '.xlsx');

  // The open data, fetched with the visitor's (empty) cookies.
  const csv = await visitor.context.request.get(`${base}${hrefs.csv}`, { maxRedirects: 0 });
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);
  const csvBytes = await csv.body();
  assert.deepEqual([...csvBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with a BOM');
  const csvLines = csvBytes.subarray(3).toString('utf8').split(/\r?\n/).filter((l) => l !== '');
  assert.ok(csvLines.length >= 2, `the CSV has ${csvLines.length} lines`);
  assert.ok(csvLines[0].split(',').length >= 3, `the CSV's header: ${csvLines[0]}`);
  assert.ok(!/^\d/.test(csvLines[0]), `the CSV's first line is a header: ${csvLines[0]}`);
  t.diagnostic(`CSV header: ${csvLines[0]}`);

  const json = await visitor.context.request.get(`${base}${hrefs.json}`, { maxRedirects: 0 });
  assert.equal(json.status(), 200);
  assert.match(json.headers()['content-type'], /^application\/json/);
  const data = JSON.parse((await json.body()).toString('utf8').replace(/^\uFEFF/, ''));
  assert.equal(typeof data, 'object');

  const sdmx = await visitor.context.request.get(`${base}${hrefs.sdmx}`, { maxRedirects: 0 });
  assert.equal(sdmx.status(), 200);
  const sdmxText = (await sdmx.body()).toString('utf8');
  assert.ok(sdmxText.startsWith('DATAFLOW,REF_AREA,INDICATOR'), `the SDMX-CSV header: ${sdmxText.slice(0, 80)}`);
  assert.ok(sdmxText.split(/\r?\n/).filter((l) => l !== '').length >= 2, 'the SDMX-CSV has observations');

  // The public index lists the report, without login either.
  const idx = await vp.goto(`${base}/public`);
  assert.equal(idx.status(), 200);
  assert.equal(new URL(vp.url()).pathname, '/public', 'no redirect to /login');
  const entry = vp.locator('main table.listing a', { hasText: published.title });
  assert.equal(await entry.count(), 1, `the public index lists ${published.title}`);
  assert.equal(await entry.getAttribute('href'), published.path);
  assert.match(await vp.locator('main').innerText(), new RegExp(who.county));
  await assertNoDeveloperText(vp, 'the public index');
  await vp.screenshot({ path: join(shots, '55-public-index.png'), fullPage: false });
  await go(vp, entry);
  assert.equal(new URL(vp.url()).pathname, published.path);
  assert.deepEqual(await visitor.context.cookies(), [], 'the public pages set no cookie');
  assert.deepEqual(visitor.errors, []);
  await visitor.context.close();
});

test('the viewer and a reporter are not offered publishing', async () => {
  // The county's viewer reads the dashboard and the published versions, without 发布.
  const viewer = await open();
  await loginAs(viewer.page, base, who.viewer);
  await toDashboard(viewer.page);
  const section = reportSection(viewer.page);
  assert.equal(await section.count(), 1, 'the viewer has the 报告 section');
  assert.equal(await section.getByRole('button', { name: '下载 Word' }).count(), 1);
  assert.equal(await section.getByRole('button', { name: /^发布/ }).count(), 0, 'no 发布 button for the viewer');
  await viewer.page.goto(`${base}/regions/${who.regionId}/publications`);
  assert.equal(new URL(viewer.page.url()).pathname, `/regions/${who.regionId}/publications`);
  assert.equal(await viewer.page.locator('main form[method="post"]').count(), 0, 'no publish form for the viewer');
  assert.equal(await viewer.page.getByRole('button', { name: /^发布/ }).count(), 0);
  if (published.title) {
    assert.equal(await viewer.page.locator('main table.listing a', { hasText: published.title }).count(), 1);
  }
  await viewer.page.screenshot({ path: join(shots, '56-publications-viewer.png'), fullPage: false });
  assert.deepEqual(viewer.errors, []);
  await viewer.context.close();

  // A member unit's reporter reads only its unit: no dashboard, no publications, no 发布.
  const reporter = await open();
  await loginAs(reporter.page, base, who.reporter);
  for (const path of [`/regions/${who.regionId}/dashboard`, `/regions/${who.regionId}/publications`]) {
    const r = await reporter.page.goto(`${base}${path}`);
    assert.equal(r.status(), 403, `${who.reporter} at ${path}`);
    assert.equal(await reporter.page.getByRole('button', { name: /^发布/ }).count(), 0);
  }
  // Its landing page (its unit) offers no 发布 either.
  await reporter.page.goto(`${base}/`);
  assert.equal(await reporter.page.getByRole('button', { name: /^发布/ }).count(), 0);
  await reporter.context.close();
});

test('on a phone the public report page fits the screen', async () => {
  assert.ok(published.path, 'a report was published');
  const { context, page, errors } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const fits = () => page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  await page.goto(`${base}${published.path}`);
  assert.equal(new URL(page.url()).pathname, published.path);
  let w = await fits();
  await page.screenshot({ path: join(shots, '57-phone-public-report.png'), fullPage: true });
  // A phone browser widens its layout viewport to fit a too-wide page: compare with 390.
  assert.ok(w.page <= 390 + 1 && w.screen <= 390 + 1, `the public report is ${w.page}px wide in a ${w.screen}px screen`);
  await page.goto(`${base}/public`);
  w = await fits();
  await page.screenshot({ path: join(shots, '58-phone-public-index.png'), fullPage: false });
  assert.ok(w.page <= 390 + 1 && w.screen <= 390 + 1, `the public index is ${w.page}px wide in a ${w.screen}px screen`);
  assert.deepEqual(errors, []);
  await context.close();
});
