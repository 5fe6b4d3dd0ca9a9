// Browser test of the classroom page: starts `alliance-sim serve --port 0`, drives Debian's
// Chromium headless with playwright-core (web/package-lock.json), changes a slider, starts the
// run, waits for the charts to advance, checks that the group view and the event log change,
// tries side-by-side mode and takes screenshots into --out.
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

// The server, on a free port; its first line names the address.
const server = spawn(args.binary, ['serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let text = '';
  const timer = setTimeout(() => reject(new Error('server did not print its address')), timeout);
  server.stdout.on('data', chunk => {
    text += chunk;
    const m = text.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) { clearTimeout(timer); resolve(m[0]); }
  });
  server.on('exit', code => reject(new Error(`server exited with ${code}`)));
}).catch(e => { server.kill(); fail(e.message); });

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
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.setDefaultTimeout(timeout);
  await page.goto(base);
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForSelector('#group-0 svg[data-day="0"]');
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

  // invalid input from the page is answered with the server's message
  const session = new URL(await page.locator('#export').getAttribute('href'), base).searchParams.get('session');
  const bad = await page.evaluate(async s => {
    const r = await fetch(`/api/reset?session=${encodeURIComponent(s)}&mentor.caseload=99`, { method: 'POST' });
    return [r.status, (await r.json()).error];
  }, session);
  check(bad[0] === 400 && bad[1] === 'mentor.caseload = 99 is outside [1, 30]',
        `a bad value from the page's session is refused with 400 (${bad[0]}: ${bad[1]})`);

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
  // a common projector resolution
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.screenshot({ path: join(out, 'classroom-1280x720.png'), fullPage: false, animations: 'disabled' });
  console.log('screenshot: ' + join(out, 'classroom-1280x720.png'));

  // export
  const href = await page.locator('#export').getAttribute('href');
  const bytes = await page.evaluate(async h => {
    const r = await fetch(h);
    const b = new Uint8Array(await r.arrayBuffer());
    return [r.status, b[1], b[2], b[3], b.length];
  }, href);
  check(bytes[0] === 200 && String.fromCharCode(bytes[1], bytes[2], bytes[3]) === 'HDF', `export gives an HDF5 file (${bytes[4]} bytes)`);
  check(errors.length === 0, 'no script errors on the page' + (errors.length ? ': ' + errors.join('; ') : ''));
} catch (e) {
  console.error('FAIL: ' + (e && e.stack || e));
  status = 1;
} finally {
  if (context) await context.close().catch(() => {});
  server.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
}
process.exit(status);
