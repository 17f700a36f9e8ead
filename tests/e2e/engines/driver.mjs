// The engine-neutral driver of the cross-engine tests (core-paths.test.mjs): the same small set of actions on a
// page, implemented for Firefox ESR (puppeteer-core over WebDriver BiDi) and for WebKitGTK (W3C WebDriver over
// HTTP, ./webdriver.mjs). Elements are found by a query, resolved inside the page, through the widget's open
// shadow root:
//
//   { host: 'div.essaimage', css: 'button', name: /^Retirer le filtre/, nth: 0 }
//
// `host` (optional) is a selector of the page whose shadowRoot is searched (`hostNth` picks among several hosts);
// `css` a selector inside it; `name` (optional, a RegExp) filters on the accessible name as this layer reckons it
// (aria-label, else the text outside aria-hidden parts); `nth` picks one of the matches. Clicks, keys and typing are real input events of
// the engine (pointer and key actions), never synthetic DOM events; only <select> choices go through each
// protocol's own select command (WebDriver's option click, puppeteer's select()), because a native select popup
// is not part of the page and differs per engine.

import puppeteer from 'puppeteer-core';

import { startWebKitDriver, ELEMENT, KEYS } from './webdriver.mjs';

export const ENGINES = ['firefox', 'webkit'];
export const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
export const TIMEOUT = 20_000;

/** The engine named by ESSAIMAGE_ENGINE (firefox or webkit). */
export function engineFromEnv() {
  const name = process.env.ESSAIMAGE_ENGINE || 'firefox';
  if (!ENGINES.includes(name)) throw new Error(`ESSAIMAGE_ENGINE must be one of ${ENGINES.join(', ')}, not « ${name} »`);
  return name;
}

