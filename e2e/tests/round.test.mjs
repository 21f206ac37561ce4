// The annual reporting round as people use it: `planwatch demo` opens a 2025 round in every
// demo region. A member unit's reporter of a county finds its form from its landing page,
// fills every indicator (one far from last year's value, which the page flags 需填写说明 and
// the reporter explains), saves a draft, leaves, comes back to find it kept on the server,
// and submits (待审核). The county's statistics bureau finds the submission on the round
// page, comments on one value and returns it (退回修改); the reporter sees the comment next
// to the value, corrects it and submits again; the bureau approves (已通过), and the
// county's 2025 dashboard shows the approved value. The form also fits a phone (390×844).
//
// Headless Chromium with JavaScript on at 1366×900, a fresh data directory. Screenshots go
// to e2e/screenshots/ (4x-*.png).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { shots, chromiumPath, chromiumFlags, startDemo, loginAs, logout } from '../lib/demo.mjs';

const YEAR = 2025;

let demo;
let base;
let browser;
let dataDir;

/** The county, its id, the reporter and the bureau account, read from the login page. */
const who = {};

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'planwatch-e2e-round-'));
  mkdirSync(shots, { recursive: true });
  ({ process: demo, base } = await startDemo(dataDir));
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumFlags });

  // The first county (县) on the login page's demo accounts, and its first reporter.
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
  const reporters = county.names.filter((n) => n.startsWith(`${who.county}-`) && !/-(工委办|统计局|查看)$/.test(n));
  assert.ok(reporters.length >= 1, `${who.county} has reporters: ${county.names}`);
  who.reporter = reporters[0];
  who.unit = who.reporter.slice(who.county.length + 1);
  who.bureau = `${who.county}-统计局`;
  who.office = `${who.county}-工委办`;
  assert.ok(county.names.includes(who.bureau), `${who.bureau} listed: ${county.names}`);
});

after(async () => {
  if (browser) await browser.close();
  if (demo) demo.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh context and page; `errors` collects script errors and unexpected console errors. */
async function open(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // A refused save or submit (409/422) is a page the browser notes as an error.
    if (!/status of (40[139]|422)/.test(m.text())) errors.push(m.text());
  });
  return { context, page, errors };
}

/** Clicks `locator` (a link or a submit button) and waits for the next page to load. */
async function go(page, locator) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
}

/** The leading number of a text such as "12.5%（2024年）", "8.2/10万以下（2030年）". */
function leadingNumber(text) {
  const m = String(text).match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/i);
  return m ? m[0] : null;
}

/** The reporter's way to the round's form: landing page (its unit page) → 数据填报 link. */
async function reporterToForm(page) {
  await loginAs(page, base, who.reporter);
  const landed = new URL(page.url()).pathname;
  const m = landed.match(/^\/regions\/(\d+)\/units\/(\d+)$/);
  assert.ok(m, `the reporter lands on its unit page: ${page.url()}`);
  who.regionId = Number(m[1]);
  who.unitId = Number(m[2]);
  const link = page.locator('section.card', { has: page.locator('h2', { hasText: '数据填报' }) })
    .locator('a', { hasText: `${YEAR}年度监测数据填报` });
  assert.equal(await link.count(), 1, `the unit page links the ${YEAR} round's form`);
  assert.match(await link.innerText(), /填报中/);
  await go(page, link);
  assert.equal(new URL(page.url()).pathname, `/regions/${who.regionId}/rounds/${YEAR}/units/${who.unitId}`);
  assert.equal(await page.locator('h1').innerText(), `${who.unit} · ${YEAR}年度监测数据填报`);
}

/** The form's indicator blocks: key, name, unit, last year's text, target text, field ids. */
function blocks(page) {
  return page.locator('section.indicator-block').evaluateAll((secs) =>
    secs.map((s) => {
      const value = s.querySelector('input[name^="v:"], .readonly-value[id$="-v"]');
      const dds = [...s.querySelectorAll('dl.facts dd')].map((d) => d.textContent.trim());
      const h2 = s.querySelector('h2');
      const unit = (h2.querySelector('.unit-label')?.textContent || '').trim().replace(/^（|）$/g, '');
      return {
        anchor: s.id,
        key: value && value.getAttribute('name') ? value.getAttribute('name').slice(2) : null,
        name: h2.childNodes[0].textContent.trim(),
        unit,
        lastYear: dds[0],
        targets: dds[1],
        valueId: value ? value.id : null,
      };
    }));
}

