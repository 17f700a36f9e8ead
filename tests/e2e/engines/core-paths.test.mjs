// The core paths of the widget in the engine named by ESSAIMAGE_ENGINE (firefox: Firefox ESR, the browser of French
// administrations; webkit: WebKitGTK, the engine of Safari and of every iPhone browser). The whole suite runs in
// Chromium (../*.test.mjs); this file runs, in each other engine, what a visitor of a public site does: the three
// embed forms and two instances, filters with their counts, the search, the detail and back, the map (territories,
// clusters, the keyboard, the wheel), the URL state after a reload, the strict CSP page, the load errors and axe-core.
//
//   ESSAIMAGE_ENGINE=firefox ESSAIMAGE_DIST=/path/to/dist node --test engines/core-paths.test.mjs
//   make test-firefox | make test-webkit
//
// Every test runs in every engine; an engine difference is asserted where it shows, and docs/TESTING.md lists them.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';

import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { engineFromEnv, launch } from './driver.mjs';
import { startServer, DIST, WRITTEN } from '../server.mjs';
import { statusText, fold, DEMO, DEMO_COUNT, AXE_TAGS, AXE_RULES_OFF, reachablePoint } from '../helpers.mjs';
import { INVALID_JSON_LINE, INVALID_JSON_COLUMN } from '../server.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SMALL = JSON.parse(fs.readFileSync(new URL('../fixtures/small.json', import.meta.url), 'utf8'));

const ENGINE = engineFromEnv();
const ALL = statusText(DEMO_COUNT);
const W = 'div.essaimage';
const TEST_TIMEOUT = 90_000;

// The tool (ESSAIMAGE_TOOL, `make test-engines` builds it) packs the demo for the packed-dataset path.
const TOOL = process.env.ESSAIMAGE_TOOL || new URL('../../../target/debug/essaimage', import.meta.url).pathname;

const env = { server: null, browser: null };
before(async () => {
  fs.mkdirSync(WRITTEN, { recursive: true });
  execFileSync(TOOL, ['pack', path.join(DIST, 'innovations-demo.json'), '-o', path.join(WRITTEN, 'demo.pack')]);
  env.server = await startServer();
  env.browser = await launch(ENGINE);
});
after(async () => {
  if (env.browser) await env.browser.close();
  if (env.server) await env.server.close();
});

/**
 * A test in a fresh page of the engine. After `fn`, fails on any uncaught error, console error or CSP violation the
 * page reported, unless `allowConsoleErrors` (the error tests expect the widget to log what went wrong).
 */
function etest(name, opts, fn) {
  if (typeof opts === 'function') [opts, fn] = [{}, opts];
  test(`${name} [${ENGINE}]`, { timeout: opts.timeout || TEST_TIMEOUT }, async (t) => {
    env.server.clearRequests();
    const page = await env.browser.newPage({ viewport: opts.viewport });
    try {
      await fn({ page, server: env.server, t });
      const seen = await page.errors();
      assert.deepEqual(seen.errors, [], 'uncaught errors in the page');
      assert.deepEqual(seen.csp, [], 'CSP violations');
      if (!opts.allowConsoleErrors) assert.deepEqual(seen.consoleErrors, [], 'console errors in the page');
    } finally {
      await page.close();
    }
  });
}

// ---- reading the widget ----------------------------------------------------------------------------------------

const LOADED = /^\d[\d\u202F,]* innovations?( (sur|of) \d[\d\u202F,]*)?$/;

/** In the page: the live region's text and the alert's text of the widget at `host` (a selector, index). */
function widgetState(host, nth) {
  const el = document.querySelectorAll(host)[nth];
  const root = el && el.shadowRoot;
  if (!root) return { status: null, alert: null };
  const status = root.querySelector('p[role=status].es-status');
  const alert = root.querySelector('.es-error[role=alert]');
  return {
    status: status ? status.textContent.trim() : null,
    alert: alert ? alert.textContent.replace(/\s+/g, ' ').trim() : null,
  };
}

