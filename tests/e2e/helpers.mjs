// Shared plumbing for the end-to-end tests: one browser and one server per test file, a fresh context per test,
// page-error capture, widget-ready waits and axe-core audits.

import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

import { launchOptions } from '../../scripts/chromium.mjs';
import { startServer, DIST } from './server.mjs';

const require = createRequire(import.meta.url);

// Chromium's binary and flags are the project's (scripts/chromium.mjs, shared with the benchmarks and screenshots).
export { CHROMIUM, LAUNCH_ARGS } from '../../scripts/chromium.mjs';

/** Generous but bounded: the machine has two cores and the wasm bundle compiles on first use in each context. */
export const TIMEOUT = 20_000;
export const TEST_TIMEOUT = 60_000;

/** The demo dataset, read from the bundle under test, for expectations computed from the data itself. */
export const DEMO = JSON.parse(fs.readFileSync(path.join(DIST, 'innovations-demo.json'), 'utf8'));
export const DEMO_COUNT = DEMO.innovations.length;

/** Lower-case, accents removed (the widget's search folding, for the characters the demo uses). */
export function fold(s) {
  return String(s ?? '').normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** « 59 innovations », « 1 innovation » (French), "59 innovations" (English), with the total when filtered. */
export function statusText(shown, total = shown, lang = 'fr') {
  const fmt = (n) => {
    const sep = lang === 'fr' ? '\u202F' : ',';
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  };
  const plural = lang === 'fr' ? shown >= 2 : shown !== 1;
  const count = `${fmt(shown)} innovation${plural ? 's' : ''}`;
  if (shown === total) return count;
  return lang === 'fr' ? `${count} sur ${fmt(total)}` : `${count} of ${fmt(total)}`;
}

/**
 * Registers before/after hooks that start the test server and the browser once for the calling file.
 * Returns an object whose `server` and `browser` fields are filled in by the time tests run.
 */
export function setupSuite() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer();
    env.browser = await chromium.launch(launchOptions());
  });
  after(async () => {
    if (env.browser) await env.browser.close();
    if (env.server) await env.server.close();
  });
  return env;
}

const captures = new WeakMap(); // page -> its capture arrays

/**
 * Opens a fresh context and page, with everything a test may want to assert on:
 *   pageErrors (uncaught exceptions), consoleErrors, consoleMessages, requests (URLs the page asked for).
 * Options: viewport, contextOptions.
 */
export async function openPage(env, { viewport = { width: 1280, height: 900 }, contextOptions = {} } = {}) {
  const context = await env.browser.newContext({ viewport, ...contextOptions });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  const capture = { pageErrors: [], consoleErrors: [], consoleMessages: [], requests: [] };
  page.on('pageerror', (e) => capture.pageErrors.push(e));
  page.on('console', (m) => {
    const line = `[${m.type()}] ${m.text()}`;
    capture.consoleMessages.push(line);
    if (m.type() === 'error') capture.consoleErrors.push(m.text());
  });
  page.on('request', (r) => capture.requests.push(r.url()));
  captures.set(page, capture);
  return { context, page, ...capture };
}

/**
 * Declares a test running in its own browser context. `fn` gets ({ page, context, env, server, capture, t }).
 * After `fn`, the test fails on any uncaught page error unless `expectPageErrors` is set, and on any console error
 * unless `allowConsoleErrors` is set (error tests expect the widget to log what went wrong).
 */
export function pageTest(env, name, opts, fn) {
  if (typeof opts === 'function') [opts, fn] = [{}, opts];
  const { expectPageErrors = false, allowConsoleErrors = false, skip, todo, ...pageOpts } = opts;
  test(name, { timeout: opts.timeout || TEST_TIMEOUT, skip, todo }, async (t) => {
    env.server.clearRequests();
    const p = await openPage(env, pageOpts);
    try {
      await fn({ ...p, env, server: env.server, capture: p, t });
      if (!expectPageErrors) {
        assert.deepEqual(p.pageErrors.map((e) => e.stack || String(e)), [], 'uncaught errors in the page');
      }
      if (!allowConsoleErrors) {
        assert.deepEqual(p.consoleErrors, [], 'console errors in the page');
      }
    } catch (e) {
      if (p.consoleMessages.length) {
        t.diagnostic('console of the page (last 30 messages):');
        for (const line of p.consoleMessages.slice(-30)) t.diagnostic(`  ${line}`);
      }
      throw e;
    } finally {
      await p.context.close();
    }
  });
}

/** The widget's live region (the results count once loaded, the loading text before). */
export function statusOf(scope) {
  return scope.locator('p[role=status].es-status');
}

