// Compares builds of the widget on one kind of filter change, alternating between them in one browser, so that
// they share the machine's state (this build machine's speed drifts by a third between runs a few minutes apart).
//
//   node scripts/bench-ab.mjs SIZE KIND DIR[:CSS[:mo]] DIR[:CSS[:mo]] ...
//
// SIZE is a generated dataset of target/bench (1k, 10k, 100k: run `make bench` once); KIND is « Stade »,
// « Thématique » (a box ticked or unticked), « Région » or « Département » (a select focused, then a value or
// « all », alternately); each DIR is a `dist/`-like bundle, optionally with a CSS file injected into the widget's
// shadow root (a diagnosis: hide a part to see its cost; env VIEW names a view to show first), and with `:mo` the MutationObserver that
// scripts/bench.mjs uses to see when the widget is still. Each page gets ROUNDS × PER changes (env, default 6 × 10),
// in blocks that rotate the order of the pages; prints the medians of main-thread time (task, CDP TaskDuration
// minus a no-op's), CPU time and its script / style / layout / other parts. A diagnosis tool, like --profile in
// scripts/bench.mjs: docs/PERFORMANCE.md records the figures of `make bench`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { launchOptions, NO_BACKGROUNDING_ARGS } from './chromium.mjs';
import { MIME, send, serveDir, serveFile } from './serve.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.join(ROOT, 'target', 'bench');
const { chromium } = await import(pathToFileURL(path.join(ROOT, 'tests/e2e/node_modules/playwright-core/index.mjs')).href);
const [size, KIND, ...specs] = process.argv.slice(2);
if (!size || !KIND || !specs.length) {
  console.error('usage: node scripts/bench-ab.mjs SIZE KIND DIR[:CSS] [DIR[:CSS] ...]');
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS || 6);
const PER = Number(process.env.PER || 10);

/** The bundle `site`, the datasets of target/bench under /bench/ and the page /p.html (scripts/serve.mjs). */
function serve(site) {
  return serveDir(site, {
    route(req, res, u) {
      if (u.pathname === '/p.html') {
        send(res, 200, MIME['.html'], `<!doctype html><html lang="fr"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A/B</title></head>
<body><div data-essaimage data-dataset="/bench/innovations-${size}.json" data-max-mb="1000"></div><script type="module" src="/essaimage.js"></script></body></html>`);
      } else if (u.pathname.startsWith('/bench/')) {
        serveFile(res, BENCH, u.pathname.slice('/bench'.length), { method: req.method });
      } else return false;
      return true;
    },
  });
}

const browser = await chromium.launch(launchOptions(NO_BACKGROUNDING_ARGS));
const pages = [];
for (const spec of specs) {
  const [dir, cssFile, flags = ''] = spec.split(':');
  const server = await serve(path.resolve(dir));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`${spec}: ${e}`));
  await page.goto(`${server.url}p.html`);
  await page.waitForFunction(() => performance.getEntriesByName('essaimage:rendered').length > 0, null, { timeout: 300_000 });
  if (cssFile) {
    await page.evaluate((css) => {
      const style = document.createElement('style');
      style.textContent = css;
      document.querySelector('[data-essaimage]').shadowRoot.appendChild(style);
    }, fs.readFileSync(cssFile, 'utf8'));
  }
  if (process.env.VIEW) {
    // VIEW names a view switch (« Synthèse »): the changes are measured with that view shown.
    await page.locator('[data-essaimage] .es-switches button', { hasText: process.env.VIEW }).first().click();
    await page.waitForTimeout(1000);
  }
  if (flags.includes('mo')) {
    // The MutationObserver with which scripts/bench.mjs waits for the widget to settle, to see what it costs.
    await page.evaluate(() => {
      window.__mutations = 0;
      new MutationObserver((records) => { window.__mutations += records.length; })
        .observe(document.querySelector('[data-essaimage]').shadowRoot, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  }
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  pages.push({ spec, page, cdp, server, samples: [], step: 0, overhead: 0 });
}

const read = async (cdp) => {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const get = (name) => metrics.find((m) => m.name === name).value * 1000;
  return { task: get('TaskDuration'), cpu: get('ThreadTime'), script: get('ScriptDuration'), style: get('RecalcStyleDuration'), layout: get('LayoutDuration') };
};
const settle = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))));
const change = (p) => p.page.evaluate(async ([i, kind, settleSrc]) => {
  const settle = new Function(`return (${settleSrc})()`);
  const r = document.querySelector('[data-essaimage]').shadowRoot;
  if (kind === 'Région' || kind === 'Département') {
    const label = [...r.querySelectorAll('label')].find((x) => x.textContent.trim() === kind);
    const el = r.getElementById(label.htmlFor);
    el.focus({ preventScroll: true });
    await settle();
    const values = [...el.options].map((o) => o.value).filter(Boolean);
    el.value = i % 2 ? '' : values[(i * 7) % values.length];
    el.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  } else {
    const set = [...r.querySelectorAll('fieldset')].find((f) => f.querySelector('legend').textContent.startsWith(kind));
    const boxes = [...set.querySelectorAll('input[type=checkbox]')];
    const box = boxes[i % boxes.length];
    box.focus({ preventScroll: true });
    box.click();
  }
  await settle();
}, [p.step++, KIND, settle.toString()]);
const timed = async (p, fn) => {
  const before = await read(p.cdp);
  await fn();
  const after = await read(p.cdp);
  return Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
};
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

for (const p of pages) {
  for (let i = 0; i < 10; i++) await change(p); // warm up
  const noop = [];
  for (let i = 0; i < 10; i++) noop.push((await timed(p, () => p.page.evaluate(`(${settle.toString()})()`))).task);
  p.overhead = quantile(noop, 0.5);
}
for (let round = 0; round < ROUNDS; round++) {
  const order = [...pages.slice(round % pages.length), ...pages.slice(0, round % pages.length)];
  for (const p of order) {
    for (let i = 0; i < PER; i++) {
      const x = await timed(p, () => change(p));
      x.task -= p.overhead;
      x.cpu -= p.overhead;
      x.other = x.task - x.script - x.style - x.layout;
      p.samples.push(x);
    }
  }
}
for (const p of pages) {
  const med = (k) => quantile(p.samples.map((s) => s[k]), 0.5).toFixed(2);
  console.log(`${p.spec}: task ${med('task')} ms (p90 ${quantile(p.samples.map((s) => s.task), 0.9).toFixed(1)}), cpu ${med('cpu')}, ` +
    `script ${med('script')}, style ${med('style')}, layout ${med('layout')}, other ${med('other')} (${p.samples.length} changes)`);
}
await browser.close();
for (const p of pages) p.server.close();