/** Waits for the widget's count (or throws with its alert); with `expected`, for exactly that text. */
function waitForWidget(page, host = W, expected, nth = 0) {
  return assertStatus(page, host, expected, nth);
}

/** Waits until the status reads `expected` (or any loaded count without it); returns it. */
async function assertStatus(page, host, expected, nth = 0) {
  const end = Date.now() + 20_000;
  let s;
  for (;;) {
    s = await page.evaluate(widgetState, host, nth);
    if (s.alert) throw new Error(`the widget ${host} shows an alert in ${ENGINE}: ${s.alert}`);
    if (s.status && (expected === undefined ? LOADED.test(s.status) : s.status === expected)) return s.status;
    if (Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(s.status, expected, `live region of ${host} in ${ENGINE}`);
  return s.status;
}

/** Waits for the widget's alert; returns its text. */
async function waitForAlert(page, host) {
  const s = await page.waitFor((h) => {
    const el = document.querySelector(h);
    const a = el && el.shadowRoot && el.shadowRoot.querySelector('.es-error[role=alert]');
    return a ? a.textContent.replace(/\s+/g, ' ').trim() : null;
  }, [host], { message: `an alert in ${host}` });
  return s;
}

/** In the shadow root of `host`: the query object of the driver. */
const q = (host, css, more = {}) => ({ host, css, ...more });

const themeBox = (host, id) => q(host, `input[type=checkbox][id$="-themes-${id}"]`);
const isChecked = (page, query) => page.withElement(query, (el) => el.checked);
const valueOf = (page, query) => page.withElement(query, (el) => el.value);
const hash = (page) => page.evaluate(() => decodeURIComponent(location.hash));

async function waitForHash(page, re) {
  try {
    await page.waitFor((src, flags) => new RegExp(src, flags).test(decodeURIComponent(location.hash)),
      [re.source, re.flags], { message: `hash matching ${re}` });
    return await hash(page);
  } catch {
    assert.fail(`URL hash in ${ENGINE}: expected to match ${re}, last seen « ${await hash(page)} »`);
  }
}

/**
 * A territory select, focused first as a visitor does before choosing: a closed territory select lists only its
 * chosen option (and « all »), and all its options once in use. Returns the options as [{ value, text }].
 */
async function territoryOptions(page, host, label) {
  const select = q(host, 'select.es-select[data-s]', { nth: label === 'Région' ? 0 : 1 });
  await page.focus(select);
  await page.waitFor((h, n) => document.querySelector(h).shadowRoot.querySelectorAll('select.es-select[data-s]')[n].options.length > 1,
    [host, label === 'Région' ? 0 : 1], { message: `the options of ${label}` });
  const options = await page.withElement(select, (el) => [...el.options].map((o) => ({ value: o.value, text: o.textContent.trim() })));
  return { select, options };
}

function countIn(text) {
  const m = /\((\d[\d\u202F]*)\)\s*$/.exec(text.trim());
  assert.ok(m, `no count in « ${text} »`);
  return Number(m[1].replace(/\u202F/g, ''));
}

const transformOf = (page, host = W) => page.evaluate((h) => {
  const g = document.querySelector(h).shadowRoot.querySelector('.es-map-svg > g');
  return g && g.getAttribute('transform');
}, host);

/** Describes the focused element through shadow roots: class, tag, and whether it shows a focus indicator. */
function focusedInPage() {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return { tag: el ? 'body' : null, className: '', indicator: null };
  const cs = getComputedStyle(el);
  const parts = [];
  if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) parts.push(`outline ${cs.outlineWidth} ${cs.outlineStyle} ${cs.outlineColor}`);
  if (cs.boxShadow && cs.boxShadow !== 'none') parts.push(`box-shadow ${cs.boxShadow}`);
  if (el instanceof SVGElement) {
    const shapes = [el, ...el.querySelectorAll('path, circle')];
    const stroked = shapes.find((s) => parseFloat(getComputedStyle(s).strokeWidth) >= 2 && getComputedStyle(s).stroke !== 'none');
    if (stroked) parts.push(`stroke ${getComputedStyle(stroked).stroke} ${getComputedStyle(stroked).strokeWidth}`);
  }
  return {
    tag: el.tagName.toLowerCase(),
    className: el.getAttribute('class') || '',
    text: (el.textContent || '').trim().slice(0, 80),
    inShadow: el.getRootNode() instanceof ShadowRoot,
    indicator: parts.join('; ') || null,
  };
}
const focused = (page) => page.evaluate(focusedInPage);

// ---- the three embed forms, two instances ----------------------------------------------------------------------

etest('form (a): the script tag mounts the widget in an open shadow root, in French', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, 'main > div.essaimage', ALL);
  const info = await page.evaluate(() => {
    const root = document.querySelector('div.essaimage').shadowRoot;
    const region = root && root.querySelector('[role=region]');
    return {
      afterScript: document.querySelector('main script[data-dataset]').nextElementSibling.className,
      open: !!root,
      lang: region && region.getAttribute('lang'),
      label: region && region.getAttribute('aria-label'),
      heading: root.querySelector('h3') && root.querySelector('h3').textContent.trim(),
    };
  });
  assert.deepEqual(info, {
    afterScript: 'essaimage', open: true, lang: 'fr', label: 'Explorateur des innovations sociales', heading: `${ALL} — Page 1 sur ${Math.ceil(DEMO_COUNT / 20)}`,
  });
});

