// Lifecycle: mount() and destroy() many times, destroy at awkward moments, and what a destroyed widget leaves
// behind (docs/LIFECYCLE.md records the figures).
//
// After destroy(): the host's shadow root is empty, Essaimage.instances() is empty, the widget's window/document
// listeners and timers are gone (the page's addEventListener/setTimeout are instrumented to see the ones the
// widget's scripts create), and history navigation or hash changes neither throw, nor create nodes, nor send
// requests. Memory (JS heap after a forced GC, through the DevTools protocol; the WebAssembly memory, read from the
// wasm-bindgen module's exports; DOM node and event-listener counters) is measured at mounts 10, 50 and 100.
//

import assert from 'node:assert/strict';

import { setupSuite, pageTest, waitForWidget, assertStatus, statusText, DEMO_COUNT, territorySelect } from './helpers.mjs';

const env = setupSuite();
const ALL = statusText(DEMO_COUNT);
const DATASET = '/innovations-demo.json';
const MB = 1024 * 1024;

/**
 * Init script: records the window/document event listeners and the timers (setTimeout, setInterval,
 * requestAnimationFrame) that the widget's own scripts (essaimage.js, essaimage_wasm.js and the wasm they run)
 * create, and drops them when they are removed, cleared or have fired. window.__widgetResources() lists what is
 * still active.
 */
function instrument() {
  const fromWidget = () => /\/essaimage(_wasm)?\.js|essaimage_wasm_bg\.wasm/.test(new Error().stack || '');
  const listeners = new Map(); // key -> description
  const timers = new Map();
  const targetName = (t) => (t === window ? 'window' : t === document ? 'document' : null);
  const keys = new WeakMap();
  const keyOf = (listener) => {
    if (!keys.has(listener)) keys.set(listener, keys.size + Math.random());
    return keys.get(listener);
  };
  const capture = (options) => (typeof options === 'boolean' ? options : !!(options && options.capture));
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    const name = targetName(this);
    if (name && listener && fromWidget()) {
      const once = typeof options === 'object' && options && options.once;
      if (!once) listeners.set(`${name}|${type}|${capture(options)}|${keyOf(listener)}`, `${name} ${type}`);
    }
    return add.call(this, type, listener, options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    const name = targetName(this);
    if (name && listener && typeof listener !== 'string') listeners.delete(`${name}|${type}|${capture(options)}|${keyOf(listener)}`);
    return remove.call(this, type, listener, options);
  };
  for (const [set, clear, kind, repeats] of [
    ['setTimeout', 'clearTimeout', 'timeout', false],
    ['setInterval', 'clearInterval', 'interval', true],
    ['requestAnimationFrame', 'cancelAnimationFrame', 'animation frame', false],
  ]) {
    const original = window[set];
    const originalClear = window[clear];
    window[set] = function (fn, ...rest) {
      if (!fromWidget()) return original.call(window, fn, ...rest);
      let id;
      const wrapped = typeof fn === 'function' ? (...a) => {
        if (!repeats) timers.delete(`${kind}|${id}`);
        return fn(...a);
      } : fn;
      id = original.call(window, wrapped, ...rest);
      timers.set(`${kind}|${id}`, kind);
      return id;
    };
    window[clear] = function (id) {
      timers.delete(`${kind}|${id}`);
      return originalClear.call(window, id);
    };
  }
  window.__widgetResources = () => ({ listeners: [...listeners.values()].sort(), timers: [...timers.values()].sort() });
}

