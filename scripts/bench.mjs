// Browser benchmark of the widget: `make bench` (which first builds dist/ and generates the datasets).
//
//   node scripts/bench.mjs [--sizes 1k,10k,100k] [--runs 3] [--filters 200] [--seed 4] [--json FILE]
//                          [--dist DIR] [--profile DIR]
//
// --dist benchmarks another bundle than dist/; --profile writes CPU profiles of the search and filter runs to DIR
// and prints the functions with most self time. For wasm function names, profile a bundle built with names kept:
//   ESSAIMAGE_KEEP_NAMES=1 DIST_DIR=target/bench/named scripts/build-dist.sh
//   node scripts/bench.mjs --sizes 100k --runs 1 --dist target/bench/named --profile target/bench/profiles
//
// Needs dist/ (make dist) and target/bench/innovations-{1k,10k,100k}.json (examples/generate.rs). Serves a copy
// of dist/ and the datasets on 127.0.0.1, drives Debian's headless Chromium with playwright-core from
// tests/e2e/node_modules (never downloads a browser) and prints one line per figure on stdout:
//
//   BENCH <name> <value> <unit>
//
// --network LATENCY_MS,KBPS emulates a slower network for the loads (e.g. 100,20000: 100 ms, 20 Mbit/s), whose
// figures then show what the order of the requests costs; interaction figures do not depend on it.
//
// Progress and notes go to stderr. docs/PERFORMANCE.md ("Browser benchmark") explains each figure; in short:
//
// - first_results_<size>: navigation start (performance.timeOrigin) until the first result rows are painted: an
//   init script polls every animation frame for a visible `.es-list li` in the widget's open shadow root, then
//   takes the time in a task posted from that frame (so after its style, layout and paint). Median of --runs
//   cold loads, each in a fresh browser context (no HTTP or wasm cache: the server sends no-store). A large
//   dataset shows its first 2,000 records as soon as they have arrived, while the file downloads and then while the
//   others are read: all_results_<size> is the time until the
//   whole dataset is shown (the product's `essaimage:rendered` mark, then two frames and a task); the memory and
//   interaction figures are taken after it.
//   first_results_<size>_cpu: the renderer main thread's CPU time over the same load (CDP ThreadTime), which
//   does not grow when other processes compete for the cores.
// - load_breakdown_<size>_<step>, for each size: wasm_started (navigation → the `essaimage:start` mark: loader, glue,
//   wasm compiled and instantiated, widget mounted), the product's own `essaimage:<step>` performance.measure()
//   entries (fetch: outlines and dataset from that mark, validate, index, render; median over the runs), NA when
//   absent, paint (the `essaimage:rendered` mark → all results painted); plus figures derived from the resource
//   timing of the dataset request and the marks: boot (navigation → the dataset request starts), fetch_resource
//   (responseEnd − startTime), after_fetch (first results − responseEnd: negative when they come before the end
//   of the download) and indexed_to_paint (all results −
//   the `essaimage:indexed` mark: Yew's render of the whole dataset, style, layout and paint).
// - filter_* / search_keystroke_*: each change is made synchronously in the page (select value + change event,
//   checkbox click(), input value + input event), then the page waits frame by frame until the widget's DOM
//   (MutationObserver on the shadow root) has been still for two frames, because Yew renders in microtasks but
//   yields with setTimeout(0) after 16 ms of work, so a big update spans several tasks and frames.
//   `filter_p50/p95`, `search_keystroke_p95` = main-thread time of the change: CDP Performance.getMetrics
//   TaskDuration (all renderer main-thread tasks: event handlers, Yew, style, layout, paint) read before the
//   event and after the settling, minus the same reading around a no-op change (the settling frames and the CDP
//   calls). The idle wait for vsync is not in it (it would add 0–16.7 ms to every sample whatever the widget
//   does). `*_to_paint_p95` = wall time from the event to the end of the paint of the last frame that changed
//   (includes the vsync waits); `*_cpu_p95` = the same as the main-thread figure but in CPU time (CDP
//   ThreadTime), which does not grow when other processes compete for the two cores; `*_rendering_*` = the
//   main-thread time minus its script part (CDP ScriptDuration): the browser's style, layout, paint and compositing
//   of the change, which a faster script does not remove as long as it makes the same DOM changes. The control is
//   focused as a visitor's click or Tab focuses it; a territory select is focused first, in a step timed on its own
//   (`select_open_p95`: a closed territory select holds only its choice and lists its options once in use), and the
//   change is chosen (which box, which option) outside the timed part.
// - radius_p95_100k: as filter_p95, for « Autour de »: a commune chosen from the field's suggestions (five cities, the
//   field filled outside the timed part) and the « Rayon » select changed six times around each.
// - pan_frame_p95_100k: requestAnimationFrame timestamp deltas while dragging the map with the mouse and zooming
//   with the wheel (trusted input through CDP). 16.7 ms means every frame was on time at 60 Hz.
// - long_tasks_100k: PerformanceObserver('longtask') entries (> 50 ms) during search, filters and pan.
// - memory_100k: after the load and a forced GC (CDP HeapProfiler.collectGarbage), JS heap used
//   (CDP Runtime.getHeapUsage) + the wasm linear memory (memory.buffer.byteLength, read from the wasm-bindgen
//   glue's init function, which returns the already initialised module). MB = 10^6 bytes.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { launchOptions } from './chromium.mjs';
import { MIME, send, serveDir, serveFile } from './serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(ROOT, 'target', 'bench');
const SITE = path.join(BENCH_DIR, 'site');
let DIST = path.join(ROOT, 'dist');
const VIEWPORT = { width: 1280, height: 900 };
const LOAD_TIMEOUT = 300_000;

// ---- arguments ---------------------------------------------------------------------------------------------------