etest('form (b): a data-essaimage element with data-lang="en" shows English texts', async ({ page, server }) => {
  await page.goto(server.url + 't/div-en.html');
  await waitForWidget(page, '#explorer', '65 innovations');
  const text = await page.text(q('#explorer', '.es'));
  for (const fr of ['Thématique', 'Rechercher', 'Trier par', 'Toutes les régions']) {
    assert.ok(!text.includes(fr), `English widget shows the French text « ${fr} »`);
  }
  assert.ok(text.includes('Theme') && text.includes('Housing'), 'English labels and vocabulary');
  assert.equal(await page.evaluate(() => document.getElementById('explorer').essaimage.id), 'explorer');
});

etest("form (c): Essaimage.mount() from the page's module; the page's button calls handle.destroy()", async ({ page, server }) => {
  await page.goto(server.url + 't/mount-api.html');
  await waitForWidget(page, '#carte', ALL);
  assert.equal(await page.evaluate(() => window.Essaimage.instances().length), 1);
  await page.click(q(null, '#destroy'));
  await page.waitFor(() => document.getElementById('carte').shadowRoot.childNodes.length === 0, [],
    { message: 'the widget removed' });
  assert.equal(await page.evaluate(() => window.Essaimage.instances().length), 0);
  // Mounting again on the same element works.
  await page.evaluate(() => {
    window.essaimageHandle = window.Essaimage.mount(document.getElementById('carte'), { dataset: '/f/small.json' });
  });
  await waitForWidget(page, '#carte', statusText(SMALL.innovations.length));
});