const LOADED = /^\d[\d\u202F,]* innovations?( (sur|of) \d[\d\u202F,]*)?$/;

/**
 * Waits until the widget in `scope` (a page or a host locator) shows its result count, or an alert (then throws
 * with the alert's text). With `expected`, waits for exactly that status text. Returns the status text.
 */
export async function waitForWidget(scope, expected) {
  const loaded = statusOf(scope).filter({ hasText: LOADED });
  const alert = scope.locator('.es-error[role=alert]');
  // The live region is visually hidden (the visible count is the results heading): wait for presence, not visibility.
  await loaded.or(alert).first().waitFor({ state: 'attached', timeout: TIMEOUT });
  if (await alert.count()) {
    throw new Error(`the widget shows an alert instead of results: ${await alert.first().innerText()}`);
  }
  if (expected !== undefined) await assertStatus(scope, expected);
  return (await loaded.first().innerText()).trim();
}

/** Waits until the live region reads exactly `expected`; fails with the last text seen. */
export async function assertStatus(scope, expected) {
  const status = statusOf(scope);
  try {
    await status.filter({ hasText: new RegExp(`^${escapeRegExp(expected)}$`) }).waitFor({ state: 'attached', timeout: TIMEOUT });
  } catch (e) {
    const seen = (await status.count()) ? await status.first().innerText() : '(no status)';
    assert.equal(seen.trim(), expected, 'live region text');
    throw e;
  }
}

/** Waits for the widget in `scope` to show its alert box; returns its text. */
export async function waitForAlert(scope) {
  const alert = scope.locator('.es-error[role=alert]');
  await alert.first().waitFor({ timeout: TIMEOUT });
  return (await alert.first().innerText()).replace(/\s+/g, ' ').trim();
}

export function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Names of the result links in the order shown. */
export async function resultNames(scope) {
  return (await scope.locator('ol.es-list > li.es-item h4 a').allInnerTexts()).map((s) => s.trim());
}

/** The page's URL hash, without '#', as a list of key=value parts. */
export async function hashParts(page) {
  const hash = await page.evaluate(() => location.hash);
  return hash.replace(/^#/, '').split('&').filter(Boolean);
}

/** Waits until the decoded location.hash matches `re`; returns it. Fails with the last hash seen. */
export async function waitForHash(page, re, message = 'URL hash') {
  try {
    await page.waitForFunction(([src, flags]) => new RegExp(src, flags).test(decodeURIComponent(location.hash)),
      [re.source, re.flags], { timeout: TIMEOUT });
  } catch (e) {
    const last = await page.evaluate(() => decodeURIComponent(location.hash));
    assert.fail(`${message}: expected to match ${re}, last seen "${last}"`);
  }
  return page.evaluate(() => decodeURIComponent(location.hash));
}

// ---- axe-core ------------------------------------------------------------------------------------------------

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
/**
 * Rules left out, each for its reason:
 * - `skip-link`: axe looks the target of `href="#…"` up with `document.getElementById`, which never sees the ids of
 *   a shadow root; the widget's skip link is a script action that focuses the results heading (the keyboard tests
 *   of a11y.test.mjs check where the focus lands).
 */
export const AXE_RULES_OFF = { 'skip-link': { enabled: false } };

/**
 * Runs axe-core on the whole document (open shadow roots included) and asserts zero violations, listing them
 * readably otherwise. Injected with page.evaluate, which CSP does not block.
 */
/** From the next navigation on, `window.__cspViolations` lists each securitypolicyviolation event of the page. */
export async function collectCspViolations(page) {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    }, true);
  });
}

/** `off`: more rules left out for this audit (a page's own rules on a document that is not a page, e.g. a frame's). */
export async function assertNoAxeViolations(page, label = 'page', { off = [] } = {}) {
  const capture = captures.get(page);
  const consoleBefore = capture ? capture.consoleErrors.length : 0;
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async ([tags, rules]) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
    return {
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
      })),
      // Proof that the audit reached inside the widget's shadow root (axe targets shadow nodes as nested arrays).
      shadowNodesChecked: r.passes.concat(r.incomplete).some((p) => p.nodes.some((n) => n.target.some(Array.isArray))),
    };
  }, [AXE_TAGS, { ...AXE_RULES_OFF, ...Object.fromEntries(off.map((id) => [id, { enabled: false }])) }]);
  // axe-core itself sets inline styles while it measures (colour contrast), which a strict style-src refuses and
  // logs: those console errors are the audit's, not the widget's.
  if (capture) {
    const added = capture.consoleErrors.splice(consoleBefore);
    capture.consoleErrors.push(...added.filter((e) => !/^Applying inline style violates/.test(e)));
  }
  if (result.violations.length) {
    const text = result.violations
      .map((v) => `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes
        .map((n) => `    at ${JSON.stringify(n.target)}\n      ${n.html}\n      ${(n.summary || '').replace(/\n/g, '\n      ')}`)
        .join('\n')}`)
      .join('\n');
    assert.fail(`axe-core found ${result.violations.length} violation(s) (WCAG 2.1 A/AA, best practices) on ${label}:\n${text}`);
  }
  return result;
}