const opts = { sizes: ['1k', '10k', '100k'], runs: 3, filters: 200, seed: 4, json: path.join(BENCH_DIR, 'results.json') };
for (let i = 2; i < process.argv.length; i++) {
  const [k, v] = [process.argv[i], process.argv[i + 1]];
  if (k === '--sizes') opts.sizes = v.split(',');
  else if (k === '--runs') opts.runs = Number(v);
  else if (k === '--filters') opts.filters = Number(v);
  else if (k === '--seed') opts.seed = Number(v);
  else if (k === '--json') opts.json = v;
  else if (k === '--dist') DIST = path.resolve(v);
  else if (k === '--network') opts.network = v.split(',').map(Number); // LATENCY_MS,KBPS: a slower network (CDP)
  else if (k === '--profile') opts.profile = path.resolve(v);
  else if (k === '--page-size') opts.pageSize = Number(v); // the widget's data-page-size (default: the product's)
  else if (k === '--css') opts.css = fs.readFileSync(v, 'utf8'); // diagnosis: extra CSS in the widget's shadow root
  else if (k === '--trace') {
    opts.trace = true; // with --profile: a Chromium trace instead of a CPU profile
    i--;
  }
  else {
    console.error(`bench: unknown argument ${k}`);
    process.exit(2);
  }
  i++;
}
const BIG = opts.sizes.includes('100k') ? '100k' : opts.sizes[opts.sizes.length - 1];

// ---- output ------------------------------------------------------------------------------------------------------

const results = {};
const detail = {}; // raw samples, written to the JSON file only
function figure(name, value, unit) {
  const shown = value == null || Number.isNaN(value) ? 'NA' : Number.isInteger(value) ? String(value) : value.toFixed(1);
  results[name] = { value: shown === 'NA' ? null : Number(shown), unit };
  console.log(`BENCH ${name} ${shown} ${unit}`);
}
const note = (msg) => console.error(`bench: ${msg}`);