etest('two instances on one page are independent, namespace their URL keys and are restored by a reload', async ({ page, server }) => {
  await page.goto(server.url + 't/two.html');
  await waitForWidget(page, 'div.premier', ALL);
  await waitForWidget(page, 'div.second', statusText(SMALL.innovations.length));
  const { select, options } = await territoryOptions(page, 'div.premier', 'Région');
  const bretagne = options.find((o) => /^Bretagne \(/.test(o.text));
  const n = countIn(bretagne.text);
  await page.select(select, bretagne.value);
  await assertStatus(page, 'div.premier', statusText(n, DEMO_COUNT));
  await assertStatus(page, 'div.second', statusText(SMALL.innovations.length));
  await waitForHash(page, /(^#|&)e1\.t=r53(&|$)/);

  await page.click(themeBox('div.second', 'emploi-insertion'));
  await waitForHash(page, /(^#|&)e2\.theme=emploi-insertion(&|$)/);
  await assertStatus(page, 'div.premier', statusText(n, DEMO_COUNT));
  // The WebAssembly module is downloaded once for both instances.
  assert.equal(server.requests.filter((r) => r === '/essaimage_wasm_bg.wasm').length, 1);

  await page.reload();
  await waitForWidget(page, 'div.premier', statusText(n, DEMO_COUNT));
  await assertStatus(page, 'div.second',
    statusText(SMALL.innovations.filter((r) => r.themes.includes('emploi-insertion')).length, SMALL.innovations.length));
  assert.equal(await valueOf(page, q('div.premier', 'select.es-select[data-s]')), '53');
  assert.equal(await isChecked(page, themeBox('div.second', 'emploi-insertion')), true);
  assert.equal(await isChecked(page, themeBox('div.premier', 'emploi-insertion')), false);
});

// ---- filters, search, detail -----------------------------------------------------------------------------------

etest('a theme checkbox filters to the count it announced; its chip removes the filter', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  const label = await page.text(q(W, 'label[for$="-themes-habitat"]'));
  const n = countIn(label);
  assert.equal(n, DEMO.innovations.filter((r) => (r.themes || []).includes('habitat')).length, 'the count matches the data');
  await page.click(themeBox(W, 'habitat'));
  await assertStatus(page, W, statusText(n, DEMO_COUNT));
  assert.equal(await page.evaluate(() => document.querySelector('div.essaimage').shadowRoot.querySelectorAll('.es-item').length), n);
  const chip = q(W, 'button', { name: 'Retirer le filtre Thématique : Habitat et logement' });
  await page.click(chip);
  await assertStatus(page, W, ALL);
  await page.waitForGone(chip);
  assert.equal(await isChecked(page, themeBox(W, 'habitat')), false);
});

etest('choosing « Bretagne » in the region select gives the count its option announced', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  const { select, options } = await territoryOptions(page, W, 'Région');
  const bretagne = options.find((o) => /^Bretagne \(/.test(o.text));
  const n = countIn(bretagne.text);
  await page.select(select, bretagne.value);
  await assertStatus(page, W, statusText(n, DEMO_COUNT));
  const deps = (await territoryOptions(page, W, 'Département')).options.slice(1).map((o) => o.text.split(' ')[0]);
  assert.deepEqual(deps.sort(), ['22', '29', '35', '56']);
  await page.waitForElement(q(W, 'button', { name: 'Retirer le filtre Territoire : Bretagne' }));
});

etest('the search, typed on the keyboard, ignores accents and case', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  const haystack = (r) => [r.name, r.summary, r.origin && r.origin.commune, ...(r.replicas || []).map((p) => p.commune)].join(' ');
  const expected = DEMO.innovations.filter((r) => fold(haystack(r)).includes('economie'));
  assert.ok(expected.length > 0);
  const search = q(W, 'input[type=search]');
  await page.fill(search, 'economie');
  await assertStatus(page, W, statusText(expected.length, DEMO_COUNT));
  const names = () => page.evaluate(() => [...document.querySelector('div.essaimage').shadowRoot
    .querySelectorAll('ol.es-list > li.es-item h4 a')].map((a) => a.textContent.trim()));
  assert.deepEqual((await names()).sort(), expected.map((r) => r.name).sort());
  await page.fill(search, 'ÉCONOMIE');
  await assertStatus(page, W, statusText(expected.length, DEMO_COUNT));
  await page.fill(search, 'xylophoneinexistant');
  await assertStatus(page, W, statusText(0, DEMO_COUNT));
  await page.click(q(W, '.es-chips > button', { name: 'Tout effacer' }));
  await assertStatus(page, W, ALL);
});

etest('a result opens its detail in place; « Retour à la liste » and the history go back', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  const link = q(W, '.es-item h4 a', { nth: 2 });
  const name = await page.text(link);
  await page.click(link);
  await page.waitForElement(q(W, '.es-detail h3.es-detail-title', { name }));
  const id = DEMO.innovations.find((r) => r.name === name).id;
  await waitForHash(page, new RegExp(`^#e1\\.open=${id}$`));
  assert.equal((await focused(page)).className.includes('es-detail-title'), true, 'focus moves to the detail title');
  await page.click(q(W, 'button', { name: 'Retour à la liste' }));
  await page.waitForGone(q(W, '.es-detail'));
  await waitForHash(page, /^$/);
  // Open it again, then the browser's Back closes it (once the entry is written: the hash follows the render).
  await page.click(link);
  await page.waitForElement(q(W, '.es-detail h3.es-detail-title', { name }));
  await waitForHash(page, new RegExp(`^#e1\\.open=${id}$`));
  await page.back();
  await page.waitForGone(q(W, '.es-detail'));
  await waitForHash(page, /^$/);
  assert.equal(await page.evaluate(() => new URL(location.href).pathname), '/t/script-tag.html', 'still on the page');
});

// ---- the map ---------------------------------------------------------------------------------------------------

etest('the map: « Bretagne » by pointer gives the count of the region select, and frames its departments', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  const { options } = await territoryOptions(page, W, 'Région');
  const n = countIn(options.find((o) => /^Bretagne \(/.test(o.text)).text);
  // Where the pointer reaches the region (not under a marker or a cluster).
  const region = q(W, '.es-map-svg [role=button]', { name: `Bretagne : ${n} innovation${n > 1 ? 's' : ''}` });
  const at = await page.withElement(region, reachablePoint);
  assert.ok(at, 'some part of the region is not under a marker');
  await page.clickPoint(at[0], at[1]);
  await assertStatus(page, W, statusText(n, DEMO_COUNT));
  assert.equal(await valueOf(page, q(W, 'select.es-select[data-s]')), '53');
  assert.notEqual(await transformOf(page), 'translate(0 0) scale(1)');
  await page.waitForElement(q(W, '.es-map-svg [role=button]', { name: /^Ille-et-Vilaine : \d+ innovations?$/ }));
});

etest('the map: every located result is in a cluster or a marker; a cluster zooms in', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  const onMap = () => page.evaluate(() => {
    const root = document.querySelector('div.essaimage').shadowRoot;
    const clusters = [...root.querySelectorAll('.es-cluster text')].map((t) => Number(t.textContent.replace(/\D/g, '')));
    return clusters.reduce((s, n) => s + n, 0) + root.querySelectorAll('.es-marker').length;
  });
  assert.equal(await onMap(), DEMO_COUNT);
  await page.click(q(W, '[role=button]', { name: /innovations autour de .+ : zoomer$/ }));
  await page.waitFor(() => document.querySelector('div.essaimage').shadowRoot.querySelector('.es-map-svg > g')
    .getAttribute('transform') !== 'translate(0 0) scale(1)', [], { message: 'the map zoomed in' });
});

etest('the map by keyboard: zoom and pan keys, Tab to a territory, Enter, Tab to a marker, Enter opens it', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  await page.focus(q(W, '.es-map-viewport'));
  const before = await transformOf(page);
  await page.press('+');
  await page.press('ArrowLeft');
  const after = await transformOf(page);
  assert.notEqual(after, before);
  assert.match(after, /scale\(2\)$/);
  await page.press('0');
  assert.equal(await transformOf(page), 'translate(0 0) scale(1)');
  await page.press('Tab');
  const region = await focused(page);
  assert.match(region.className, /es-region/, `Tab from the map reaches a territory in ${ENGINE}: ${JSON.stringify(region)}`);
  assert.ok(region.indicator, `the focused territory shows a focus indicator in ${ENGINE}: ${JSON.stringify(region)}`);
  await page.press('Enter');
  await assertStatus(page, W, undefined);
  await page.waitFor(() => / sur /.test(document.querySelector('div.essaimage').shadowRoot.querySelector('p.es-status[role=status]').textContent),
    [], { message: 'the territory filtered the results' });
  let cls = '';
  for (let i = 0; i < 60 && !cls.includes('es-marker'); i++) {
    await page.press('Tab');
    cls = (await focused(page)).className;
  }
  assert.match(cls, /es-marker/, 'a marker is reachable with Tab');
  await page.press('Enter');
  await page.waitForElement(q(W, '.es-detail-title'));
  await page.waitFor(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el && el.classList.contains('es-detail-title');
  }, [], { message: 'focus on the detail title' });
});