/** Reads `innerText` of the element focused, looking through shadow roots. */
export async function focusedElement(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return null;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text: (el.innerText || el.textContent || '').trim(),
      className: typeof el.className === 'string' ? el.className : '',
      href: el.getAttribute('href'),
    };
  });
}

// ---- focus ---------------------------------------------------------------------------------------------------

/**
 * Describes the focused element, looking through shadow roots: tag, id, class, text, accessible label, whether it
 * is <body> (or nothing), whether it is inside a shadow root (and the host's id/class), and its focus indicator as
 * computed: outline, box-shadow, or for SVG shapes the focus stroke (`--essaimage-focus`/`--es-focus` colour) on the
 * element or the shapes it groups, or the map's double ring (an `--es-map-ink` stroke with a drop-shadow halo).
 */
export async function focusInfo(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    let host = null;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) {
      host = el;
      el = el.shadowRoot.activeElement;
    }
    if (!el || el === document.body || el === document.documentElement) {
      return { body: true, tag: el ? el.tagName.toLowerCase() : null, indicator: null };
    }
    const cs = getComputedStyle(el);
    const transparent = (c) => !c || c === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(c);
    const parts = [];
    if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !transparent(cs.outlineColor)) {
      parts.push(`outline ${cs.outlineWidth} ${cs.outlineStyle} ${cs.outlineColor}`);
    }
    if (cs.boxShadow && cs.boxShadow !== 'none') parts.push(`box-shadow ${cs.boxShadow}`);
    if (el instanceof SVGElement) {
      // The focus colour, as the browser resolves it.
      const probe = document.createElementNS('http://www.w3.org/2000/svg', 'g');
      probe.style.setProperty('color', 'var(--es-focus)');
      el.append(probe);
      const focus = getComputedStyle(probe).color;
      probe.remove();
      probe.style.setProperty('color', 'var(--es-map-ink)');
      el.append(probe);
      const ink = getComputedStyle(probe).color;
      probe.remove();
      const shapes = [el, ...el.querySelectorAll('path, circle')];
      const stroked = shapes.find((s) => getComputedStyle(s).stroke === focus && parseFloat(getComputedStyle(s).strokeWidth) >= 2);
      if (stroked) parts.push(`stroke ${focus} ${getComputedStyle(stroked).strokeWidth} on <${stroked.tagName}>`);
      // The map's double ring: an ink stroke of 3 px and a light halo (a drop-shadow on the focused node).
      const ring = shapes.find((s) => getComputedStyle(s).stroke === ink && parseFloat(getComputedStyle(s).strokeWidth) >= 3);
      if (!stroked && ring && /drop-shadow/.test(cs.filter)) parts.push(`double ring ${ink} ${getComputedStyle(ring).strokeWidth} on <${ring.tagName}>, ${cs.filter}`);
    }
    const rect = el.getBoundingClientRect();
    return {
      body: false,
      tag: el.tagName.toLowerCase(),
      id: el.id || '',
      className: (el.getAttribute('class') || ''),
      text: (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 120),
      // Map nodes are named by aria-label, a department by its SVG <title>.
      label: el.getAttribute('aria-label') || (el.querySelector(':scope > title') || {}).textContent || '',
      href: el.getAttribute('href'),
      inShadow: el.getRootNode() instanceof ShadowRoot,
      host: host ? { id: host.id, className: typeof host.className === 'string' ? host.className : '' } : null,
      indicator: parts.length ? parts.join('; ') : null,
      visible: rect.width > 0 && rect.height > 0,
    };
  });
}

/**
 * A territory select (« Région », « Département », « Commune »), focused first as a visitor's pointer or keyboard
 * does before choosing: a closed territory select lists only its chosen option (and « all »), and all its options,
 * with their counts, once in use (src/ui/filters.rs).
 */
export async function territorySelect(scope, label) {
  const select = scope.getByLabel(label, { exact: true });
  await select.focus();
  await select.locator('option').nth(1).waitFor({ state: 'attached' });
  return select;
}