function percentile(values, p) {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const median = (values) => percentile(values, 50);

// ---- static figures ----------------------------------------------------------------------------------------------

function staticFigures() {
  // The payload as scripts/size.sh computes it (its exit status 3 = over budget: still a figure to report).
  const size = spawnSync('bash', [path.join(ROOT, 'scripts/size.sh'), SITE], { encoding: 'utf8' });
  const m = /^BENCH payload_gzip (\d+) bytes$/m.exec(size.stdout || '');
  if (!m) note(`scripts/size.sh gave no figure (exit ${size.status}): ${size.stderr}`);
  if (size.status === 3) note('the payload is over its 240 KB budget (245,760 B)');
  figure('payload_gzip', m ? Number(m[1]) : null, 'bytes');
  const gz = spawnSync('gzip', ['-9', '-c', path.join(SITE, 'data/france-departments.bin')], { maxBuffer: 1 << 26 });
  figure('basemap_gzip', gz.status === 0 ? gz.stdout.length : null, 'bytes');
}

// ---- server ------------------------------------------------------------------------------------------------------

/** The host page: the widget embedded as in the README's form (b), on the dataset of the given size. */
function benchPage(size) {
  return `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Essaimage – banc d'essai ${size}</title>
  <!-- A page has an icon, which the browser keeps: without one, Chromium asks the server for /favicon.ico again at
       every history.pushState (a task of about 1 ms per filter change that a real page does not have). -->
  <link rel="icon" href="data:,">
</head>
<body>
  <main>
    <h1>Banc d'essai : ${size} innovations</h1>
    <div data-essaimage data-dataset="/bench/${datasetFile(size)}" data-max-mb="1000"${opts.pageSize ? ` data-page-size="${opts.pageSize}"` : ''}></div>
    <script type="module" src="/essaimage.js"></script>
  </main>
</body>
</html>
`;
}

/** The dataset of a load: `<size>` is the JSON, `<size>_packed` its pack (`essaimage pack`, made by `make bench`). */
function datasetFile(key) {
  return key.endsWith('_packed') ? `innovations-${key.slice(0, -'_packed'.length)}.pack` : `innovations-${key}.json`;
}

/** Serves the copy of dist/ (SITE), /bench/<dataset> from target/bench and /bench-<size>.html, no-store. */
function startServer() {
  return serveDir(SITE, {
    route(req, res, u) {
      const page = /^\/bench-(\w+)\.html$/.exec(u.pathname);
      if (page) send(res, 200, MIME['.html'], benchPage(page[1]));
      else if (u.pathname === '/blank.html') send(res, 200, MIME['.html'], '<!doctype html><title>blank</title>\n');
      else if (u.pathname.startsWith('/bench/')) serveFile(res, BENCH_DIR, u.pathname.slice('/bench'.length), { method: req.method });
      else return false;
      return true;
    },
  });
}

// ---- in-page instrumentation (init script: runs before the page's own scripts) -----------------------------------

function instrument() {
  const B = { detected: null, painted: null, error: null };
  window.__bench = B;
  const host = () => document.querySelector('[data-essaimage]');
  const root = () => host() && host().shadowRoot;
  const nextTask = () => new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(performance.now());
    ch.port2.postMessage(0);
  });
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  const visible = (el) => el.getClientRects().length > 0 && (!el.checkVisibility || el.checkVisibility());
  Object.assign(B, { host, root, nextTask, frame });

  // First results: checked at every frame; the time is taken in a task posted from that frame, which runs after
  // the frame's style, layout and paint.
  const poll = () => {
    const r = root();
    const alert = r && r.querySelector('.es-error[role=alert]');
    if (alert) {
      B.error = alert.textContent;
      return;
    }
    const li = r && r.querySelector('.es-list li');
    if (li && visible(li)) {
      B.detected = performance.now();
      B.firstStatus = (r.querySelector('p[role=status]') || {}).textContent;
      nextTask().then((t) => { B.painted = t; });
      return;
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);

  // One interaction: `act(shadowRoot)` makes the change synchronously (the event's handlers run inside it). Then
  // waits, frame by frame, until the widget's DOM has been still for two frames: Yew renders in microtasks but
  // yields to the browser with setTimeout(0) after 16 ms of work, so a large update may span several tasks and
  // frames. Returns the wall time from the event to the end of the paint of the last frame that showed a change,
  // and the number of frames that showed one. (The main-thread time is measured around this call with CDP.)
  B.measure = async (act) => {
    const r = root();
    let mutations = 0;
    const mo = new MutationObserver((records) => { mutations += records.length; });
    mo.observe(r, { subtree: true, childList: true, attributes: true, characterData: true });
    const t0 = performance.now();
    act(r);
    let seen = 0;
    let quiet = 0;
    let changedFrames = 0;
    let paintedAt = null;
    while (quiet < 2 && performance.now() - t0 < 30_000) {
      await frame();
      const n = mutations; // changes made before this frame, which this frame paints
      const painted = await nextTask(); // after the frame's style, layout, paint
      if (n !== seen) {
        seen = n;
        quiet = 0;
        changedFrames++;
        paintedAt = painted;
      } else {
        quiet++;
        if (paintedAt === null) paintedAt = painted;
      }
    }
    mo.disconnect();
    return { wall: paintedAt - t0, frames: changedFrames, mutations };
  };

  // ---- the actions of the interaction run, chosen in the page from what it shows --------------------------------

  const label = (r, text) => {
    const l = [...r.querySelectorAll('label')].find((x) => x.textContent.trim() === text);
    return l ? r.getElementById(l.htmlFor) : null;
  };
  const boxes = (r, legend) => {
    const fs = [...r.querySelectorAll('fieldset')].find((f) => f.querySelector('legend').textContent.startsWith(legend));
    return [...fs.querySelectorAll('input[type=checkbox]')];
  };
  const choose = (el, value) => {
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    el.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  };
  const clearButton = (r) => r.querySelector('.es-chips .es-button-secondary');

  B.typeAct = (ch) => (r) => {
    const el = label(r, 'Rechercher');
    el.focus({ preventScroll: true });
    el.value += ch;
    el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: ch }));
  };
  B.clearSearchAct = () => (r) => {
    const el = label(r, 'Rechercher');
    el.value = '';
    el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'deleteContentBackward' }));
  };
  B.clearAllAct = () => (r) => {
    const b = clearButton(r);
    if (b) {
      b.focus({ preventScroll: true });
      b.click();
    }
  };
  B.noopAct = () => () => {};

  let s = 0;
  const rand = () => { // mulberry32
    s = (s + 0x6D2B79F5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (list) => list[Math.floor(rand() * list.length)];
  B.seedFilters = (seed) => { s = seed >>> 0; };

  // One random filter change: Région (22 %), Département (20 %), Commune when shown (6 %), a theme (26 %) or a
  // stage (22 %) checkbox, « Tout effacer » (4 %, when filters are set). Changes accumulate into combinations; at
  // most three boxes are ticked per facet (a fourth tick unticks one), so results stay varied.
  B.filterAct = () => {
    const r = root();
    const x = rand();
    const commune = label(r, 'Commune');
    if (x < 0.04 && clearButton(r)) return { kind: 'clear', act: B.clearAllAct() };
    // A territory select is first pressed (or reached with Tab): `open`, timed on its own, lists its options (a
    // closed one holds only its choice); `act` then chooses among them.
    const select = (name, all) => ({
      open: (root) => label(root, name).focus({ preventScroll: true }),
      act: (root) => {
        const el = label(root, name);
        const values = [...el.options].map((o) => o.value).filter((v) => all || v);
        choose(el, !all && rand() < 0.15 ? '' : pick(values));
      },
    });
    if (x < 0.26) return { kind: 'region', ...select('Région', false) };
    if (x < 0.46) return { kind: 'department', ...select('Département', false) };
    if (x < 0.52 && commune) return { kind: 'commune', ...select('Commune', true) };
    const kind = x < 0.78 ? 'theme' : 'stage';
    const legend = kind === 'theme' ? 'Thématique' : 'Stade';
    const all = boxes(r, legend);
    const checked = all.map((b, j) => (b.checked ? j : -1)).filter((j) => j >= 0);
    const j = checked.length >= 3 ? pick(checked) : Math.floor(rand() * all.length);
    // A click focuses the box (and takes focus away from a select, which then closes its list); without scrolling,
    // as a click lands on a box the visitor sees.
    return { kind, act: (root) => { const b = boxes(root, legend)[j]; b.focus({ preventScroll: true }); b.click(); } };
  };

  // « Autour de »: a place typed in the field (not timed; the commune table is fetched at the first focus), then its
  // suggestion chosen (`aroundAct`, timed: the first radius around it) and the « Rayon » select changed (`radiusAct`).
  B.typePlace = (text) => {
    const el = label(root(), 'Commune ou code postal');
    el.focus({ preventScroll: true });
    el.value = text;
    el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertText', data: text }));
  };
  B.suggested = () => !!root().querySelector('fieldset .es-suggestions button');
  B.aroundAct = () => (r) => {
    const b = [...r.querySelectorAll('fieldset')].find((f) => f.querySelector('legend').textContent === 'Autour de')
      .querySelector('.es-suggestions button');
    b.focus({ preventScroll: true });
    b.click();
  };
  B.radiusAct = () => {
    const el = label(root(), 'Rayon');
    const value = pick([...el.options].map((o) => o.value).filter((v) => v !== el.value));
    return { kind: 'radius', act: (r) => { const sel = label(r, 'Rayon'); sel.focus({ preventScroll: true }); choose(sel, value); } };
  };

  // ---- long tasks and frames, switched on for the interaction run ------------------------------------------------

  B.longTasks = [];
  B.observeLongTasks = () => {
    B.longTaskObserver = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longTasks.push({ start: e.startTime, duration: e.duration });
    });
    B.longTaskObserver.observe({ type: 'longtask' });
  };
  B.frames = { deltas: [], running: false };
  B.startFrames = () => {
    const f = B.frames;
    f.running = true;
    let last = null;
    const tick = (ts) => {
      if (!f.running) return;
      if (last !== null) f.deltas.push(ts - last);
      last = ts;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  B.stopFrames = () => {
    B.frames.running = false;
    return B.frames.deltas;
  };
}

// ---- one load ----------------------------------------------------------------------------------------------------

/** CPU time of the renderer's main thread so far, ms (CDP Performance.getMetrics ThreadTime). */
async function threadTime(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'ThreadTime').value * 1000;
}

const profiledLoads = new Set();