etest('the map: the wheel scrolls the page until the map is activated, then zooms it', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  const viewport = q(W, '.es-map-viewport');
  await page.wheel(viewport, -300);
  await page.waitForElement(q(W, '.es-map-hint'));
  assert.equal(await transformOf(page), 'translate(0 0) scale(1)', 'no zoom before activation');
  await page.clickAt(viewport, 40, 40);
  await page.wheel(viewport, -300);
  await page.waitFor(() => document.querySelector('div.essaimage').shadowRoot.querySelector('.es-map-svg > g')
    .getAttribute('transform') !== 'translate(0 0) scale(1)', [], { message: 'the wheel zoomed the activated map' });
});

// ---- URL state -------------------------------------------------------------------------------------------------

etest('filters, region and sort are written in the hash and restored by a reload', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  await page.click(themeBox(W, 'habitat'));
  await waitForHash(page, /^#e1\.theme=habitat$/);
  const { select } = await territoryOptions(page, W, 'Région');
  await page.select(select, '53');
  await page.select(q(W, 'select[id$="-sort"]'), 'stage');
  await waitForHash(page, /e1\.sort=stage/);
  const parts = (await hash(page)).replace(/^#/, '').split('&').sort();
  assert.deepEqual(parts, ['e1.sort=stage', 'e1.t=r53', 'e1.theme=habitat']);
  const expected = DEMO.innovations.filter((r) => r.origin.region === '53' && r.themes.includes('habitat')).length;
  await assertStatus(page, W, statusText(expected, DEMO_COUNT));
  await page.reload();
  await waitForWidget(page, W, statusText(expected, DEMO_COUNT));
  assert.equal(await isChecked(page, themeBox(W, 'habitat')), true);
  assert.equal(await valueOf(page, q(W, 'select.es-select[data-s]')), '53');
  assert.equal(await valueOf(page, q(W, 'select[id$="-sort"]')), 'stage');
});

// ---- CSP and load errors ---------------------------------------------------------------------------------------

etest("strict CSP (header, with 'wasm-unsafe-eval'): the widget works without any violation", async ({ page, server }) => {
  const header = (await fetch(server.url + 't/csp-strict.html')).headers.get('content-security-policy');
  assert.match(header, /script-src 'self' 'wasm-unsafe-eval'; style-src 'self'/);
  await page.goto(server.url + 't/csp-strict.html');
  await waitForWidget(page, W, ALL);
  await page.click(themeBox(W, 'habitat'));
  await page.waitForElement(q(W, 'button', { name: /^Retirer le filtre Thématique/ }));
  await page.fill(q(W, 'input[type=search]'), 'logement');
  await page.waitForElement(q(W, 'button', { name: /^Retirer le filtre Rechercher/ }));
  await page.click(q(W, '.es-item a'));
  await page.waitForElement(q(W, '.es-detail h3'));
  await page.click(q(W, 'button', { name: 'Retour à la liste' }));
  await page.waitForGone(q(W, '.es-detail'));
  assert.equal(await page.withElement(q(W, '.es-visually-hidden'), (el) => getComputedStyle(el).position), 'absolute',
    'essaimage.css is applied');
  assert.deepEqual((await page.errors()).csp, [], 'securitypolicyviolation events');
  // Proof that the policy is enforced in this engine: an inline script is refused (then forget that refusal).
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1;';
    document.head.append(s);
    return window.__inline === 1;
  });
  assert.equal(ran, false, 'the inline script was refused');
  await page.waitFor(() => window.__esCapture.csp.length === 1, [], { message: 'the refusal reported' });
  await page.evaluate(() => {
    window.__esCapture.csp.length = 0;
    window.__esCapture.consoleErrors.length = 0;
  });
  // The engine's own report of that refusal (Firefox: a page error naming the policy; WebKit: none over WebDriver).
  const seen = await page.errors();
  for (const list of [seen.errors, seen.consoleErrors]) {
    const kept = list.filter((e) => !/Content.Security.Policy.*inline script/i.test(e));
    list.splice(0, list.length, ...kept);
  }
});