/** A query's RegExp travels to the page as [source, flags]. */
function wire(q) {
  const out = { ...q };
  if (q.name instanceof RegExp) out.name = [q.name.source, q.name.flags];
  else if (typeof q.name === 'string') out.name = [`^${q.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, ''];
  return out;
}

/** Runs in the page: the element a (wired) query designates, or null. Self-contained (it is serialised). */
function resolveQuery(q) {
  let root = document;
  if (q.host) {
    const host = document.querySelectorAll(q.host)[q.hostNth || 0];
    if (!host) return null;
    root = host.shadowRoot || host;
  }
  let found = [...root.querySelectorAll(q.css)];
  if (q.name) {
    const re = new RegExp(q.name[0], q.name[1]);
    // The text without aria-hidden parts (« ← » before « Retour à la liste »), as the accessible name has it.
    const textOf = (n) => (n.nodeType === 3 ? n.data
      : n.nodeType === 1 && n.getAttribute('aria-hidden') === 'true' ? '' : [...n.childNodes].map(textOf).join(''));
    const nameOf = (el) => (el.getAttribute('aria-label') || textOf(el)).replace(/\s+/g, ' ').trim();
    found = found.filter((el) => re.test(nameOf(el)));
  }
  return found[q.nth || 0] || null;
}
const RESOLVE = resolveQuery.toString();

/**
 * Runs in the page: records what the test asserts on besides the console. Uncaught errors, rejected promises,
 * console.error calls and CSP violations. Installed before the page's scripts in Firefox (a preload script), after
 * each navigation in WebKit (WebDriver classic has no init script).
 */
function captureHook() {
  if (window.__esCapture) return;
  const c = { errors: [], consoleErrors: [], csp: [] };
  window.__esCapture = c;
  window.addEventListener('error', (e) => c.errors.push(`${e.message} (${e.filename}:${e.lineno})`));
  window.addEventListener('unhandledrejection', (e) => c.errors.push(`unhandled rejection: ${e.reason && (e.reason.stack || e.reason)}`));
  document.addEventListener('securitypolicyviolation', (e) => {
    c.csp.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
  }, true);
  const error = console.error;
  console.error = function (...args) {
    c.consoleErrors.push(args.map((a) => (a && a.stack) || String(a)).join(' '));
    return error.apply(this, args);
  };
}
const HOOK = `(${captureHook})()`;

/** Shared by both engines: waiting is polling `evaluate`, the same in each. */
class Page {
  constructor(engine) {
    this.engine = engine;
    /** Uncaught errors, console errors and CSP violations seen so far (see errors()). */
    this.seen = { errors: [], consoleErrors: [], csp: [] };
  }

  /** Polls `fn(...args)` in the page until it returns a truthy value, which it returns. */
  async waitFor(fn, args = [], { timeout = TIMEOUT, message } = {}) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await this.evaluate(fn, ...args);
        if (last) return last;
      } catch (e) {
        // A navigation in progress destroys the execution context: try again.
        last = e.message;
      }
      if (Date.now() > end) {
        throw new Error(`${message || 'condition'} not met within ${timeout} ms in ${this.engine} (last: ${JSON.stringify(last)})`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Runs `fn(element, ...args)` in the page with the element the query designates (or null), and returns its
   * result. Sent as one expression (no eval in the page, which a strict CSP would refuse).
   */
  withElement(q, fn, ...args) {
    const call = `(${fn})((${RESOLVE})(${JSON.stringify(wire(q))})${args.map((a) => `, ${JSON.stringify(a)}`).join('')})`;
    return this.evaluateExpression(call);
  }

  /** Waits until the query designates an element; resolves with true. */
  async waitForElement(q, { timeout = TIMEOUT } = {}) {
    const end = Date.now() + timeout;
    for (;;) {
      try {
        if (await this.withElement(q, (el) => !!el)) return true;
      } catch { /* a navigation in progress */ }
      if (Date.now() > end) throw new Error(`no element ${JSON.stringify(wire(q))} within ${timeout} ms in ${this.engine}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits until the query designates no element. */
  async waitForGone(q, { timeout = TIMEOUT } = {}) {
    const end = Date.now() + timeout;
    for (;;) {
      try {
        if (await this.withElement(q, (el) => !el)) return true;
      } catch { /* a navigation in progress */ }
      if (Date.now() > end) throw new Error(`element ${JSON.stringify(wire(q))} still there after ${timeout} ms in ${this.engine}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The normalised text of the element (or null). */
  text(q) {
    return this.withElement(q, (el) => (el ? el.textContent.replace(/\s+/g, ' ').trim() : null));
  }

  /** Focuses the element as a script does (no pointer event). */
  async focus(q) {
    await this.waitForElement(q);
    await this.withElement(q, (el) => el.focus());
  }

  /** Waits until the page's scroll position holds still (a wheel scrolls the page smoothly, over several frames). */
  async settleScroll() {
    let last = '';
    let still = 0;
    for (let i = 0; i < 60 && still < 3; i++) {
      const now = await this.evaluate(() => `${scrollX},${scrollY}`);
      still = now === last ? still + 1 : 0;
      last = now;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Everything recorded since the page opened: { errors, consoleErrors, csp }. */
  async errors() {
    await this.harvest();
    return this.seen;
  }

  /** Moves what the page's hook recorded into `seen` (before a navigation replaces the document). */
  async harvest() {
    let c = null;
    try {
      c = await this.evaluate(() => {
        const cap = window.__esCapture;
        if (!cap) return null;
        const out = { errors: cap.errors.splice(0), consoleErrors: cap.consoleErrors.splice(0), csp: cap.csp.splice(0) };
        return out;
      });
    } catch { /* no document */ }
    if (!c) return;
    this.seen.errors.push(...c.errors);
    if (this.hookCountsConsole) this.seen.consoleErrors.push(...c.consoleErrors);
    this.seen.csp.push(...c.csp);
  }
}

// ---- Firefox ESR: puppeteer-core over WebDriver BiDi -----------------------------------------------------------

class FirefoxPage extends Page {
  constructor(context, page) {
    super('firefox');
    this.context = context;
    this.page = page;
    this.hookCountsConsole = false; // the protocol reports the console itself
  }

  static async open(browser, { viewport }) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const p = new FirefoxPage(context, page);
    page.setDefaultTimeout(TIMEOUT);
    page.setDefaultNavigationTimeout(TIMEOUT);
    await page.setViewport(viewport);
    page.on('pageerror', (e) => p.seen.errors.push(e.stack || String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') p.seen.consoleErrors.push(m.text());
    });
    await page.evaluateOnNewDocument(HOOK);
    return p;
  }

  async goto(url) {
    await this.harvest();
    await this.page.goto(url, { waitUntil: 'load' });
  }

  async reload() {
    await this.harvest();
    await this.page.reload({ waitUntil: 'load' });
  }

  /**
   * The history's Back. puppeteer's goBack() waits for a navigation that a same-document traversal (the widget's
   * hash entries) never reports over BiDi, so the page's own history.back() stands for the button here.
   */
  async back() {
    await this.harvest();
    await this.page.evaluate(() => history.back());
  }

  url() {
    return this.page.url();
  }

  evaluate(fn, ...args) {
    return this.page.evaluate(fn, ...args);
  }

  evaluateExpression(expr) {
    return this.page.evaluate(expr);
  }

  /** Runs a script's source (e.g. axe-core's) in the page. */
  async addScript(source) {
    await this.page.evaluate(source);
  }

  async handle(q) {
    await this.waitForElement(q);
    const h = await this.page.evaluateHandle(`(${RESOLVE})(${JSON.stringify(wire(q))})`);
    const el = h.asElement();
    if (!el) throw new Error(`no element for ${JSON.stringify(wire(q))}`);
    return el;
  }

  async click(q) {
    const el = await this.handle(q);
    try {
      await el.click();
    } finally {
      await el.dispose();
    }
  }

  /** A click at (x, y) CSS pixels of the window (the pointer where the page put it, whatever element is there). */
  async clickPoint(x, y) {
    await this.page.mouse.click(x, y);
  }

  /** A click at (x, y) pixels from the element's top-left corner. */
  async clickAt(q, x, y) {
    const el = await this.handle(q);
    try {
      await el.click({ offset: { x, y } });
    } finally {
      await el.dispose();
    }
  }

  async hover(q) {
    const el = await this.handle(q);
    try {
      await el.hover();
    } finally {
      await el.dispose();
    }
  }

  /** Replaces the field's text by typing it (select all, then the keys). */
  async fill(q, text) {
    const el = await this.handle(q);
    try {
      await el.focus();
      await el.evaluate((e) => e.select());
      if (text) await this.page.keyboard.type(text);
      else await this.page.keyboard.press('Backspace');
    } finally {
      await el.dispose();
    }
  }

  /** Chooses the option of the <select> whose value is `value`. */
  async select(q, value) {
    const el = await this.handle(q);
    try {
      await el.select(value);
    } finally {
      await el.dispose();
    }
  }

  /** One key (a name such as Tab, Enter, ArrowLeft, or a character), pressed and released on the focused element. */
  press(key) {
    return this.page.keyboard.press(key);
  }

  /** The mouse wheel over the middle of the element, `deltaY` pixels (negative: up, which zooms the map in). */
  async wheel(q, deltaY) {
    const el = await this.handle(q);
    try {
      const box = await el.boundingBox();
      await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await this.page.mouse.wheel({ deltaY });
    } finally {
      await el.dispose();
    }
    await this.settleScroll();
  }

  async close() {
    await this.context.close();
  }
}

// ---- WebKitGTK: W3C WebDriver (WebKitWebDriver, MiniBrowser under Xvfb) ----------------------------------------

class WebKitPage extends Page {
  constructor(window) {
    super('webkit');
    this.window = window;
    this.hookCountsConsole = true; // WebDriver classic sees no console: the hook's record is all there is
  }

  static async open(driver, { viewport }) {
    const window = await driver.openWindow();
    const p = new WebKitPage(window);
    await window.setTimeouts({ script: TIMEOUT, pageLoad: TIMEOUT, implicit: 0 });
    // The window's outer size, corrected so that the page's viewport is the one asked for.
    await window.setWindowRect({ width: viewport.width, height: viewport.height });
    const inner = await window.executeSync('return [window.innerWidth, window.innerHeight]');
    if (inner[0] !== viewport.width || inner[1] !== viewport.height) {
      await window.setWindowRect({
        width: viewport.width + (viewport.width - inner[0]),
        height: viewport.height + (viewport.height - inner[1]),
      });
    }
    return p;
  }

  async afterNavigation() {
    await this.window.executeSync(HOOK);
  }

  async goto(url) {
    await this.harvest();
    await this.window.navigate(url);
    await this.afterNavigation();
  }

  async reload() {
    await this.harvest();
    await this.window.refresh();
    await this.afterNavigation();
  }

  async back() {
    await this.harvest();
    await this.window.back();
    await this.afterNavigation();
  }

  url() {
    return this.window.currentUrl();
  }

  evaluate(fn, ...args) {
    const script = typeof fn === 'function' ? `return (${fn}).apply(null, arguments)` : fn;
    return this.window.executeSync(script, args);
  }

  evaluateExpression(expr) {
    return this.window.executeSync(`return ${expr}`);
  }

  /** Runs a script's source (e.g. axe-core's) in the page. */
  async addScript(source) {
    await this.window.executeSync(source);
  }

  async elementId(q) {
    await this.waitForElement(q);
    const ref = await this.window.executeSync(`return (${RESOLVE})(arguments[0])`, [wire(q)]);
    if (!ref || !ref[ELEMENT]) throw new Error(`no element for ${JSON.stringify(wire(q))}`);
    return ref[ELEMENT];
  }

  /** Pointer and key actions, each sequence released at its end (WebKit dispatches no second wheel otherwise). */
  async actions(list) {
    try {
      await this.window.performActions(list);
    } finally {
      await this.window.releaseActions();
    }
  }

  /**
   * WebDriver's Element Click, the element first scrolled to the middle of the window by the page (WebKit's own
   * scrolling can leave the element's top edge a fraction of a pixel above the window, then reports the click as
   * intercepted). WebKitWebDriver also finds SVG shapes « not interactable »: in both cases the click is a pointer
   * press at the element's centre, a real input event all the same.
   */
  async click(q) {
    const id = await this.elementId(q);
    await this.withElement(q, (el) => el.scrollIntoView({ block: 'center', inline: 'center' }));
    try {
      await this.window.elementClick(id);
    } catch (e) {
      if (!['element not interactable', 'element click intercepted'].includes(e.webdriverError)) throw e;
      const [x, y] = await this.withElement(q, (el) => {
        const r = el.getBoundingClientRect();
        return [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];
      });
      await this.actions([{
        type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
        actions: [{ type: 'pointerMove', x, y }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }],
      }]);
    }
  }

  /** A click at (x, y) CSS pixels of the window (pointer actions from the viewport: WebKit refuses an SVG origin). */
  async clickPoint(x, y) {
    await this.actions([{
      type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
      actions: [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y) }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }],
    }]);
  }

  /** A click at (x, y) pixels from the element's top-left corner (pointer actions relative to its centre). */
  async clickAt(q, x, y) {
    const id = await this.elementId(q);
    await this.withElement(q, (el) => el.scrollIntoView({ block: 'center' }));
    const size = await this.withElement(q, (el) => {
      const r = el.getBoundingClientRect();
      return [r.width, r.height];
    });
    await this.actions([{
      type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
      actions: [
        { type: 'pointerMove', origin: { [ELEMENT]: id }, x: Math.round(x - size[0] / 2), y: Math.round(y - size[1] / 2) },
        { type: 'pointerDown', button: 0 },
        { type: 'pointerUp', button: 0 },
      ],
    }]);
  }

  async hover(q) {
    const id = await this.elementId(q);
    await this.window.executeSync(`return (${RESOLVE})(arguments[0]).scrollIntoView({ block: 'center' })`, [wire(q)]);
    await this.actions([{
      type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
      actions: [{ type: 'pointerMove', origin: { [ELEMENT]: id }, x: 0, y: 0 }],
    }]);
  }

  /** Replaces the field's text: WebDriver's clear, then the keys (Element Send Keys). */
  async fill(q, text) {
    const id = await this.elementId(q);
    await this.window.elementClear(id);
    if (text) {
      await this.window.elementSendKeys(id, text);
    } else {
      // WebKit's Element Clear fires no input event: say so as typing would.
      await this.window.executeSync(`(${RESOLVE})(arguments[0]).dispatchEvent(new Event('input', { bubbles: true }))`, [wire(q)]);
    }
  }

  /** Chooses the option of the <select> whose value is `value`: WebDriver's Element Click on the <option>. */
  async select(q, value) {
    await this.waitForElement(q);
    const ref = await this.window.executeSync(
      `const s = (${RESOLVE})(arguments[0]); return [...s.options].find((o) => o.value === arguments[1]) || null;`,
      [wire(q), value]);
    if (!ref) throw new Error(`no option with value « ${value} » in ${JSON.stringify(wire(q))}`);
    await this.window.elementClick(ref[ELEMENT]);
  }

  async press(key) {
    const value = KEYS[key] || key;
    if ([...value].length !== 1) throw new Error(`unknown key « ${key} »`);
    await this.actions([{
      type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value }, { type: 'keyUp', value }],
    }]);
  }

  async wheel(q, deltaY) {
    await this.waitForElement(q);
    await this.window.executeSync(`return (${RESOLVE})(arguments[0]).scrollIntoView({ block: 'center' })`, [wire(q)]);
    const rect = await this.withElement(q, (el) => {
      const r = el.getBoundingClientRect();
      return [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];
    });
    await this.actions([{
      type: 'wheel', id: 'wheel',
      actions: [{ type: 'scroll', x: rect[0], y: rect[1], deltaX: 0, deltaY }],
    }]);
    await this.settleScroll();
  }

  async close() {
    await this.window.delete().catch(() => {});
  }
}

// ---- browsers --------------------------------------------------------------------------------------------------

/**
 * Starts the engine's browser. Returns { name, version, newPage({ viewport }), close() }; each page is isolated
 * from the others (a fresh Firefox browsing context, a fresh WebDriver window in WebKit).
 */
export async function launch(name) {
  if (name === 'firefox') {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      protocolTimeout: 60_000,
      extraPrefsFirefox: {
        // No background traffic of the browser's own (updates, telemetry, remote settings): only the tests' requests.
        'app.update.enabled': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'toolkit.telemetry.enabled': false,
        'browser.safebrowsing.malware.enabled': false,
        'browser.safebrowsing.phishing.enabled': false,
      },
    });
    return {
      name,
      version: await browser.version(),
      newPage: ({ viewport = { width: 1280, height: 900 } } = {}) => FirefoxPage.open(browser, { viewport }),
      close: () => browser.close(),
    };
  }
  if (name === 'webkit') {
    let driver = await startWebKitDriver();
    let version = 'WebKitGTK';
    return {
      name,
      get version() {
        return version;
      },
      /**
       * A new window, or, should WebKitWebDriver not answer (seen once in a few runs on a loaded machine: the
       * request for a window hangs while MiniBrowser starts), the driver and its browsers ended and started again, once.
       */
      newPage: async ({ viewport = { width: 1280, height: 900 } } = {}) => {
        let p;
        try {
          p = await WebKitPage.open(driver, { viewport });
        } catch (e) {
          process.emitWarning(`WebKit: ${e.message}; restarting WebKitWebDriver`);
          await driver.close();
          driver = await startWebKitDriver();
          p = await WebKitPage.open(driver, { viewport });
        }
        version = `WebKitGTK ${p.window.capabilities.browserVersion}`;
        return p;
      },
      close: () => driver.close(),
    };
  }
  throw new Error(`unknown engine ${name}`);
}
