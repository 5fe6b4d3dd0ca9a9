// Browser test of the classroom page: starts `alliance-sim serve --port 0`, drives Debian's
// Chromium headless with playwright-core (web/package-lock.json), changes a slider, starts the
// run, waits for the charts to advance, checks that the group view and the event log change,
// tries side-by-side mode and takes screenshots into --out. Peers: friendship ties drawn between
// the youths and a friendship told in the log. Also: no console error and no failed
// request on load (the page's CSP, the favicon); the 1280x720 side-by-side layout (no two names
// overlap, both alliance charts on screen); a reload gives its session back (a server of one
// session serves five reloads in a row); a full server's page explains itself and disables the
// controls.
// Fails (never skips) when Chromium, playwright-core or the binary is missing.
//   node web/tests/classroom_page.mjs --binary build/apps/alliance-sim --out build/browser
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const chromium = process.env.ASIM_CHROMIUM || '/usr/bin/chromium';
const out = args.out || 'build/browser';
const timeout = 60000;  // generous: only a bound for a hung page, never a speed requirement

function fail(msg) {
  console.error('FAIL: ' + msg);
  process.exit(1);
}
function check(cond, msg) {
  if (!cond) throw new Error(msg);
  console.log('ok: ' + msg);
}

if (!args.binary || !existsSync(args.binary)) fail(`alliance-sim binary not found (--binary ${args.binary})`);
if (!existsSync(chromium)) fail(`${chromium} not found: run scripts/setup.sh (Debian package chromium)`);
let playwright;
try {
  playwright = createRequire(join(here, '..', 'package.json'))('playwright-core');
} catch (e) {
  fail('playwright-core is not installed in web/node_modules: run scripts/setup.sh (npm ci in web/)');
}
mkdirSync(out, { recursive: true });

// A server on a free port; its first line names the address.
const servers = [];
async function startServer(extra = []) {
  const server = spawn(args.binary, ['serve', '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(server);
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('server did not print its address')), timeout);
    server.stdout.on('data', chunk => {
      text += chunk;
      const m = text.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    server.on('exit', code => reject(new Error(`server exited with ${code}`)));
  }).catch(e => { for (const s of servers) s.kill(); fail(e.message); });
}
const base = await startServer();