etest('a packed dataset (essaimage pack) shows what its JSON shows, from the build for packs', async ({ page, server }) => {
  const names = () => page.evaluate(() => [...document.querySelector('#widget').shadowRoot
    .querySelectorAll('ol.es-list > li.es-item h4 a')].map((e) => e.textContent.trim()));
  await page.goto(server.url + 't/mount.html?dataset=/innovations-demo.json');
  await waitForWidget(page, '#widget', ALL);
  const fromJson = await names();
  assert.ok(fromJson.length > 0, 'result names are read');
  server.clearRequests();
  await page.goto(server.url + 't/mount.html?dataset=/p/demo.pack');
  await waitForWidget(page, '#widget', ALL);
  assert.deepEqual(await names(), fromJson);
  assert.ok(server.requests.includes('/essaimage_packed_bg.wasm'), server.requests.join(' '));
});

etest('dataset 404: the alert names the HTTP status and the full URL', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + 't/error-404.html');
  const text = await waitForAlert(page, '[data-essaimage]');
  assert.match(text, /Le widget Essaimage ne peut pas s'afficher/);
  assert.match(text, /Le jeu de données est introuvable \(erreur HTTP 404\)/);
  assert.ok(text.includes(`${server.origin}/fault/404.json`), text);
  // The console line. WebKit's capture hook is installed after the page loads (driver.mjs), possibly after the
  // widget logged: the widget is mounted again once the hook is there, and its line waited for.
  await page.evaluate(() => import('/essaimage.js').then((m) => {
    m.mount(document.querySelector('[data-essaimage]'), { dataset: '/fault/404.json' });
  }));
  const logged = (errors) => errors.some((e) => e.includes('Essaimage') && e.includes('404'));
  let { consoleErrors } = await page.errors();
  for (const end = Date.now() + 5_000; !logged(consoleErrors) && Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 50));
    ({ consoleErrors } = await page.errors());
  }
  assert.ok(logged(consoleErrors), `console: ${consoleErrors}`);
});