async function load(browser, server, size) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // Same-origin blank page first, so that the CDP metrics below are those of the renderer that loads the widget.
  await page.goto(`${server.origin}/blank.html`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (opts.network) {
    // Every request of the page waits the latency and shares the bandwidth, as on a real connection (the loopback
    // server alone answers at once, which hides what starting requests earlier saves).
    const [latency, kbps] = opts.network;
    const bytes = (kbps * 1000) / 8;
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions',
      { offline: false, latency, downloadThroughput: bytes, uploadThroughput: bytes });
  }
  const cpu0 = await threadTime(cdp);
  // With --profile, the first load of each size is profiled (load-<size>.cpuprofile), or traced with --trace.
  const first = opts.profile && !profiledLoads.has(size);
  if (first) profiledLoads.add(size);
  const profiling = first && !opts.trace;
  const stopTrace = first && opts.trace ? await startTrace(`load-${size}`, browser, page) : null;
  if (profiling) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  await page.goto(`${server.origin}/bench-${size}.html`, { waitUntil: 'commit' });
  try {
    await page.waitForFunction(() => window.__bench && (window.__bench.painted !== null || window.__bench.error !== null),
      null, { timeout: LOAD_TIMEOUT, polling: 100 });
  } catch (e) {
    await context.close();
    throw new Error(`${size}: no result rows after ${LOAD_TIMEOUT / 1000} s (${errors.join(' | ') || e.message})`);
  }
  const cpu = (await threadTime(cdp)) - cpu0;
  // A large dataset shows its first records while the others are read: wait for the whole dataset (the
  // product's `essaimage:rendered` mark comes with the last render), then for that render to be painted.
  let complete = null;
  try {
    await page.waitForFunction(() => performance.getEntriesByName('essaimage:rendered').length > 0 ||
      (window.__bench && window.__bench.error !== null), null, { timeout: LOAD_TIMEOUT, polling: 50 });
    complete = await page.evaluate(() => new Promise((resolve) => {
      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))));
    }));
  } catch (e) {
    errors.push(`not complete after ${LOAD_TIMEOUT / 1000} s`);
  }
  const cpuAll = (await threadTime(cdp)) - cpu0;
  if (profiling) writeProfile(`load-${size}`, (await cdp.send('Profiler.stop')).profile);
  if (stopTrace) await stopTrace();
  const data = await page.evaluate((name) => {
    const B = window.__bench;
    const res = performance.getEntriesByType('resource').find((e) => e.name.endsWith(name));
    const steps = {};
    for (const step of ['fetch', 'validate', 'index', 'render']) {
      const entry = performance.getEntriesByName(`essaimage:${step}`).find((e) => e.entryType === 'measure');
      steps[step] = entry ? entry.duration : null;
    }
    const at = (name) => {
      const e = performance.getEntriesByName(name).find((x) => x.entryType === 'mark');
      return e ? e.startTime : null;
    };
    const indexed = performance.getEntriesByName('essaimage:indexed').find((e) => e.entryType === 'mark');
    return {
      error: B.error,
      detected: B.detected,
      painted: B.painted,
      resource: res ? { start: res.startTime, end: res.responseEnd, bytes: res.decodedBodySize } : null,
      steps,
      indexed: indexed ? indexed.startTime : null,
      // The wasm module running (the pipeline's first mark), and the last render's end.
      started: at('essaimage:start'),
      rendered: at('essaimage:rendered'),
      status: (B.root().querySelector('p[role=status]') || {}).textContent,
      firstStatus: B.firstStatus,
    };
  }, `/bench/${datasetFile(size)}`);
  if (data.error) {
    await context.close();
    throw new Error(`${size}: the widget shows an alert: ${data.error}`);
  }
  data.cpu = cpu;
  data.complete = complete;
  data.cpuAll = cpuAll;
  return { context, page, cdp, data, errors };
}

// ---- the interaction run on the big dataset ---------------------------------------------------------------------

async function memory(cdp, page) {
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  await cdp.send('HeapProfiler.disable');
  // The build the page loaded: the JSON build's glue, or the packed build's.
  const glueUrl = (await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)))
    .some((n) => n.endsWith('/essaimage_packed_bg.wasm')) ? '/essaimage_packed.js' : '/essaimage_wasm.js';
  const wasm = await page.evaluate(async (url) => {
    try {
      const glue = await import(url);
      const exports = await glue.default(); // already initialised by the loader: returns the module's exports
      return exports && exports.memory ? exports.memory.buffer.byteLength : null;
    } catch (e) {
      return null;
    }
  }, glueUrl);
  const dom = await cdp.send('Memory.getDOMCounters').catch(() => null);
  return { jsHeap: heap.usedSize, wasm, nodes: dom && dom.nodes };
}

/**
 * Times interactions. `busy` is the renderer main thread's work (CDP Performance.getMetrics TaskDuration: every
 * task — script, style, layout, paint — between just before the event and the end of B.measure's settling),
 * minus the same measurement made around a no-op (`calibrate`), so the settling frames and CDP calls are not
 * counted. `wall` is from the event to the paint of the last frame that showed a change.
 */
function timer(page, cdp) {
  let baseline = { busy: 0, cpu: 0, script: 0, style: 0, layout: 0 };
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name) => metrics.find((m) => m.name === name).value * 1000;
    return {
      busy: get('TaskDuration'), cpu: get('ThreadTime'),
      script: get('ScriptDuration'), style: get('RecalcStyleDuration'), layout: get('LayoutDuration'),
    };
  };
  // The change is chosen (B[make]) outside the timed part; a change with an `open` step (a territory select,
  // pressed before choosing) has that step timed on its own, in r.open.
  const timed = async (step) => {
    const before = await read();
    const r = await page.evaluate((step) => window.__bench.measure(window.__bench.pending[step]), step);
    const after = await read();
    for (const k of ['busy', 'cpu', 'script', 'style', 'layout']) r[k] = Math.max(0, after[k] - before[k] - baseline[k]);
    return r;
  };
  const run = async (make, arg) => {
    const { kind, open } = await page.evaluate(([make, arg]) => {
      const B = window.__bench;
      const made = B[make](arg);
      B.pending = typeof made === 'function' ? { kind: make, act: made } : made;
      return { kind: B.pending.kind, open: !!B.pending.open };
    }, [make, arg]);
    const opened = open ? await timed('open') : null;
    const r = await timed('act');
    r.kind = kind;
    if (opened) r.open = opened;
    return r;
  };
  return {
    run,
    async calibrate(n = 15) {
      baseline = { busy: 0, cpu: 0, script: 0, style: 0, layout: 0 };
      const samples = [];
      for (let i = 0; i < n; i++) samples.push(await run('noopAct'));
      for (const k of Object.keys(baseline)) baseline[k] = median(samples.map((x) => x[k]));
      return baseline;
    },
  };
}