/** Asserts that focus is on an element inside a widget's shadow root, shown, with a visible focus indicator. */
export async function assertVisibleFocus(page, label = 'focused element') {
  const f = await focusInfo(page);
  assert.ok(!f.body, `${label}: focus fell to <${f.tag}>`);
  assert.ok(f.inShadow, `${label}: focus left the widget: ${JSON.stringify(f)}`);
  assert.ok(f.visible, `${label}: the focused element is not displayed: ${JSON.stringify(f)}`);
  assert.ok(f.indicator, `${label}: no visible focus indicator (outline, box-shadow or focus stroke) on ${JSON.stringify(f)}`);
  return f;
}

// ---- accessibility tree --------------------------------------------------------------------------------------

/**
 * The page's accessibility tree as Chromium exposes it to screen readers (CDP Accessibility.getFullAXTree,
 * shadow roots included), without ignored nodes. Returns { root, nodes, find(role, name), findAll(role, name),
 * within(node) } where each node is { role, name, level, properties, children, parent } and `order` is its
 * position in reading order (depth first). `name` may be a string (exact) or a RegExp.
 */
export async function axTree(page) {
  const client = await page.context().newCDPSession(page);
  try {
    await client.send('Accessibility.enable');
    const { nodes: raw } = await client.send('Accessibility.getFullAXTree');
    const byId = new Map(raw.map((n) => [n.nodeId, n]));
    const nodes = [];
    const make = (n, parent) => {
      // Ignored nodes are skipped, their children hoisted, as screen readers see them.
      if (n.ignored) return (n.childIds || []).flatMap((id) => (byId.has(id) ? make(byId.get(id), parent) : []));
      const props = Object.fromEntries((n.properties || []).map((p) => [p.name, p.value && p.value.value]));
      const node = {
        role: n.role && n.role.value,
        name: (n.name && n.name.value) || '',
        description: (n.description && n.description.value) || '',
        level: props.level,
        properties: props,
        backendDOMNodeId: n.backendDOMNodeId,
        parent,
        children: [],
        order: nodes.length,
      };
      nodes.push(node);
      node.children = (n.childIds || []).flatMap((id) => (byId.has(id) ? make(byId.get(id), node) : []));
      return [node];
    };
    const rootRaw = raw.find((n) => !n.parentId) || raw[0];
    const [root] = make(rootRaw, null);
    return axApi(root, nodes);
  } finally {
    await client.detach();
  }
}

function axMatches(node, role, name) {
  if (role && node.role !== role) return false;
  if (name === undefined) return true;
  return name instanceof RegExp ? name.test(node.name) : node.name === name;
}

function axApi(root, nodes) {
  return {
    root,
    nodes,
    findAll: (role, name) => nodes.filter((n) => axMatches(n, role, name)),
    find: (role, name) => nodes.find((n) => axMatches(n, role, name)),
    /** The same API restricted to `node`'s subtree. */
    within(node) {
      const sub = [];
      const walk = (n) => {
        sub.push(n);
        n.children.forEach(walk);
      };
      walk(node);
      return axApi(node, sub);
    },
    /** Text outline of the tree (role "name"), for failure messages. */
    dump(node = root, depth = 0, max = 400) {
      const lines = [];
      const walk = (n, d) => {
        if (lines.length >= max) return;
        if (!['StaticText', 'InlineTextBox', 'LineBreak'].includes(n.role)) {
          lines.push(`${'  '.repeat(d)}${n.role}${n.name ? ` "${n.name}"` : ''}`);
        }
        n.children.forEach((c) => walk(c, d + 1));
      };
      walk(node, depth);
      return lines.join('\n');
    },
  };
}

/**
 * Runs in the page: scrolls a map territory into view and gives the window point ([x, y]) nearest its box's centre
 * that no marker or cluster covers (they are drawn over the territories and catch the pointer there), or null.
 * Shared by the Chromium suites and the engines' (which send it to the page as text).
 */
export function reachablePoint(g) {
  g.scrollIntoView({ block: 'center' });
  const root = g.getRootNode();
  const box = g.getBoundingClientRect();
  const steps = [];
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) steps.push([i / 20, j / 20]);
  steps.sort((p, r) => Math.hypot(p[0] - 0.5, p[1] - 0.5) - Math.hypot(r[0] - 0.5, r[1] - 0.5));
  for (const [fx, fy] of steps) {
    const [x, y] = [box.left + fx * box.width, box.top + fy * box.height];
    const hit = root.elementFromPoint(x, y);
    if (hit && g.contains(hit)) return [x, y];
  }
  return null;
}