etest('invalid JSON: the alert gives the line and column of the syntax error', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + 't/mount.html?dataset=/fault/invalid.json');
  const text = await waitForAlert(page, '#widget');
  assert.match(text, /Le jeu de données n'est pas un JSON valide/);
  assert.match(text, new RegExp(`ligne ${INVALID_JSON_LINE}, colonne ${INVALID_JSON_COLUMN}\\b`), text);
});

etest('an HTML page instead of JSON is recognised as such', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + 't/mount.html?dataset=/fault/html.json');
  const text = await waitForAlert(page, '#widget');
  assert.match(text, /page HTML au lieu de JSON/);
  assert.doesNotMatch(text, /ligne \d+, colonne/);
});

// ---- accessibility ---------------------------------------------------------------------------------------------

/** axe-core (the package the Chromium helpers inject) on the whole document, open shadow roots included. */
async function assertNoAxeViolations(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScript(AXE_SOURCE);
  // The same rules as the Chromium suites (helpers.mjs: best practices, `skip-link` off in a shadow root).
  const result = await page.evaluate(async ([tags, rules]) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
    return {
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })) })),
      shadowNodesChecked: r.passes.concat(r.incomplete).some((p) => p.nodes.some((n) => n.target.some(Array.isArray))),
    };
  }, [AXE_TAGS, AXE_RULES_OFF]);
  if (result.violations.length) {
    assert.fail(`axe-core found ${result.violations.length} WCAG 2.1 A/AA violation(s) on ${label} in ${ENGINE}:\n${JSON.stringify(result.violations, null, 2)}`);
  }
  return result;
}