const block = (page, anchor) => page.locator(`section.indicator-block#${anchor}`);
const valueInput = (page, anchor) => block(page, anchor).locator('input[name^="v:"]');
const explanation = (page, anchor) => block(page, anchor).locator('textarea[name^="e:"]');
/** The state shown in 填报状态. */
const formState = (page) => page.locator('dl.numbers div', { has: page.locator('dt', { hasText: '填报状态' }) }).locator('dd').innerText();

/** Units where three times last year's value is still a possible value (not a share capped at 100). */
function tripleFits(b, last) {
  const n = Number(last);
  if (!(n > 0)) return false;
  if (['%', '％'].includes(b.unit)) return n * 3 <= 100;
  if (b.unit === '‰') return n * 3 <= 1000;
  if (b.unit === '1/万') return n * 3 <= 10000;
  if (b.unit === '1/10万') return n * 3 <= 100000;
  if (['岁', '周岁', '年'].includes(b.unit)) return n * 3 <= 150;
  if (b.unit === '百分点') return n * 3 <= 100;
  return true;
}

/** Submits with 报送; on refusal explains flagged values (and fills missing ones) as a clerk would, then again. */
async function submitFixing(page, t, explainText) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await go(page, page.getByRole('button', { name: '报送', exact: true }));
    const url = new URL(page.url());
    if (url.searchParams.get('submitted') === '1') return attempt;
    const error = await page.locator('.form-error[role="alert"]').innerText();
    t.diagnostic(`submit refused: ${error.replace(/\s+/g, ' ')}`);
    assert.match(error, /尚未报送/, `the refusal says it was not submitted: ${error}`);
    assert.match(error, /已保存为草稿/);
    // Every flagged block: a missing value gets the target's number, a soft note an explanation.
    const flagged = await page.locator('section.indicator-block').evaluateAll((secs) =>
      secs.filter((s) => s.querySelector('.note-hard, .note-soft')).map((s) => ({
        anchor: s.id,
        name: s.querySelector('h2').childNodes[0].textContent.trim(),
        unit: (s.querySelector('h2 .unit-label')?.textContent || '').trim(),
        hard: [...s.querySelectorAll('.note-hard')].map((n) => n.textContent.trim()),
        soft: [...s.querySelectorAll('.fields .field:not(.field-wide) .note-soft')].map((n) => n.textContent.trim()),
        explained: (s.querySelector('textarea[name^="e:"]')?.value || '').trim() !== '',
        targets: s.querySelectorAll('dl.facts dd')[1]?.textContent.trim() || '',
      })));
    assert.ok(flagged.length >= 1, 'the refused page marks what to fix');
    for (const f of flagged) {
      for (const h of f.hard) {
        if (/缺少/.test(h)) {
          const n = leadingNumber(f.targets);
          assert.ok(n, `${f.anchor}: a missing value and no target to take it from: ${h}`);
          await valueInput(page, f.anchor).fill(n);
        } else if (/应为整数/.test(h)) {
          // The page's own 上年数值 may be a decimal for a counted unit: round it, as the note asks.
          const input = valueInput(page, f.anchor);
          const typed = await input.inputValue();
          const whole = String(Math.round(Number(typed)));
          t.diagnostic(`${f.name}${f.unit}: ${h.replace(/\s+/g, ' ')} → typed ${whole}`);
          await input.fill(whole);
        } else if (!/审核意见/.test(h)) {
          assert.fail(`${f.anchor}: a value must be changed: ${h}`);
        }
      }
      if (f.soft.length && !f.explained) {
        t.diagnostic(`${f.name}: explained: ${f.soft.join(' ').replace(/\s+/g, ' ')}`);
        await explanation(page, f.anchor).fill(explainText);
      }
    }
  }
  assert.fail('submission still refused after three attempts');
}