/** Mounts a widget in #widget, waits until it shows its count (or fails with its alert), destroys it. */
async function cycle(page, { dataset = DATASET } = {}) {
  return page.evaluate(async ({ dataset }) => {
    const el = document.getElementById('widget');
    const handle = window.Essaimage.mount(el, { dataset });
    await handle.ready;
    const root = el.shadowRoot;
    await new Promise((resolve, reject) => {
      const check = () => {
        const alert = root.querySelector('[role=alert]');
        if (alert) return reject(new Error(`alert instead of results: ${alert.textContent}`));
        const status = root.querySelector('p.es-status[role=status]');
        if (status && /^\d[\d\u202F]* innovations?$/.test(status.textContent.trim())) return resolve();
        requestAnimationFrame(check);
      };
      check();
    });
    const shown = { status: root.querySelector('p.es-status[role=status]').textContent.trim(), instances: window.Essaimage.instances().length };
    handle.destroy();
    return {
      ...shown,
      nodesAfter: root.childNodes.length,
      instancesAfter: window.Essaimage.instances().length,
      handleOnElement: 'essaimage' in el,
    };
  }, { dataset });
}

/** Memory after a forced garbage collection. */
async function measure(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const inPage = await page.evaluate(async () => {
    // The loader imported the glue from the same URL: this is the same module instance; its default export
    // (wasm-bindgen's init) returns the instance's exports once initialised, memory included.
    const glue = await import(new URL('/essaimage_wasm.js', location.href).href);
    const exports = await glue.default();
    let uaMemory = null;
    if (typeof performance.measureUserAgentSpecificMemory === 'function' && self.crossOriginIsolated) {
      uaMemory = (await performance.measureUserAgentSpecificMemory()).bytes;
    }
    return {
      usedJSHeapSize: performance.memory ? performance.memory.usedJSHeapSize : null,
      wasmMemory: exports.memory.buffer.byteLength,
      uaMemory,
      crossOriginIsolated: self.crossOriginIsolated,
    };
  });
  return { jsHeapUsed: heap.usedSize, ...inPage, nodes: dom.nodes, jsEventListeners: dom.jsEventListeners };
}

const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
const signedKb = (n) => `${n >= 0 ? '+' : ''}${(n / 1024).toFixed(0)} KiB`;

/** Opens mount.html with the demo, waits for it, destroys that first widget: the page is ready for cycles. */
async function readyPage(page, server) {
  await page.addInitScript(instrument);
  await page.goto(server.url + `t/mount.html?dataset=${DATASET}`);
  await waitForWidget(page.locator('#widget'), ALL);
  await page.evaluate(() => window.essaimageHandle.destroy());
  assert.deepEqual(await page.evaluate(() => window.__widgetResources()), { listeners: [], timers: [] }, 'the first widget left something behind');
}

pageTest(env, 'mount and destroy 100 times: nothing left after each destroy, memory flat (figures printed)', { timeout: 300_000 }, async ({ page, context, server, t }) => {
  await readyPage(page, server);
  const cdp = await context.newCDPSession(page);
  const figures = {};
  const started = Date.now();
  for (let i = 1; i <= 100; i++) {
    const r = await cycle(page);
    assert.deepEqual(r, { status: ALL, instances: 1, nodesAfter: 0, instancesAfter: 0, handleOnElement: false }, `mount ${i}`);
    if (i === 1) {
      const left = await page.evaluate(() => window.__widgetResources());
      assert.deepEqual(left, { listeners: [], timers: [] }, 'window/document listeners or timers left by the widget');
    }
    if ([10, 50, 100].includes(i)) figures[i] = await measure(page, cdp);
  }
  const seconds = (Date.now() - started) / 1000;
  assert.deepEqual(await page.evaluate(() => window.__widgetResources()), { listeners: [], timers: [] },
    'window/document listeners or timers left by 100 widgets');

  const lines = [
    `100 mount/destroy cycles of the demo (${DEMO_COUNT} records) in ${seconds.toFixed(1)} s (${(seconds * 10).toFixed(0)} ms per cycle)`,
    'mount | JS heap used (CDP, after GC) | performance.memory.usedJSHeapSize | wasm memory | DOM nodes | JS event listeners',
    ...[10, 50, 100].map((i) => {
      const f = figures[i];
      return `${i} | ${kb(f.jsHeapUsed)} | ${f.usedJSHeapSize === null ? 'n/a' : kb(f.usedJSHeapSize)} | ${kb(f.wasmMemory)} | ${f.nodes} | ${f.jsEventListeners}`;
    }),
    `growth 10 → 100 | ${signedKb(figures[100].jsHeapUsed - figures[10].jsHeapUsed)} | | ${signedKb(figures[100].wasmMemory - figures[10].wasmMemory)} | ${figures[100].nodes - figures[10].nodes} | ${figures[100].jsEventListeners - figures[10].jsEventListeners}`,
    `performance.measureUserAgentSpecificMemory: ${figures[100].uaMemory === null ? `not available (crossOriginIsolated: ${figures[100].crossOriginIsolated})` : kb(figures[100].uaMemory)}`,
  ];
  for (const line of lines) t.diagnostic(line);

  const jsGrowth = figures[100].jsHeapUsed - figures[10].jsHeapUsed;
  const wasmGrowth = figures[100].wasmMemory - figures[10].wasmMemory;
  assert.ok(jsGrowth < 5 * MB, `JS heap grew by ${signedKb(jsGrowth)} between mounts 10 and 100 (bound: 5 MiB)`);
  assert.ok(wasmGrowth < 5 * MB, `wasm memory grew by ${signedKb(wasmGrowth)} between mounts 10 and 100 (bound: 5 MiB)`);
});