const SEARCH_WORDS = ['recyclerie', 'coopérative', 'quartier', 'intergénérationnel', 'Aubervilliers'];

/** Types words letter by letter in « Rechercher », clearing the box between words; one sample per keystroke. */
async function searchRun(t) {
  const samples = [];
  for (const word of SEARCH_WORDS) {
    for (const ch of word) samples.push(await t.run('typeAct', ch));
    await t.run('clearSearchAct');
  }
  return samples;
}

/** `count` random filter changes (B.filterAct), then « Tout effacer » to leave everything shown for the pan run. */
async function filterRun(page, t, count, seed) {
  await page.evaluate((seed) => window.__bench.seedFilters(seed), seed);
  const samples = [];
  for (let i = 0; i < count; i++) samples.push(await t.run('filterAct'));
  await t.run('clearAllAct');
  return samples;
}

/**
 * « Autour de » five cities, each chosen from the field's suggestion and then given `changes` other radii; one sample
 * per choice and per radius (the filter over every record, its counts, the list nearest first). « Tout effacer »
 * at the end.
 */
async function radiusRun(page, t, changes, seed) {
  await page.evaluate((seed) => window.__bench.seedFilters(seed), seed);
  const samples = [];
  for (const place of ['Paris', 'Lyon', 'Marseille', 'Rennes', '59000']) {
    await page.evaluate((p) => window.__bench.typePlace(p), place);
    await page.waitForFunction(() => window.__bench.suggested(), null, { timeout: LOAD_TIMEOUT });
    samples.push(await t.run('aroundAct'));
    for (let i = 0; i < changes; i++) samples.push(await t.run('radiusAct'));
  }
  await t.run('clearAllAct');
  return samples;
}

/** Drags and wheel zooms on the map with trusted mouse input (CDP); returns requestAnimationFrame deltas. */
async function panRun(page, seed) {
  const viewport = page.locator('[data-essaimage] .es-map-viewport');
  await viewport.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.__bench.frame());
  const box = await viewport.boundingBox();
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const margin = 30;
  // Inside the map and inside the window (the map may be taller than what is scrolled into view).
  const clampX = (x) => Math.min(Math.min(box.x + box.width, VIEWPORT.width) - margin, Math.max(Math.max(box.x, 0) + margin, x));
  const clampY = (y) => Math.min(Math.min(box.y + box.height, VIEWPORT.height) - margin, Math.max(Math.max(box.y, 0) + margin, y));
  const cx = clampX(box.x + box.width / 2);
  const cy = clampY(box.y + box.height / 2);
  const transform = () => page.locator('[data-essaimage] .es-map-svg > g').first().getAttribute('transform');
  const drag = async () => {
    const x0 = clampX(cx + (rand() - 0.5) * box.width * 0.3);
    const y0 = clampY(cy + (rand() - 0.5) * box.height * 0.3);
    const x1 = clampX(x0 + (rand() - 0.5) * box.width * 0.6);
    const y1 = clampY(y0 + (rand() - 0.5) * box.height * 0.6);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x1, y1, { steps: 25 });
    await page.mouse.up();
  };
  // The wheel zooms only once the map is active (clicked or focused), so that it never traps the page's scroll.
  // Activation is a click on a spot of the map that is not a territory, cluster or marker (that would filter).
  let clicks = 0;
  const activate = async () => {
    const spot = await page.evaluate(([x0, y0, x1, y1]) => {
      const r = window.__bench.root();
      for (let y = y0; y <= y1; y += 12) {
        for (let x = x0; x <= x1; x += 12) {
          const el = r.elementFromPoint(x, y);
          if (el && el.closest('.es-map-viewport') && !el.closest('[role=button], a, button, [tabindex]:not(.es-map-viewport)')) {
            return [x, y];
          }
        }
      }
      return null;
    }, [clampX(-Infinity), clampY(-Infinity), clampX(Infinity), clampY(Infinity)]);
    if (spot) {
      clicks++;
      await page.mouse.click(spot[0], spot[1]);
    }
  };
  const viewportActive = () => page.evaluate(() => !!window.__bench.root().querySelector('.es-map-viewport[data-active]'));
  const wheel = async (dy) => {
    await page.mouse.move(clampX(cx + (rand() - 0.5) * box.width * 0.4), clampY(cy + (rand() - 0.5) * box.height * 0.4));
    if (!(await viewportActive())) await activate();
    await page.mouse.wheel(0, dy);
    await page.evaluate(() => window.__bench.frame());
  };
  await page.evaluate(() => window.__bench.startFrames());
  for (let i = 0; i < 6; i++) await drag();
  const beforeZoom = await transform();
  for (let i = 0; i < 8; i++) await wheel(-200); // zoom in, ×1.5 per notch
  const zoomed = await transform();
  note(`map ${box.width.toFixed(0)}×${box.height.toFixed(0)} px at (${box.x.toFixed(0)}, ${box.y.toFixed(0)}), ${clicks} activating click(s); ` +
    `view before the wheel « ${beforeZoom} », after « ${zoomed} »`);
  for (let i = 0; i < 8; i++) await drag();
  for (let i = 0; i < 4; i++) await wheel(-200);
  for (let i = 0; i < 6; i++) await drag();
  for (let i = 0; i < 12; i++) await wheel(200); // back out
  for (let i = 0; i < 4; i++) await drag();
  await page.evaluate(() => window.__bench.frame());
  return page.evaluate(() => window.__bench.stopFrames());
}