// Console messages of type error and answers of 400 or more, per page.
function watch(page) {
  const problems = [];
  page.on('console', m => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.on('response', r => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on('pageerror', e => problems.push('script: ' + String(e)));
  return problems;
}
// Pairs of text boxes of the group view that overlap (names, days in care, worker names).
function overlaps(page, i) {
  return page.locator(`#group-${i} svg`).evaluate(svg => {
    const boxes = [...svg.querySelectorAll('.youth text, .worker text.name')].map(t => [t.textContent, t.getBoundingClientRect()]);
    const out = [];
    for (let a = 0; a < boxes.length; ++a)
      for (let b = a + 1; b < boxes.length; ++b) {
        const [ta, A] = boxes[a], [tb, B] = boxes[b];
        if (A.left < B.right - 0.5 && B.left < A.right - 0.5 && A.top < B.bottom - 0.5 && B.top < A.bottom - 0.5)
          out.push(`"${ta}"/"${tb}"`);
      }
    return out;
  });
}

const profile = mkdtempSync(join(tmpdir(), 'asim-chromium-'));
let context;
let status = 0;
try {
  context = await playwright.chromium.launchPersistentContext(profile, {
    executablePath: chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1600, height: 1000 },
  });
  const page = context.pages()[0] || await context.newPage();
  const errors = watch(page);
  page.setDefaultTimeout(timeout);
  await page.goto(base);
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForSelector('#group-0 svg[data-day="0"]');
  check(errors.length === 0, 'no console error and no failed request on load' + (errors.length ? ': ' + errors.join('; ') : ''));
  // Day 0: the group opens, every youth arrives that day (days in care explained, marked new)
  const day0 = await page.locator('#group-0 .youth text.days').allTextContents();
  check(day0.length > 0 && day0.every(t => t === 'new · 0 d'), `every youth is new on day 0 (${day0[0]})`);
  const arrivals = await page.locator('#log-0 li.admission').count();
  check(arrivals === day0.length, `the log tells each of the ${arrivals} arrivals of day 0`);
  check(await page.locator('#controls input[type=range]').count() >= 5, 'controls are built from /api/controls');
  const caseload = page.locator('input[name="mentor.caseload"]');
  check(await caseload.getAttribute('min') === '1' && await caseload.getAttribute('max') === '30',
        'the caseload slider has the registry range [1, 30]');

  // change a slider: the run restarts with the new setting
  await caseload.fill('4');
  await caseload.dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('#group-0 svg')?.dataset.day === '0' &&
    [...document.querySelectorAll('#group-0 .worker')].length >= 3);
  const workers = await page.locator('#group-0 .worker').count();
  check(workers >= 3, `caseload 4 gives the group ${workers} mentors`);
  const logBefore = await page.locator('#log-0 li').count();
  const groupBefore = await page.locator('#group-0').innerHTML();
  const chartBefore = Number(await page.locator('#chart-alliance-0 svg').getAttribute('data-days'));

  // start, let it run, pause
  await page.selectOption('#speed', '30');
  await page.click('#start');
  await page.waitForFunction(before => Number(document.querySelector('#chart-alliance-0 svg')?.dataset.days) > before + 60,
    chartBefore);
  await page.waitForFunction(n => document.querySelectorAll('#log-0 li').length > n + 3, logBefore);
  // peers: a friendship told in the log and a friendship tie drawn between two youths
  await page.waitForFunction(() => document.querySelector('#log-0 li.friendship') &&
    document.querySelector('#group-0 .tie.friendship'));
  await page.click('#start');  // pause
  const chartAfter = Number(await page.locator('#chart-alliance-0 svg').getAttribute('data-days'));
  check(chartAfter > chartBefore + 60, `the alliance chart advanced from ${chartBefore} to ${chartAfter} days`);
  check(await page.locator('#group-0').innerHTML() !== groupBefore, 'the group view changed');
  const logAfter = await page.locator('#log-0 li').count();
  check(logAfter > logBefore + 3, `the event log grew from ${logBefore} to ${logAfter} lines`);
  const first = await page.locator('#log-0 li').first().textContent();
  check(/^Day \d+: /.test(first), `log lines read "Day N: ..." ("${first}")`);
  check(await page.locator('#group-0 .edge').count() > 0, 'alliance edges are drawn');
  check(await page.locator('.informants circle').count() >= 2, 'the two-informant view is drawn');
  const friendLine = await page.locator('#log-0 li.friendship').first().textContent();
  check(/^Day \d+: \S.* and \S.* became friends$/.test(friendLine), `the log tells a friendship in words ("${friendLine}")`);
  const tie = page.locator('#group-0 .tie.friendship').first();
  check(await tie.getAttribute('stroke') === '#1b8a4b' && await tie.getAttribute('stroke-dasharray') === null,
        'a friendship tie is drawn solid green between two youths');
  const tieTitle = await tie.locator('title').textContent();
  check(/^\S.* and \S.*: friends since day \d+$/.test(tieTitle), `the tie names the two friends ("${tieTitle}")`);
  for (const c of await page.locator('#group-0 .tie.conflict').all())
    check(await c.getAttribute('stroke-dasharray') !== null, 'a conflict tie is drawn dashed');
  check(await page.locator('input[name="staff.workers_per_shift"]').count() === 1 &&
        await page.locator('input[name="youth.p_externalising"]').count() === 1,
        'supervision (workers per shift) and composition (acting-out share) are controls');

  // step one day: once the paused loop's last request is answered, Step moves exactly one day
  await page.waitForSelector('html[data-busy="0"]');
  check(!await page.locator('#step').isDisabled(), 'Step is enabled when paused and idle');
  const dayText = await page.locator('#panel-0 .day').textContent();
  await page.click('#step');  // sets data-busy="1" until the answer is drawn
  await page.waitForSelector('html[data-busy="0"]');
  const dayStepped = await page.locator('#panel-0 .day').textContent();
  const dayNumber = t => Number(/^Day (\d+)$/.exec(t)?.[1]);
  check(dayNumber(dayStepped) === dayNumber(dayText) + 1,
        `Step one day moved from "${dayText}" to "${dayStepped}"`);
  await page.screenshot({ path: join(out, 'classroom.png'), fullPage: false, animations: 'disabled' });
  console.log('screenshot: ' + join(out, 'classroom.png'));

  // invalid input from the page is answered with the server's message (a 400 on purpose: the
  // problems seen so far are checked first and the expected ones dropped after)
  check(errors.length === 0, 'no console error and no failed request while running' + (errors.length ? ': ' + errors.join('; ') : ''));
  const session = new URL(await page.locator('#export').getAttribute('href'), base).searchParams.get('session');
  const bad = await page.evaluate(async s => {
    const r = await fetch(`/api/reset?session=${encodeURIComponent(s)}&mentor.caseload=99`, { method: 'POST' });
    return [r.status, (await r.json()).error];
  }, session);
  check(bad[0] === 400 && bad[1] === 'mentor.caseload = 99 is outside [1, 30]',
        `a bad value from the page's session is refused with 400 (${bad[0]}: ${bad[1]})`);
  errors.length = 0;

  // side by side: open and closed with the same youths
  await page.check('#side-by-side');
  await page.waitForSelector('#group-1 svg[data-day="0"]');
  check(await page.locator('#panel-1 .panel-title').textContent() === 'Closed group', 'the second panel is a closed group');
  await page.waitForSelector('#group-0 svg[data-day="0"]');
  const names = async i => (await page.locator(`#group-${i} .youth[data-name]`).evaluateAll(
    gs => gs.map(g => g.dataset.name))).join(',');
  const open0 = await names(0), closed0 = await names(1);
  check(open0 !== '' && open0 === closed0, `open and closed panels start with the same youths (${open0})`);
  await page.click('#start');
  await page.waitForFunction(() => Number(document.querySelector('#chart-alliance-1 svg')?.dataset.lastDay) > 90);
  await page.click('#start');
  await page.screenshot({ path: join(out, 'classroom-side-by-side.png'), fullPage: false, animations: 'disabled' });
  console.log('screenshot: ' + join(out, 'classroom-side-by-side.png'));
  // a common projector resolution: names apart, both alliance charts on screen without scrolling
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.click('#step');
  await page.waitForSelector('html[data-busy="0"]');
  await page.screenshot({ path: join(out, 'classroom-1280x720.png'), fullPage: false, animations: 'disabled' });
  console.log('screenshot: ' + join(out, 'classroom-1280x720.png'));
  for (const i of [0, 1]) {
    const o = await overlaps(page, i);
    check(o.length === 0, `1280x720 side by side: no two names overlap in panel ${i}` + (o.length ? ': ' + o.join(', ') : ''));
    const box = await page.locator(`#chart-alliance-${i} svg`).boundingBox();
    check(box && box.y >= 0 && box.y + box.height <= 720,
          `1280x720 side by side: the alliance chart of panel ${i} is on screen (${box && Math.round(box.y)}-${box && Math.round(box.y + box.height)} px)`);
  }

  // export
  const href = await page.locator('#export').getAttribute('href');
  const bytes = await page.evaluate(async h => {
    const r = await fetch(h);
    const b = new Uint8Array(await r.arrayBuffer());
    return [r.status, b[1], b[2], b[3], b.length];
  }, href);
  check(bytes[0] === 200 && String.fromCharCode(bytes[1], bytes[2], bytes[3]) === 'HDF', `export gives an HDF5 file (${bytes[4]} bytes)`);
  check(errors.length === 0, 'no script or console error and no failed request' + (errors.length ? ': ' + errors.join('; ') : ''));

  // A server of one session: a reload gives the session back (else the second load finds the
  // server full: --idle-seconds 600 is far away), and a second tab meets the full page.
  const small = await startServer(['--max-sessions', '1']);
  const tab = await context.newPage();
  const tabErrors = watch(tab);
  tab.setDefaultTimeout(timeout);
  await tab.goto(small);
  await tab.waitForSelector('#group-0 svg[data-day="0"]');
  for (let k = 1; k <= 5; ++k) {
    await tab.reload();
    await tab.waitForSelector('body[data-ready="1"]');
    check(await tab.locator('body[data-full="1"]').count() === 0 &&
          await tab.locator('#group-0 svg[data-day="0"]').count() === 1, `reload ${k}: the session came back and the page runs`);
  }
  check(tabErrors.length === 0, 'no error in the reloaded tab' + (tabErrors.length ? ': ' + tabErrors.join('; ') : ''));
  const second = await context.newPage();
  second.setDefaultTimeout(timeout);
  await second.goto(small);
  await second.waitForSelector('body[data-ready="1"]');
  check(await second.locator('body[data-full="1"]').count() === 1 && await second.locator('#full').isVisible(),
        'a tab beyond --max-sessions shows the full page');
  const fullText = await second.locator('#full-text').textContent();
  check(/all 1 classroom sessions are in use/.test(fullText) && /--max-sessions/.test(fullText) && /idle for 10 minutes/.test(fullText),
        `the full page names --max-sessions and the idle expiry ("${fullText}")`);
  for (const id of ['#start', '#step', '#reset', '#side-by-side', '#speed'])
    check(await second.locator(id).isDisabled(), `the full page disables ${id}`);
  check(await second.locator('#export').getAttribute('href') === null, 'the full page has no export link');
  await second.setViewportSize({ width: 1280, height: 720 });
  await second.screenshot({ path: join(out, 'classroom-full.png'), fullPage: false });
  console.log('screenshot: ' + join(out, 'classroom-full.png'));
  // closing the first tab frees the place for the second
  await tab.close({ runBeforeUnload: true });
  await second.click('#full-retry');
  await second.waitForSelector('#group-0 svg[data-day="0"]');
  check(await second.locator('body[data-full="1"]').count() === 0, 'after the first tab closed, the second one runs');
} catch (e) {
  console.error('FAIL: ' + (e && e.stack || e));
  status = 1;
} finally {
  if (context) await context.close().catch(() => {});
  for (const s of servers) s.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
}
process.exit(status);