pageTest(env, 'a mount/destroy cycle leaves no DOM node, event listener or wasm memory behind', {
  timeout: 120_000,
}, async ({ page, context, server }) => {
  // Yew 0.23 never frees the delegated event listeners an app registers on its host element
  // (yew/src/dom_bundle/subtree_root.rs, HostHandlers::add_listener: cl.forget(), "the registry is never dropped
  // in production"): destroying an app with AppHandle::destroy() left the detached root, 17 listeners and about
  // 11 KiB of wasm memory per cycle. The embed boundary (src/embed.rs, POOL) therefore never destroys an app: it
  // empties it and gives it to the next instance. Expected: flat counters after the warm-up.
  await readyPage(page, server);
  const cdp = await context.newCDPSession(page);
  let at10;
  for (let i = 1; i <= 40; i++) {
    await cycle(page);
    if (i === 10) at10 = await measure(page, cdp);
  }
  const at40 = await measure(page, cdp);
  const growth = {
    nodes: at40.nodes - at10.nodes,
    jsEventListeners: at40.jsEventListeners - at10.jsEventListeners,
    wasmMemoryKiB: Math.round((at40.wasmMemory - at10.wasmMemory) / 1024),
  };
  assert.ok(growth.nodes <= 2 && growth.jsEventListeners <= 2 && growth.wasmMemoryKiB <= 128,
    `growth over 30 cycles: ${JSON.stringify(growth)} (expected at most 2 nodes, 2 listeners, 128 KiB of wasm memory)`);
});

pageTest(env, 'after destroy, back/forward, hash changes, clicks and keys neither throw nor create nodes nor send requests', async ({ page, server, capture }) => {
  await page.addInitScript(instrument);
  await page.goto(server.url + `t/mount.html?dataset=${DATASET}`);
  const host = page.locator('#widget');
  await waitForWidget(host, ALL);
  // Leave history entries of the widget behind: a filter, then a detail.
  await host.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  await page.waitForFunction(() => location.hash.includes('widget.theme=habitat'));
  await host.locator('ol.es-list h4 a').first().click();
  await host.locator('article.es-detail').waitFor();
  await page.waitForFunction(() => location.hash.includes('widget.open='));

  await page.evaluate(() => window.essaimageHandle.destroy());
  assert.equal(await host.evaluate((el) => el.shadowRoot.childNodes.length), 0);
  server.clearRequests();
  capture.requests.length = 0;

  const events = await page.evaluate(async () => {
    const seen = [];
    const next = (type, act) => new Promise((resolve) => {
      window.addEventListener(type, () => {
        seen.push(`${type} ${decodeURIComponent(location.hash)}`);
        resolve();
      }, { once: true });
      act();
    });
    await next('popstate', () => history.back());
    await next('popstate', () => history.back());
    await next('popstate', () => history.forward());
    await next('hashchange', () => {
      location.hash = 'widget.theme=culture&widget.open=x';
    });
    await next('hashchange', () => {
      location.hash = '';
    });
    window.dispatchEvent(new PopStateEvent('popstate', { state: { essaimage: true } }));
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    // Let any reaction scheduled by those events run.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return seen;
  });
  assert.equal(events.length, 5, `history events: ${events}`);
  // Clicks and keys on the (empty) host.
  await host.click({ force: true, position: { x: 5, y: 5 } }).catch(() => {});
  await page.keyboard.press('Escape');
  await page.keyboard.press('0');

  const after = await page.evaluate(() => ({
    nodes: document.getElementById('widget').shadowRoot.childNodes.length,
    instances: window.Essaimage.instances().length,
    resources: window.__widgetResources(),
  }));
  assert.deepEqual(after, { nodes: 0, instances: 0, resources: { listeners: [], timers: [] } });
  // (The browser itself asks for /favicon.ico on history navigations.)
  assert.deepEqual(server.requests.filter((r) => r !== '/favicon.ico'), [], 'requests sent after destroy');
  assert.deepEqual(capture.requests.filter((u) => !u.endsWith('/favicon.ico')), [], 'requests the page made after destroy');
});

