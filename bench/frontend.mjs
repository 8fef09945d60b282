// Frontend benchmark, driven by scripts/bench-frontend.sh: headless Chromium
// (playwright-core from .tools/, the system's /usr/bin/chromium) against
// running `milepost serve` instances on loopback. Prints one JSON object.
//
//   node bench/frontend.mjs CARD_URL... --portfolio URL [--loads N] [--portfolio URL [--loads N]]...
//
// For each card URL: the bytes transferred for one cold load with brotli
// (HTML, JS, wasm, CSS, JSON), and the time from navigation start to the first
// milestone visible, median of LOADS cold loads (fresh browser context each:
// no HTTP cache). For each portfolio URL (the leadership view `/`): the time
// to the first milestone row visible (median of PORTFOLIO_LOADS cold loads)
// (N cold loads) and, while typing into the search box, the longest task and
// the longest gap between animation frames — given up after TYPING_BUDGET
// seconds, since a page busy for minutes cannot even report its tasks.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, '.tools', 'package.json'));
const { chromium } = require('playwright-core');

const LOADS = Number(process.env.MILEPOST_BENCH_LOADS || 20);
const PORTFOLIO_LOADS = Number(process.env.MILEPOST_BENCH_PORTFOLIO_LOADS || 5);
const QUERY = process.env.MILEPOST_BENCH_QUERY || 'pipeline';
const TYPING_BUDGET = Number(process.env.MILEPOST_BENCH_TYPING_BUDGET || 120);
const TIMEOUT = 300_000;

const args = process.argv.slice(2);
const cards = [];
const portfolios = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--portfolio') portfolios.push({ url: args[++i], loads: PORTFOLIO_LOADS });
  else if (args[i] === '--loads') portfolios[portfolios.length - 1].loads = Number(args[++i]);
  else cards.push(args[i]);
}

const browser = await chromium.launch({
  executablePath: process.env.MILEPOST_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run'],
});

// Records when the first element matching `selector` is on screen: after it
// is laid out with a size, at the first task after the next frame (so after
// the paint that shows it), in ms since navigation start.
function watchFirst(selector) {
  const seen = () => {
    const element = document.querySelector(selector);
    return element && element.getBoundingClientRect().height > 0;
  };
  const observer = new MutationObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__milepostFirst = performance.now(); }, 0));
  });
  observer.observe(document, { childList: true, subtree: true });
  window.__milepostLongTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__milepostLongTasks.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
}

async function firstVisible(url, selector) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(watchFirst, selector);
  await page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT });
  await page.waitForFunction(() => window.__milepostFirst !== undefined, null, { timeout: TIMEOUT });
  const ms = await page.evaluate(() => window.__milepostFirst);
  return { ms, page, context };
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const median = sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { runs: sorted.length, median: round(median), min: round(sorted[0]), p90: round(at(0.9)), max: round(sorted[sorted.length - 1]) };
}

function progress(line) {
  process.stderr.write(`[frontend.mjs] ${line}\n`);
}

function round(x) {
  return Math.round(x * 10) / 10;
}

// Bytes on the wire (headers included) for one cold load, by kind, with the
// content-encoding each response came with. Brotli is asked for explicitly:
// Chromium offers it only over HTTPS, and Backstage serves the card over HTTPS.
async function transfer(url) {
  const context = await browser.newContext({ viewport: { width: 600, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'br' } });
  const responses = new Map();
  const finished = new Map();
  cdp.on('Network.responseReceived', (e) => {
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    responses.set(e.requestId, {
      url: e.response.url, mime: e.response.mimeType, status: e.response.status,
      encoding: headers['content-encoding'] || 'identity',
    });
  });
  cdp.on('Network.loadingFinished', (e) => finished.set(e.requestId, e.encodedDataLength));
  await page.addInitScript(watchFirst, '.card-item-title, .card-state.empty');
  await page.goto(url, { waitUntil: 'commit', timeout: TIMEOUT });
  await page.waitForFunction(() => window.__milepostFirst !== undefined, null, { timeout: TIMEOUT });
  // Let stragglers (favicon) finish; the event stream never does and is left out.
  await page.waitForTimeout(500);
  const kinds = {};
  const files = [];
  let total = 0;
  for (const [id, response] of responses) {
    if (!finished.has(id)) continue;
    const bytes = finished.get(id);
    const kind = kindOf(response);
    kinds[kind] = (kinds[kind] || 0) + bytes;
    total += bytes;
    files.push({ path: new URL(response.url).pathname + new URL(response.url).search, status: response.status, kind, bytes, encoding: response.encoding });
  }
  await context.close();
  return { total, kinds, files };
}

function kindOf({ url, mime, status }) {
  const pathname = new URL(url).pathname;
  // The browser's own /favicon.ico probe, answered 404: not the app's.
  if (status >= 400) return `other (${status})`;
  if (pathname.endsWith('.wasm')) return 'wasm';
  if (pathname.endsWith('.js')) return 'js';
  if (pathname.endsWith('.css')) return 'css';
  if (mime.includes('json')) return 'json';
  if (mime.includes('html')) return 'html';
  return 'other';
}