/** The bureau's way to the round page: home → the county → 年度数据填报 → 2025 年度. */
async function bureauToRound(page, t) {
  await loginAs(page, base, who.bureau);
  t.diagnostic(`${who.bureau} lands on ${new URL(page.url()).pathname}`);
  if (!/^\/regions\/\d+$/.test(new URL(page.url()).pathname)) {
    await go(page, page.locator('a.chip', { hasText: who.county }).first());
  }
  assert.equal(new URL(page.url()).pathname, `/regions/${who.regionId}`);
  const roundsLink = page.locator('.head-actions a', { hasText: '年度数据填报' });
  assert.equal(await roundsLink.count(), 1, `the region page links 年度数据填报: ${await page.locator('.head-actions').innerText()}`);
  await go(page, roundsLink);
  assert.equal(new URL(page.url()).pathname, `/regions/${who.regionId}/rounds`);
  await go(page, page.getByRole('link', { name: `${YEAR} 年度` }));
  assert.equal(new URL(page.url()).pathname, `/regions/${who.regionId}/rounds/${YEAR}`);
  assert.equal(await page.locator('h1').innerText(), `${who.county} · ${YEAR} 年度数据填报`);
}

/** The unit's row on the round page: its cells' texts and the row locator. */
async function unitRow(page, t) {
  const row = page.locator('main table tbody tr', { has: page.locator('td:first-child a', { hasText: who.unit }) });
  assert.equal(await row.count(), 1, `${who.unit} in the round's unit table`);
  const cells = await row.locator('td').allInnerTexts();
  if (t) {
    // Whether the state label can be read: its text colour against what is behind it.
    const look = await row.locator('td').nth(4).locator('span').evaluate((el) => {
      let bg = 'rgba(0, 0, 0, 0)';
      for (let e = el; e && /rgba\(0, 0, 0, 0\)|transparent/.test(bg); e = e.parentElement) bg = getComputedStyle(e).backgroundColor;
      return { text: el.textContent, cls: el.className, color: getComputedStyle(el).color, bg };
    });
    const lum = (c) => { const [r, g, b] = c.match(/\d+/g).map(Number); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    assert.ok(
      Math.abs(lum(look.color) - lum(look.bg)) >= 60,
      `round page: the state 「${look.text}」 (class "${look.cls}") is hard to read: ${look.color} on ${look.bg}`,
    );
  }
  return { row, cells: cells.map((c) => c.trim()) };
}

/** What the story carries from step to step. */
const story = {};

test('a reporter fills its form, saves a draft, comes back and submits', async (t) => {
  const { context, page, errors } = await open();
  await reporterToForm(page);
  assert.equal(await formState(page), '未填报');
  assert.match(await page.locator('.lead').first().innerText(), /填报中/);
  const all = await blocks(page);
  assert.ok(all.length >= 2, `the form asks for several indicators: ${all.length}`);
  assert.ok(all.every((b) => b.key && b.valueId), 'every block has its value field');

  // A plausible value for each: last year's, else the target's number.
  const values = {};
  for (const b of all) {
    const v = leadingNumber(b.lastYear) ?? leadingNumber(b.targets);
    assert.ok(v !== null, `${b.name}: a value to type (上年 ${b.lastYear}, 目标 ${b.targets})`);
    values[b.anchor] = v;
  }
  // One far from last year's: three times it.
  const odd = all.find((b) => leadingNumber(b.lastYear) !== null && tripleFits(b, leadingNumber(b.lastYear)));
  assert.ok(odd, `an indicator whose last year's value can be tripled: ${all.map((b) => `${b.name}:${b.lastYear}`)}`);
  const last = leadingNumber(odd.lastYear);
  values[odd.anchor] = String(Math.round(Number(last) * 3 * 1000) / 1000);
  t.diagnostic(`${who.reporter}: ${all.length} indicators; ${odd.name} last year ${odd.lastYear}, typed ${values[odd.anchor]}`);
  Object.assign(story, { all, odd, last, values });

  for (const b of all) await valueInput(page, b.anchor).fill(values[b.anchor]);
  await go(page, page.getByRole('button', { name: '保存草稿' }));
  assert.equal(new URL(page.url()).searchParams.get('saved'), '1', `saved: ${page.url()}`);
  assert.match(await page.locator('.notice[role="status"]').innerText(), /已保存草稿/);
  assert.equal(await formState(page), '草稿');
  assert.match(await page.locator('dl.numbers').innerText(), new RegExp(`已填\\s*${all.length} / ${all.length} 项`));

  // The tripled value is flagged beside its field, softly: explain it.
  const oddField = block(page, odd.anchor).locator('.field', { has: page.locator('input[name^="v:"]') });
  assert.match(await oddField.getAttribute('class'), /has-soft/);
  const soft = await oddField.locator('.note-soft').allInnerTexts();
  assert.ok(soft.length >= 1 && soft.every((s) => s.startsWith('需填写说明')), `soft notes: ${soft}`);
  assert.ok(soft.some((s) => /变化|常见范围/.test(s)), `the note says why: ${soft}`);
  assert.equal(await valueInput(page, odd.anchor).getAttribute('aria-describedby'), `${odd.valueId}-notes`);
  assert.match(await block(page, odd.anchor).locator('.field-wide .note-soft').innerText(), /请在此写明原因/);
  await page.screenshot({ path: join(shots, '41-round-form-flagged.png'), fullPage: true });
  const why = `${YEAR}年新建两所学校，服务对象大幅增加，经核实数值无误。`;
  story.why = why;
  await explanation(page, odd.anchor).fill(why);
  await go(page, page.getByRole('button', { name: '保存草稿' }));
  assert.match(await page.locator('.notice[role="status"]').innerText(), /已保存草稿/);
  assert.equal(await block(page, odd.anchor).locator('.field-wide .note-soft').count(), 0, 'explained: no 请在此写明原因');
  const savedLine = await page.locator('dl.numbers div', { has: page.locator('dt', { hasText: '最后保存' }) }).locator('dd').innerText();
  assert.notEqual(savedLine, '尚未保存');

  // On a phone the same form, values and notes shown, fits the screen's width.
  const phone = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await reporterToForm(phone.page);
  const w = await phone.page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  await phone.page.screenshot({ path: join(shots, '48-round-form-phone.png'), fullPage: true });
  assert.ok(w.page <= 390 + 1, `the form is ${w.page}px wide in a ${w.screen}px screen`);
  assert.deepEqual(phone.errors, []);
  await phone.context.close();

  // Leave, come back: the draft is on the server.
  await logout(page);
  await reporterToForm(page);
  assert.equal(await formState(page), '草稿');
  for (const b of all) {
    assert.equal(await valueInput(page, b.anchor).inputValue(), values[b.anchor], `${b.name} kept`);
  }
  assert.equal(await explanation(page, odd.anchor).inputValue(), why);

  // 报送: explain whatever else the rules flag, as a clerk would.
  const attempts = await submitFixing(page, t, '经核实，数值与统计年报一致。');
  t.diagnostic(`submitted after ${attempts} refusal(s)`);
  assert.match(await page.locator('.notice[role="status"]').innerText(), /已报送，等待统计局审核/);
  assert.equal(await formState(page), '待审核');
  assert.match(await page.locator('p.locked').innerText(), /已报送/);
  assert.equal(await page.locator('input[name^="v:"]').count(), 0, 'no editable field after submission');
  assert.equal(await page.getByRole('button', { name: '报送', exact: true }).count(), 0);
  assert.equal(await page.locator(`#${odd.valueId}`).innerText(), values[odd.anchor]);
  assert.match(await page.locator('p.small.muted', { hasText: '报送：' }).innerText(), new RegExp(who.reporter));
  await page.screenshot({ path: join(shots, '42-round-form-submitted.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the bureau finds the submission, comments on one value and returns it', async (t) => {
  assert.ok(story.odd, 'the reporter submitted');
  const { context, page, errors } = await open();
  await bureauToRound(page, t);
  let { row, cells } = await unitRow(page, t);
  assert.equal(cells[4], '待审核', `state: ${cells}`);
  assert.equal(cells[2], String(story.all.length), `已填: ${cells}`);
  assert.match(await page.locator('main section.card h2').first().innerText(), /已报送 [1-9]\d* \//);
  await page.screenshot({ path: join(shots, '43-round-queue.png'), fullPage: true });

  await go(page, row.getByRole('link', { name: '审核' }));
  assert.equal(new URL(page.url()).pathname, `/regions/${who.regionId}/rounds/${YEAR}/units/${who.unitId}/review`);
  assert.equal(await page.locator('h1').innerText(), `${who.unit} · ${YEAR} 年度数据审核`);
  assert.match(await page.locator('.lead').first().innerText(), /待审核/);
  const line = page.locator('main table tbody tr', { has: page.locator(`input[name="c:${story.odd.key}"]`) });
  assert.equal(await line.count(), 1, 'the tripled value has its row and comment field');
  const lineText = await line.innerText();
  assert.ok(lineText.includes(story.why), `the explanation is shown to the bureau: ${lineText}`);
  assert.ok(lineText.includes(story.values[story.odd.anchor]), `the value is shown: ${lineText}`);
  const comment = `比上年增长约两倍，请与统计年报核对；如有误请改为上年口径的数值（约${story.last}）。`;
  story.comment = comment;
  await line.locator(`input[name="c:${story.odd.key}"]`).fill(comment);
  const wide = await page.locator('main .table-wrap').first().evaluate((w) => ({ scroll: w.scrollWidth, client: w.clientWidth }));
  assert.ok(wide.scroll <= wide.client + 1, `review page at 1366px: the table is ${wide.scroll}px wide in ${wide.client}px (scrolls sideways)`);
  await page.screenshot({ path: join(shots, '44-round-review.png'), fullPage: true });
  await go(page, page.getByRole('button', { name: '退回修改' }));
  assert.equal(new URL(page.url()).pathname, `/regions/${who.regionId}/rounds/${YEAR}`);
  assert.match(await page.locator('.notice[role="status"]').innerText(), /已退回该单位修改/);
  ({ cells } = await unitRow(page));
  assert.equal(cells[4], '已退回', `state: ${cells}`);
  assert.match(cells[6], /退回/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the reporter sees the comment by the value, corrects it and submits again', async (t) => {
  assert.ok(story.comment, 'the bureau returned the form');
  const { context, page, errors } = await open();
  await reporterToForm(page);
  assert.equal(await formState(page), '已退回');
  const note = block(page, story.odd.anchor).locator('.note-hard', { hasText: '审核意见' });
  assert.equal(await note.innerText(), `审核意见：${story.comment}`);
  // Only the commented indicator carries a comment.
  assert.equal(await page.locator('section.indicator-block .note-hard', { hasText: '审核意见' }).count(), 1);
  await page.screenshot({ path: join(shots, '45-round-form-returned.png'), fullPage: true });

  assert.equal(await valueInput(page, story.odd.anchor).inputValue(), story.values[story.odd.anchor]);
  await valueInput(page, story.odd.anchor).fill(story.last);
  await explanation(page, story.odd.anchor).fill('已按统计局意见与统计年报核对，更正为年报数值。');
  const attempts = await submitFixing(page, t, '经核实，数值与统计年报一致。');
  t.diagnostic(`submitted again after ${attempts} refusal(s)`);
  assert.equal(await formState(page), '待审核');
  assert.equal(await page.locator(`#${story.odd.valueId}`).innerText(), story.last);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the bureau approves and the dashboard shows the approved value', async (t) => {
  assert.ok(story.comment, 'the reporter submitted again');
  const { context, page, errors } = await open();
  await bureauToRound(page, t);
  let { row, cells } = await unitRow(page, t);
  assert.equal(cells[4], '待审核', `state: ${cells}`);
  await go(page, row.getByRole('link', { name: '审核' }));
  const line = page.locator('main table tbody tr', { has: page.locator(`input[name="c:${story.odd.key}"]`) });
  assert.match(await line.locator('td.num strong').innerText(), new RegExp(`^${story.last.replace('.', '\\.')}`));
  await go(page, page.getByRole('button', { name: '审核通过' }));
  assert.equal(new URL(page.url()).pathname, `/regions/${who.regionId}/rounds/${YEAR}`);
  assert.match(await page.locator('.notice[role="status"]').innerText(), /审核通过/);
  ({ row, cells } = await unitRow(page));
  assert.equal(cells[4], '已通过', `state: ${cells}`);
  assert.equal(cells[3], String(story.all.length), `已通过 count: ${cells}`);
  assert.match(cells[6], /通过/);
  await page.screenshot({ path: join(shots, '46-round-approved.png'), fullPage: true });

  // The county's dashboard for 2025: from the region page, then the year chooser.
  await go(page, page.locator('nav.crumbs a', { hasText: who.county }));
  await go(page, page.locator('.head-actions a', { hasText: '监测概览' }));
  const years = await page.locator('select#year option').evaluateAll((os) => os.map((o) => o.value));
  if (years.includes(String(YEAR))) {
    await page.locator('select#year').selectOption(String(YEAR));
    await go(page, page.locator('form.year-form button'));
  } else {
    t.diagnostic(`the dashboard's year chooser offers no ${YEAR} (${years}): going to ?year=${YEAR} directly`);
    await page.goto(`${base}/regions/${who.regionId}/dashboard?year=${YEAR}`);
  }
  assert.equal(new URL(page.url()).searchParams.get('year'), String(YEAR));
  assert.equal(await page.locator('h1').innerText(), `${who.county} ${YEAR}年监测概览`);
  // The corrected indicator's row(s) of 全部目标: the value as the form wrote last year's
  // (the same number, the same unit style), now for 2025.
  const want = story.odd.lastYear.replace(/（\d{4}年）$/, `（${YEAR}年）`);
  const latest = await page.locator('table.all-targets tbody tr').evaluateAll((trs, key) =>
    trs.filter((tr) => {
      const a = tr.querySelector('td.indicator a');
      const seg = a && new URL(a.getAttribute('href'), 'http://x').pathname.split('/').pop();
      return seg && decodeURIComponent(seg) === key;
    }).map((tr) => tr.querySelectorAll('td')[3].textContent.trim()), story.odd.key);
  assert.ok(latest.length >= 1, `${story.odd.name} (${story.odd.key}) on the dashboard`);
  for (const l of latest) assert.ok(l.startsWith(want), `最新值 ${l}, expected ${want}`);
  // (The row's 演示数据 tag stays: the earlier years it judges are demo values.)
  await page.screenshot({ path: join(shots, '47-round-dashboard.png'), fullPage: true });

  // Its indicator page lists the 2025 value with the round as its source, not as demo data.
  const link = page.locator('table.all-targets tbody tr td.indicator a').filter({
    has: page.locator(`xpath=self::a[contains(@href, "/indicators/${encodeURIComponent(story.odd.key)}?")]`),
  }).first();
  await go(page, link);
  const obs = page.locator('table.observations tbody tr', { has: page.locator('td:first-child', { hasText: String(YEAR) }) });
  assert.equal(await obs.count(), 1, `one ${YEAR} value on ${page.url()}`);
  const obsCells = (await obs.locator('td').allInnerTexts()).map((c) => c.trim());
  assert.ok(obsCells[1].startsWith(want.replace(/（\d{4}年）$/, '')), `${YEAR} value ${obsCells[1]}, expected ${want}`);
  assert.equal(obsCells[2], `${who.unit}${YEAR}年度报送`, `source: ${obsCells}`);
  await page.waitForSelector('#chart-indicator[data-rendered="true"] canvas', { timeout: 15_000 });
  await page.waitForTimeout(1200); // the chart's entry animation
  const drawn = await page.evaluate(() => {
    const c = window.planwatchCharts && window.planwatchCharts['chart-indicator'];
    const o = c && c.getOption();
    return o ? { x: (o.xAxis[0].data || []).map(String), series: o.series.map((s) => [s.name, JSON.stringify(s.data).slice(0, 400)]) } : null;
  });
  if (drawn) {
    const measured = drawn.series.filter(([n]) => n.startsWith('监测值'));
    const has = measured.some(([, d]) => d.includes(String(YEAR)) || d.includes(story.last));
    if (!has) t.diagnostic(`indicator chart: no ${YEAR} point in ${JSON.stringify(measured).slice(0, 300)}`);
  }
  await page.screenshot({ path: join(shots, '47-round-indicator.png'), fullPage: false });
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the approved (read-only) form fits the screen', async () => {
  assert.ok(story.all, 'the form was filled');
  const { context, page, errors } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await reporterToForm(page);
  const w = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  await page.screenshot({ path: join(shots, '49-round-form-phone-approved.png'), fullPage: true });
  assert.ok(w.page <= 390 + 1, `the approved form is ${w.page}px wide in a ${w.screen}px screen`);
  assert.equal(await formState(page), '已通过');
  assert.deepEqual(errors, []);
  await context.close();
});