pageTest(env, 'destroy() while the dataset is still downloading: nothing appears when it arrives', async ({ page, server, capture }) => {
  await page.addInitScript(instrument);
  const key = `lifecycle-${Date.now()}`;
  await page.goto(server.url + `t/mount.html?${new URLSearchParams({ dataset: `/fault/slow.json?hold=${key}` })}`);
  const host = page.locator('#widget');
  // The server holds the dataset: the widget shows its loading status.
  await host.locator('.es-loading[aria-busy=true]').waitFor();
  // The outlines are requested at once, beside the dataset (read once the dataset's first byte has chosen the build).
  await server.waitForRequest('/data/france-departments.bin');
  assert.ok(server.requests.includes(`/fault/slow.json?hold=${key}`), 'the dataset request reached the server');
  await page.evaluate(() => window.essaimageHandle.destroy());
  assert.equal(await host.evaluate((el) => el.shadowRoot.childNodes.length), 0);
  server.release(key);
  // Wait until the held response has been received by the page, then let the pipeline finish.
  await page.waitForFunction(() => performance.getEntriesByType('resource')
    .some((e) => e.name.includes('/fault/slow.json') && e.responseEnd > 0));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const after = await page.evaluate(() => ({
    nodes: document.getElementById('widget').shadowRoot.childNodes.length,
    instances: window.Essaimage.instances().length,
    resources: window.__widgetResources(),
  }));
  assert.deepEqual(after, { nodes: 0, instances: 0, resources: { listeners: [], timers: [] } });

  assert.deepEqual(capture.pageErrors, []);
});

pageTest(env, 'destroy() while the first records are shown and the file still downloads: the download stops, and the next widget shows its own data', { timeout: 120_000 }, async ({ page, server, capture }) => {
  const key = `lifecycle-partial-${Date.now()}`;
  const big = `/fault/many.json?n=30000&hold=${key}&after=2500`;
  await page.goto(server.url + `t/mount.html?${new URLSearchParams({ dataset: big })}`);
  const host = page.locator('#widget');
  // The server sent 2,500 records and holds the rest: the first 2,000 are shown.
  await host.locator('.es-progress').waitFor({ timeout: 60_000 });
  await assertStatus(host, statusText(2000));
  await page.evaluate(() => window.essaimageHandle.destroy());
  assert.equal(await host.evaluate((el) => el.shadowRoot.childNodes.length), 0);
  // The next widget in the same element (it reuses the destroyed one's Yew app) loads the demo.
  await page.evaluate(() => { window.essaimageHandle = window.Essaimage.mount(document.getElementById('widget'), { dataset: '/innovations-demo.json' }); });
  await assertStatus(host, statusText(DEMO_COUNT));
  // destroy() aborted the download: the server saw the connection close while it held the rest.
  const stream = server.heldStreams.find((x) => x.url === big);
  for (let i = 0; i < 100 && !stream.closedBeforeRelease; i++) await page.waitForTimeout(50);
  assert.equal(stream.closedBeforeRelease, true, 'the held download was aborted');
  server.release(key);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  await assertStatus(host, statusText(DEMO_COUNT));
  assert.equal(await host.locator('.es-progress').count(), 0, 'no banner of the destroyed widget');
  assert.deepEqual(capture.pageErrors, []);
});