etest('axe-core: no violation in the loaded state (the audit reaches inside the shadow root)', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  const r = await assertNoAxeViolations(page, 'the loaded widget');
  assert.ok(r.shadowNodesChecked, 'axe checked nodes inside the shadow root');
});

etest('keyboard focus on the search field and a theme checkbox is visible', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  await page.click(q(W, 'input[type=search]'));
  const search = await focused(page);
  assert.equal(search.tag, 'input');
  assert.ok(search.indicator, `the focused search field shows a focus indicator in ${ENGINE}: ${JSON.stringify(search)}`);
  // Tab moves on through the filters; every stop shows its focus.
  for (let i = 0; i < 4; i++) {
    await page.press('Tab');
    const f = await focused(page);
    assert.ok(f.inShadow, `Tab ${i + 1} stays in the widget in ${ENGINE}: ${JSON.stringify(f)}`);
    assert.ok(f.indicator, `Tab ${i + 1}: a focus indicator in ${ENGINE}: ${JSON.stringify(f)}`);
  }
});

// ---- the layout by container queries ---------------------------------------------------------------------------

etest('on a phone (375 px) the container queries switch the list and the map; no horizontal scroll', { viewport: { width: 375, height: 800 } }, async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  await waitForWidget(page, W, ALL);
  // WebKitGTK's MiniBrowser window cannot be narrower than its toolbar (447 px of page at least): the page's <main>
  // holds the widget to 375 px too (its host resets every property of its own, `all: initial`), which is what its
  // container queries measure, in every engine alike.
  await page.evaluate(() => {
    const main = document.querySelector('main');
    main.style.cssText = 'box-sizing: border-box; width: 375px; max-width: 100%; margin: 0; padding: 0;';
  });
  const width = await page.evaluate(() => document.querySelector('div.essaimage').shadowRoot.querySelector('.es').getBoundingClientRect().width);
  assert.ok(width <= 375, `the widget is ${width} px wide`);
  const shown = (css) => page.withElement(q(W, css), (el) => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden');
  await page.waitFor(() => {
    const map = document.querySelector('div.essaimage').shadowRoot.querySelector('.es-map');
    return map && map.getClientRects().length === 0;
  }, [], { message: 'the phone layout (the map hidden behind the list)' });
  assert.equal(await shown('.es-map'), false, 'the list is shown first');
  await page.click(q(W, 'button', { name: 'Carte' }));
  await page.waitFor(() => {
    const map = document.querySelector('div.essaimage').shadowRoot.querySelector('.es-map');
    return map && map.getClientRects().length > 0;
  }, [], { message: 'the map shown' });
  assert.equal(await shown('.es-list'), false, 'the list is hidden behind the map');
  assert.equal(await page.withElement(q(W, 'button', { name: 'Carte' }), (el) => el.getAttribute('aria-pressed')), 'true');
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, 'no horizontal scroll');
  assert.equal(await page.evaluate(() => {
    const es = document.querySelector('div.essaimage').shadowRoot.querySelector('.es');
    return es.scrollWidth > es.clientWidth;
  }), false, 'nothing overflows the widget');
});