async function cardBench(url) {
  const size = await transfer(url);
  const times = [];
  for (let i = 0; i < LOADS; i++) {
    const { ms, context } = await firstVisible(url, '.card-item-title');
    times.push(ms);
    await context.close();
  }
  progress(`card ${url}: ${size.total} bytes, first milestone median ${stats(times).median} ms`);
  return { url, transfer: size, first_milestone_ms: stats(times) };
}

async function portfolioBench({ url, loads }) {
  const times = [];
  let kept = null;
  for (let i = 0; i < loads; i++) {
    const run = await firstVisible(url, 'table.milestones tbody tr');
    times.push(run.ms);
    progress(`portfolio ${url}: first row after ${round(run.ms)} ms`);
    if (kept) await kept.context.close();
    kept = run;
  }
  const { page, context } = kept;
  // Where the time to the first row goes: the wasm and the roadmap arriving, then rendering.
  const arrived = await page.evaluate(() => {
    const end = (part) => performance.getEntriesByType('resource')
      .filter((e) => e.name.includes(part)).map((e) => e.responseEnd)[0];
    return { wasm_ms: end('.wasm'), roadmap_json_ms: end('/api/roadmap') };
  });
  const rows = await page.locator('table.milestones tbody tr').count();
  const shownBefore = await page.locator('.table-panel .section-head .muted').textContent();
  // Let the initial load finish before typing: wait for a quiet second.
  await page.waitForFunction(() => {
    const tasks = window.__milepostLongTasks;
    const last = tasks.length ? tasks[tasks.length - 1] : { start: 0, duration: 0 };
    return performance.now() - (last.start + last.duration) > 1000;
  }, null, { timeout: TIMEOUT, polling: 200 });
  await page.evaluate(() => {
    window.__milepostTyping = { start: performance.now(), gap: 0 };
    let last = performance.now();
    const frame = (now) => {
      const typing = window.__milepostTyping;
      if (typing.end !== undefined) return;
      typing.gap = Math.max(typing.gap, now - last);
      last = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await page.focus('#f-q');
  const typed = async () => {
    // About 5 keys a second, a quick typist.
    await page.keyboard.type(QUERY, { delay: 200 });
    // Wait until the table shows the filtered count and the page is quiet again.
    await page.waitForFunction((before) => {
      const shown = document.querySelector('.table-panel .section-head .muted')?.textContent;
      const tasks = window.__milepostLongTasks;
      const last = tasks.length ? tasks[tasks.length - 1] : { start: 0, duration: 0 };
      return shown !== before && performance.now() - (last.start + last.duration) > 1000;
    }, shownBefore, { timeout: TIMEOUT, polling: 200 });
    return true;
  };
  const budget = new Promise((resolve) => setTimeout(() => resolve(false), TYPING_BUDGET * 1000));
  // A typing run cut short by the budget fails once its page closes: ignore that.
  const finished = await Promise.race([typed().catch(() => false), budget]);
  if (!finished) {
    progress(`portfolio ${url}: typing did not settle within ${TYPING_BUDGET} s`);
    await context.close().catch(() => {});
    return {
      url, rows_rendered: rows, shown_before: shownBefore, query: QUERY,
      first_row_ms: stats(times),
      last_load_arrived: Object.fromEntries(Object.entries(arrived).map(([k, v]) => [k, round(v)])),
      typing: { finished: false, budget_s: TYPING_BUDGET },
    };
  }
  const typing = await page.evaluate(() => {
    const typing = window.__milepostTyping;
    typing.end = performance.now();
    const tasks = window.__milepostLongTasks.filter((t) => t.start >= typing.start);
    return {
      window_ms: typing.end - typing.start,
      longest_frame_gap_ms: typing.gap,
      long_tasks: tasks.length,
      longest_task_ms: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      over_50ms: tasks.filter((t) => t.duration > 50).length,
    };
  });
  const shownAfter = await page.locator('.table-panel .section-head .muted').textContent();
  await context.close();
  return {
    url,
    rows_rendered: rows,
    shown_before: shownBefore,
    query: QUERY,
    shown_after: shownAfter,
    first_row_ms: stats(times),
    last_load_arrived: Object.fromEntries(Object.entries(arrived).map(([k, v]) => [k, round(v)])),
    typing: { finished: true, ...Object.fromEntries(Object.entries(typing).map(([k, v]) => [k, round(v)])) },
  };
}

const result = { chromium: browser.version(), loads: LOADS, portfolio_loads: PORTFOLIO_LOADS, cards: [], portfolios: [] };
try {
  for (const url of cards) result.cards.push(await cardBench(url));
  for (const portfolio of portfolios) result.portfolios.push(await portfolioBench(portfolio));
} finally {
  await browser.close();
}
console.log(JSON.stringify(result, null, 2));