pageTest(env, 'handle.ready settles when destroy() comes before the widget has loaded its stylesheet', async ({ page, server }) => {
  // static/essaimage.js: ready = Promise.all([loadModule(base), stylesheetReady(link)]), and stylesheetReady waits
  // for the <link>'s load or error event. destroy() removes that link from the shadow root (shadow.replaceChildren())
  // before it has loaded, so neither event ever fires and `await handle.ready` never returns — a page that mounts
  // and unmounts quickly (a single-page application changing view) hangs on it. Expected: ready resolves with the
  // handle once destroyed (README: « await widget.ready; // chargé (ou boîte d'erreur affichée) »).
  await page.goto(server.url + `t/mount.html?dataset=${DATASET}`);
  await waitForWidget(page.locator('#widget'), ALL);
  await page.evaluate(() => {
    const el = document.createElement('div');
    document.querySelector('main').append(el);
    const handle = window.Essaimage.mount(el, { dataset: '/innovations-demo.json' });
    handle.destroy();
    window.__early = { el, handle, settled: false };
    handle.ready.then((resolved) => {
      window.__early.settled = resolved === handle ? 'resolved with the handle' : 'resolved with something else';
    }, (e) => {
      window.__early.settled = `rejected: ${e}`;
    });
  });
  await page.waitForFunction(() => window.__early.settled, null, { timeout: 10_000 }).catch(() => {});
  const early = await page.evaluate(() => ({
    settled: window.__early.settled,
    nodes: window.__early.el.shadowRoot.childNodes.length,
    instances: window.Essaimage.instances().length,
  }));
  assert.deepEqual(early, { settled: 'resolved with the handle', nodes: 0, instances: 1 });
});

pageTest(env, 'several widgets mounted at once are all destroyed; the survivors keep working', async ({ page, server }) => {
  await page.goto(server.url + `t/mount.html?dataset=${DATASET}`);
  await waitForWidget(page.locator('#widget'), ALL);
  const ids = await page.evaluate(() => {
    const out = [];
    for (let i = 0; i < 5; i++) {
      const el = document.createElement('div');
      el.id = `extra${i}`;
      document.querySelector('main').append(el);
      out.push(window.Essaimage.mount(el, { dataset: i % 2 ? '/f/small.json' : '/innovations-demo.json' }).id);
    }
    return out;
  });
  assert.deepEqual(ids, ['extra0', 'extra1', 'extra2', 'extra3', 'extra4']);
  for (let i = 0; i < 5; i++) {
    await waitForWidget(page.locator(`#extra${i}`));
  }
  assert.equal(await page.evaluate(() => window.Essaimage.instances().length), 6);
  await page.evaluate(() => {
    for (const h of window.Essaimage.instances()) if (h.id.startsWith('extra')) h.destroy();
  });
  const left = await page.evaluate(() => ({
    ids: window.Essaimage.instances().map((h) => h.id),
    nodes: [0, 1, 2, 3, 4].map((i) => document.getElementById(`extra${i}`).shadowRoot.childNodes.length),
  }));
  assert.deepEqual(left, { ids: ['widget'], nodes: [0, 0, 0, 0, 0] });
  // The remaining widget still filters.
  const host = page.locator('#widget');
  await (await territorySelect(host, 'Région')).selectOption('53');
  await page.waitForFunction(() => /sur/.test(document.getElementById('widget').shadowRoot.querySelector('p.es-status[role=status]').textContent));
});