// ---- CPU profiles (--profile DIR) ----------------------------------------------------------------------------------

/**
 * Runs `fn` under the CDP sampling profiler when --profile is given: writes DIR/<name>.cpuprofile (open it in
 * Chromium's DevTools, Performance panel) and prints the functions with the most self time. Wasm functions have
 * names only in a bundle built with ESSAIMAGE_KEEP_NAMES=1 (then run with --dist on that bundle).
 */
async function profiled(cdp, name, fn, browser, page) {
  if (!opts.profile) return fn();
  if (opts.trace) return traced(name, fn, browser, page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const out = await fn();
  const { profile } = await cdp.send('Profiler.stop');
  writeProfile(name, profile);
  return out;
}

/** Writes DIR/<name>.cpuprofile and prints the functions with the most self time. */
function writeProfile(name, profile) {
  fs.mkdirSync(opts.profile, { recursive: true });
  fs.writeFileSync(path.join(opts.profile, `${name}.cpuprofile`), JSON.stringify(profile));
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? path.basename(f.url) : ''}`.trim();
    self.set(key, (self.get(key) || 0) + (dt[i] || 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const top = [...self.entries()].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 30);
  note(`profile ${name}: ${total.toFixed(0)} ms sampled, ${(self.get('(idle)') || 0).toFixed(0)} idle; self time:\n` +
    top.map(([k, v]) => `  ${v.toFixed(1).padStart(8)} ms  ${k}`).join('\n'));
}

/** Like `profiled`, with a Chromium trace (style, layout, paint...): DIR/<name>.trace.json and per-event totals. */
async function traced(name, fn, browser, page) {
  const stop = await startTrace(name, browser, page);
  const out = await fn();
  await stop();
  return out;
}

/** Starts a trace written to DIR/<name>.trace.json; the function returned stops it and prints its totals. */
async function startTrace(name, browser, page) {
  fs.mkdirSync(opts.profile, { recursive: true });
  const file = path.join(opts.profile, `${name}.trace.json`);
  await browser.startTracing(page, { path: file, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.stack', 'blink', 'v8.wasm'] });
  return async () => {
    await browser.stopTracing();
    const { traceEvents } = JSON.parse(fs.readFileSync(file, 'utf8'));
    const main = new Set(traceEvents.filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const sums = new Map();
    for (const e of traceEvents) {
      if (e.ph !== 'X' || !main.has(`${e.pid}:${e.tid}`)) continue;
      const s = sums.get(e.name) || { ms: 0, n: 0 };
      s.ms += (e.dur || 0) / 1000;
      s.n++;
      sums.set(e.name, s);
    }
    const top = [...sums.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30);
    note(`trace ${name} (main thread, nested events counted in each): \n` +
      top.map(([k, v]) => `  ${v.ms.toFixed(1).padStart(8)} ms ${String(v.n).padStart(6)}×  ${k}`).join('\n'));
  };
}

// ---- main --------------------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  for (const size of opts.sizes) {
    const file = path.join(BENCH_DIR, datasetFile(size));
    if (!fs.existsSync(file)) {
      note(`missing ${path.relative(ROOT, file)}: run \`make bench\` (or examples/generate.rs) first`);
      process.exit(1);
    }
  }
  if (!fs.existsSync(path.join(DIST, 'essaimage_wasm_bg.wasm'))) {
    note('missing dist/: run `make dist` first');
    process.exit(1);
  }
  // A private copy of the bundle, so that another `make dist` during the run cannot pull files from under it.
  fs.rmSync(SITE, { recursive: true, force: true });
  fs.cpSync(DIST, SITE, { recursive: true });

  note(`${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  staticFigures();

  const { chromium } = await import(pathToFileURL(path.join(ROOT, 'tests/e2e/node_modules/playwright-core/index.mjs')).href);
  const server = await startServer();
  const browser = await chromium.launch(launchOptions());
  note(`Chromium ${browser.version()}, server ${server.origin}`);
  const git = spawnSync('git', ['-C', ROOT, 'describe', '--always', '--dirty', '--abbrev=7'], { encoding: 'utf8' });
  detail.env = {
    commit: process.env.BENCH_COMMIT || (git.status === 0 ? git.stdout.trim() : null),
    chromium: browser.version(),
    cpus: os.cpus().length,
    loadAverageAtStart: os.loadavg(),
  };
  let keep = null; // the last load of the big dataset, reused for memory and interactions
  // Each size's pack too, when `make bench` made it: all_results_<size>_packed and the others.
  // (`--sizes 100k_packed` measures that pack alone.)
  const packed = opts.sizes.filter((s) => !s.endsWith('_packed')).map((s) => `${s}_packed`)
    .filter((k) => !opts.sizes.includes(k) && fs.existsSync(path.join(BENCH_DIR, datasetFile(k))));
  try {
    for (const size of [...opts.sizes, ...packed]) {
      const runs = [];
      for (let run = 0; run < opts.runs; run++) {
        let loaded;
        try {
          loaded = await load(browser, server, size);
        } catch (e) {
          note(String(e.message || e));
          break;
        }
        const d = loaded.data;
        note(`${size} run ${run + 1}: first results ${d.painted.toFixed(0)} ms (rows seen ${d.detected.toFixed(0)} ms, ` +
          `« ${(d.firstStatus || '').trim()} »), all results ${d.complete == null ? '?' : d.complete.toFixed(0)} ms (CPU ${d.cpuAll.toFixed(0)} ms), ` +
          `main-thread CPU ${d.cpu.toFixed(0)} ms), ` +
          `dataset ${d.resource ? `${(d.resource.bytes / 1e6).toFixed(1)} MB fetched ${d.resource.start.toFixed(0)}–${d.resource.end.toFixed(0)} ms` : '?'}, ` +
          `status « ${(d.status || '').trim()} »${loaded.errors.length ? `, console errors: ${loaded.errors.slice(0, 3).join(' | ')}` : ''}`);
        runs.push(d);
        if (size === BIG && run === opts.runs - 1) keep = loaded;
        else await loaded.context.close();
      }
      figure(`first_results_${size}`, runs.length === opts.runs ? median(runs.map((d) => d.painted)) : null, 'ms');
      figure(`first_results_${size}_cpu`, runs.length === opts.runs ? median(runs.map((d) => d.cpu)) : null, 'ms');
      const done = runs.filter((d) => d.complete != null);
      figure(`all_results_${size}`, done.length === opts.runs ? median(done.map((d) => d.complete)) : null, 'ms');
      figure(`all_results_${size}_cpu`, done.length === opts.runs ? median(done.map((d) => d.cpuAll)) : null, 'ms');
      {
        // From navigation to every record counted and painted: boot (loader, glue, wasm until the pipeline
        // starts), fetch (outlines and dataset, from the pipeline's start), validate, index, render, paint.
        const started = runs.filter((d) => d.started != null);
        figure(`load_breakdown_${size}_wasm_started`, started.length ? median(started.map((d) => d.started)) : null, 'ms');
        const painted = runs.filter((d) => d.rendered != null && d.complete != null);
        figure(`load_breakdown_${size}_paint`, painted.length ? median(painted.map((d) => d.complete - d.rendered)) : null, 'ms');
        for (const step of ['fetch', 'validate', 'index', 'render']) {
          const v = runs.map((d) => d.steps[step]).filter((x) => x != null);
          figure(`load_breakdown_${size}_${step}`, v.length ? median(v) : null, 'ms');
        }
        const withRes = runs.filter((d) => d.resource);
        figure(`load_breakdown_${size}_boot`, withRes.length ? median(withRes.map((d) => d.resource.start)) : null, 'ms');
        figure(`load_breakdown_${size}_fetch_resource`,
          withRes.length ? median(withRes.map((d) => d.resource.end - d.resource.start)) : null, 'ms');
        figure(`load_breakdown_${size}_after_fetch`,
          withRes.length ? median(withRes.map((d) => d.painted - d.resource.end)) : null, 'ms');
        const withMark = runs.filter((d) => d.indexed != null && d.complete != null);
        figure(`load_breakdown_${size}_indexed_to_paint`,
          withMark.length ? median(withMark.map((d) => d.complete - d.indexed)) : null, 'ms');
      }
    }

    const names = ['filter_p50', 'filter_p95', 'filter_to_paint_p95', 'radius_p95', 'filter_cpu_p50', 'filter_cpu_p95',
      'filter_rendering_p50', 'filter_rendering_p95', 'search_keystroke_p95', 'search_to_paint_p95',
      'search_keystroke_cpu_p95', 'search_rendering_p95',
      'pan_frame_p95', 'long_tasks', 'memory', 'memory_js_heap', 'memory_wasm'];
    const unit = (n) => (n.startsWith('memory') ? 'MB' : n === 'long_tasks' ? 'count' : 'ms');
    if (!keep) {
      for (const n of names) figure(`${n}_${BIG}`, null, unit(n));
      return;
    }
    const { context, page, cdp } = keep;
    const mem = await memory(cdp, page);
    note(`after load: JS heap ${(mem.jsHeap / 1e6).toFixed(1)} MB, wasm memory ${mem.wasm == null ? '?' : (mem.wasm / 1e6).toFixed(1)} MB, ${mem.nodes} DOM nodes`);

    if (opts.css) {
      await page.evaluate((css) => {
        const style = document.createElement('style');
        style.textContent = css;
        window.__bench.root().appendChild(style);
      }, opts.css);
      note('extra CSS injected (--css): these figures are a diagnosis, not the product\'s');
    }
    const t = timer(page, cdp);
    const base = await t.calibrate();
    note(`measurement overhead (no-op change, subtracted): ${base.busy.toFixed(1)} ms main-thread time, ${base.cpu.toFixed(1)} ms CPU`);
    await page.evaluate(() => window.__bench.observeLongTasks());
    const time0 = Date.now();
    const search = await profiled(cdp, 'search', () => searchRun(t), browser, page);
    note(`search: ${search.length} keystrokes in ${((Date.now() - time0) / 1000).toFixed(1)} s; ` +
      `busy max ${Math.max(...search.map((x) => x.busy)).toFixed(1)} ms, first keystrokes ${search.slice(0, 3).map((x) => x.busy.toFixed(0)).join(', ')} ms`);
    // Long tasks counted by phase, so that each is told where it came from.
    const longSoFar = () => page.evaluate(() => window.__bench.longTasks.length);
    const longBy = {};
    let longMark = await longSoFar();
    const phaseDone = async (name) => {
      const n = await longSoFar();
      longBy[name] = n - longMark;
      longMark = n;
    };
    longBy.search = longMark;
    const time1 = Date.now();
    const filters = await profiled(cdp, 'filters', () => filterRun(page, t, opts.filters, opts.seed), browser, page);
    await phaseDone('filters');
    const radius = await radiusRun(page, t, 6, opts.seed);
    await phaseDone('radius');
    note(`around a place: ${radius.length} changes, p50/p95 ${percentile(radius.map((x) => x.busy), 50).toFixed(1)}/` +
      `${percentile(radius.map((x) => x.busy), 95).toFixed(1)} ms main thread, to paint p95 ` +
      `${percentile(radius.map((x) => x.wall), 95).toFixed(1)} ms`);
    // The same random filter changes with the « Synthèse » view shown (its tables computed and drawn at each one).
    const view = (name) => page.locator('[data-essaimage] .es-switches button', { hasText: name }).first().click();
    await view('Synthèse');
    await page.locator('[data-essaimage] .es-synthesis').waitFor();
    await phaseDone('synthesis shown');
    const synthesis = await profiled(cdp, 'synthesis', () => filterRun(page, t, Math.max(20, Math.round(opts.filters / 4)), opts.seed + 1), browser, page);
    await phaseDone('synthesis filters');
    await view('Liste et carte');
    await page.locator('[data-essaimage] .es-list').waitFor();
    await phaseDone('list and map shown again');
    const kinds = {};
    const cpuKinds = {};
    for (const f of filters) {
      (kinds[f.kind] ||= []).push(f.busy);
      (cpuKinds[f.kind] ||= []).push(f.cpu);
    }
    note(`filters: ${filters.length} changes in ${((Date.now() - time1) / 1000).toFixed(1)} s; p50/p95 by kind: ${Object.entries(kinds)
      .map(([k, v]) => `${k} ${percentile(v, 50).toFixed(0)}/${percentile(v, 95).toFixed(0)} ms (${v.length})`).join(', ')}; ` +
      `${filters.filter((f) => f.frames > 1).length} updates painted over more than one frame; CPU p50/p95 by kind: ` +
      Object.entries(cpuKinds).map(([k, v]) => `${k} ${percentile(v, 50).toFixed(0)}/${percentile(v, 95).toFixed(0)}`).join(', '));
    const synKinds = {};
    for (const f of synthesis) (synKinds[f.kind] ||= []).push(f.wall);
    note(`synthesis shown: ${synthesis.length} changes; event to paint p50/p95 by kind: ${Object.entries(synKinds)
      .map(([k, v]) => `${k} ${percentile(v, 50).toFixed(0)}/${percentile(v, 95).toFixed(0)} ms (${v.length})`).join(', ')}`);
    const parts = ['script', 'style', 'layout'];
    const breakdown = (samples) => parts.map((k) => `${k} ${median(samples.map((x) => x[k])).toFixed(1)}`).join(', ') +
      `, other ${median(samples.map((x) => x.busy - parts.reduce((a, k) => a + x[k], 0))).toFixed(1)} ms`;
    note(`main-thread time by phase (medians, CDP metrics): filter change: ${breakdown(filters)}; keystroke: ${breakdown(search)}`);
    const time2 = Date.now();
    const before = (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    const deltas = await panRun(page, opts.seed);
    const after = (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    const panSeconds = (Date.now() - time2) / 1000;
    note(`pan: ${deltas.length} frames in ${panSeconds.toFixed(1)} s, main thread busy ${(100 * (after - before) / panSeconds).toFixed(0)} %; ` +
      `frames over 17 ms: ${deltas.filter((d) => d > 17).length}, longest ${Math.max(...deltas).toFixed(1)} ms`);
    const longTasks = await page.evaluate(() => {
      const B = window.__bench;
      B.longTaskObserver.disconnect();
      return B.longTasks;
    });
    if (longTasks.length) {
      longBy.pan = longTasks.length - longMark;
      note(`long tasks: ${longTasks.length}, longest ${Math.max(...longTasks.map((x) => x.duration)).toFixed(0)} ms, ` +
        `total ${longTasks.reduce((a, x) => a + x.duration, 0).toFixed(0)} ms; by phase: ` +
        Object.entries(longBy).map(([k, v]) => `${k} ${v}`).join(', '));
    }
    figure(`filter_p50_${BIG}`, percentile(filters.map((f) => f.busy), 50), 'ms');
    figure(`filter_p95_${BIG}`, percentile(filters.map((f) => f.busy), 95), 'ms');
    figure(`filter_to_paint_p95_${BIG}`, percentile(filters.map((f) => f.wall), 95), 'ms');
    // « Autour de »: main-thread time of a place chosen or a radius changed (as filter_p95).
    figure(`radius_p95_${BIG}`, percentile(radius.map((f) => f.busy), 95), 'ms');
    // Event to painted update of a filter change with the synthesis shown (as filter_to_paint).
    figure(`synthesis_p95_${BIG}`, percentile(synthesis.map((f) => f.wall), 95), 'ms');
    figure(`filter_cpu_p50_${BIG}`, percentile(filters.map((f) => f.cpu), 50), 'ms');
    figure(`filter_cpu_p95_${BIG}`, percentile(filters.map((f) => f.cpu), 95), 'ms');
    // The browser's own work for each change (style, layout, paint, compositing: all but script), which no
    // faster script can remove as long as the same DOM changes are made.
    figure(`filter_rendering_p50_${BIG}`, percentile(filters.map((f) => Math.max(0, f.busy - f.script)), 50), 'ms');
    figure(`filter_rendering_p95_${BIG}`, percentile(filters.map((f) => Math.max(0, f.busy - f.script)), 95), 'ms');
    const opens = filters.filter((f) => f.open).map((f) => f.open.busy);
    note(`territory selects pressed before a choice (listing their options): ${opens.length}, p50/p95/max ` +
      `${percentile(opens, 50)?.toFixed(1)}/${percentile(opens, 95)?.toFixed(1)}/${Math.max(...opens).toFixed(1)} ms`);
    figure(`select_open_p95_${BIG}`, percentile(opens, 95), 'ms');
    figure(`search_keystroke_p95_${BIG}`, percentile(search.map((x) => x.busy), 95), 'ms');
    figure(`search_keystroke_cpu_p95_${BIG}`, percentile(search.map((x) => x.cpu), 95), 'ms');
    figure(`search_to_paint_p95_${BIG}`, percentile(search.map((x) => x.wall), 95), 'ms');
    figure(`search_rendering_p95_${BIG}`, percentile(search.map((x) => Math.max(0, x.busy - x.script)), 95), 'ms');
    figure(`pan_frame_p95_${BIG}`, percentile(deltas, 95), 'ms');
    figure(`long_tasks_${BIG}`, longTasks.length, 'count');
    figure(`memory_${BIG}`, mem.wasm == null ? null : (mem.jsHeap + mem.wasm) / 1e6, 'MB');
    figure(`memory_js_heap_${BIG}`, mem.jsHeap / 1e6, 'MB');
    figure(`memory_wasm_${BIG}`, mem.wasm == null ? null : mem.wasm / 1e6, 'MB');
    detail.samples = { search, filters, radius, synthesis, panFrames: deltas, longTasks };
    await context.close();
  } finally {
    await browser.close();
    await server.close();
    note(`done in ${((Date.now() - started) / 1000).toFixed(0)} s, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (detail.env) detail.env.loadAverageAtEnd = os.loadavg();
    fs.mkdirSync(path.dirname(opts.json), { recursive: true });
    fs.writeFileSync(opts.json, JSON.stringify({ date: new Date().toISOString(), options: opts, results, ...detail }, null, 2) + '\n');
  }
}

main().catch((e) => {
  console.error(`bench: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
