// A small W3C WebDriver client over fetch, for Debian's WebKitWebDriver (webkit2gtk-driver), which drives
// WebKitGTK's MiniBrowser. Only the commands the engine tests use, each called by its name in the protocol: its
// method and path come from the protocol's table in @wdio/protocols (data only, no dependency), not written here.
//
// WebKitGTK draws into an X display: without DISPLAY, startWebKitDriver() starts its own Xvfb (Debian's `xvfb`)
// on a free display number, and stops it with the driver. Every child process is started here, in its own process
// group, and ended by its id.

import { spawn } from 'node:child_process';
import net from 'node:net';

import { WebDriverProtocol } from '@wdio/protocols';

// Each command's method and path template (`/…/:param/…`), by its name.
const ENDPOINTS = new Map(Object.entries(WebDriverProtocol).flatMap(([template, methods]) =>
  Object.entries(methods).map(([method, c]) => [c.command, { method, template }])));

/** The W3C key for an element reference in a JSON answer. */
export const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.WEBKIT_BROWSER || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** The named keys of WebDriver's key actions (the Unicode private-use code points of the spec). */
export const KEYS = {
  Tab: '\uE004',
  Enter: '\uE007',
  Escape: '\uE00C',
  Backspace: '\uE003',
  Space: ' ',
  Home: '\uE011',
  End: '\uE010',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Shift: '\uE008',
};

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      resolve();
    }, 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try { process.kill(-child.pid, 'SIGTERM'); } catch { clearTimeout(timer); resolve(); }
  });
}

/** Starts Xvfb on a free display; resolves with { display, process }. */
function startXvfb() {
  return new Promise((resolve, reject) => {
    const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x1200x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let err = '';
    xvfb.stderr.on('data', (d) => { err += d; });
    xvfb.on('error', (e) => reject(new Error(`cannot start Xvfb (Debian package xvfb): ${e.message}`)));
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${err.slice(-500)}`)));
    let out = '';
    xvfb.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ display: `:${out.trim()}`, process: xvfb });
    });
  });
}

/**
 * Starts WebKitWebDriver (and Xvfb when there is no DISPLAY). Returns a Driver: openWindow(), close(), and
 * `output`, the lines the driver and the browsers it starts print (MiniBrowser's console messages among them).
 */
export async function startWebKitDriver() {
  let xvfb = null;
  let display = process.env.DISPLAY;
  if (!display) {
    xvfb = await startXvfb();
    display = xvfb.display;
  }
  const port = await freePort();
  const listeners = new Set();
  const output = [];
  // stdbuf: line-buffered stdout in the driver and every process it starts (the web process prints the console).
  const driver = spawn('stdbuf', ['-oL', '-eL', WEBKIT_DRIVER, `--port=${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, DISPLAY: display, NO_AT_BRIDGE: '1' },
  });
  const onData = (d) => {
    for (const line of String(d).split('\n')) {
      if (!line) continue;
      output.push(line);
      for (const l of listeners) l(line);
    }
  };
  driver.stdout.on('data', onData);
  driver.stderr.on('data', onData);
  const spawnError = new Promise((_, reject) => driver.on('error', (e) => reject(new Error(`cannot start ${WEBKIT_DRIVER} (Debian package webkit2gtk-driver): ${e.message}`))));
  const base = `http://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let i = 0; i < 200; i++) {
      try {
        await command(base, 'status', []);
        return;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${WEBKIT_DRIVER} did not answer on port ${port}`);
  })();
  // Should this process end without close() (a crash, Ctrl-C), the browser and the display end with it.
  const killAll = () => {
    for (const c of [driver, xvfb && xvfb.process]) {
      if (c && c.exitCode === null && c.signalCode === null) try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ }
    }
  };
  process.once('exit', killAll);
  try {
    await Promise.race([ready, spawnError]);
  } catch (e) {
    killAll();
    throw e;
  }

  return {
    base,
    display,
    output,
    /** Calls `fn(line)` for each line of output until the returned function is called. */
    onOutput(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async openWindow(capabilities = {}) {
      const value = await command(base, 'newSession', [], {
        capabilities: {
          alwaysMatch: {
            'webkitgtk:browserOptions': {
              binary: MINIBROWSER,
              // MiniBrowser takes WebKitSettings as options: the console's messages are printed on stdout.
              args: ['--automation', '--enable-write-console-messages-to-stdout=true'],
            },
            ...capabilities,
          },
        },
      });
      // (The protocol's name for the new window's id.)
      return new BrowserWindow(base, value.sessionId, value.capabilities);
    },
    async close() {
      process.off('exit', killAll);
      await stop(driver);
      if (xvfb) await stop(xvfb.process);
    },
  };
}

const COMMAND_TIMEOUT = 30_000;

/** The WebDriver command `name`, its path's parameters filled by `params` in order; throws with the driver's
 * error and message. */
export async function command(base, name, params, body) {
  const endpoint = ENDPOINTS.get(name);
  if (!endpoint) throw new Error(`WebDriver: no command ${name}`);
  const { method } = endpoint;
  let i = 0;
  const path = endpoint.template.replace(/:\w+/g, () => encodeURIComponent(params[i++]));
  let r;
  try {
    r = await fetch(base + path, {
      method,
      headers: body ? { 'content-type': 'application/json; charset=utf-8' } : {},
      body: body ? JSON.stringify(body) : undefined,
      // No command of these tests takes this long: a hung one fails with its name, not as a test timeout.
      signal: AbortSignal.timeout(COMMAND_TIMEOUT),
    });
  } catch (e) {
    throw new Error(`WebDriver ${method} ${path}${body ? ` ${JSON.stringify(body).slice(0, 200)}` : ''}: ${e.name === 'TimeoutError' ? `no answer within ${COMMAND_TIMEOUT} ms` : e.message}`);
  }
  const text = await r.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`WebDriver ${method} ${path}: HTTP ${r.status}: ${text.slice(0, 300)}`);
  }
  if (!r.ok || (json.value && json.value.error)) {
    const v = json.value || {};
    const e = new Error(`WebDriver ${method} ${path}: ${v.error || r.status}: ${v.message || text.slice(0, 300)}`);
    e.webdriverError = v.error;
    throw e;
  }
  return json.value;
}

/** One browser window driven over WebDriver (the protocol's per-window state), thin wrappers over the W3C commands. */
export class BrowserWindow {
  constructor(base, id, capabilities) {
    this.base = base;
    this.id = id;
    this.capabilities = capabilities;
  }

  /** The command `name` on this window, with `params` after the window's id. */
  cmd(name, params, body) {
    return command(this.base, name, [this.id, ...params], body);
  }

  navigate(url) { return this.cmd('navigateTo', [], { url }); }
  currentUrl() { return this.cmd('getUrl', []); }
  back() { return this.cmd('back', [], {}); }
  refresh() { return this.cmd('refresh', [], {}); }
  setWindowRect(rect) { return this.cmd('setWindowRect', [], rect); }
  setTimeouts(t) { return this.cmd('setTimeouts', [], t); }

  /** Runs `script` (a function body) with `args`; element references in and out are WebDriver's. */
  executeSync(script, args = []) { return this.cmd('executeScript', [], { script, args }); }

  /** Runs `script` (a function body) whose last argument is the callback that ends it. */
  executeAsync(script, args = []) { return this.cmd('executeAsyncScript', [], { script, args }); }

  elementClick(id) { return this.cmd('elementClick', [id], {}); }
  elementClear(id) { return this.cmd('elementClear', [id], {}); }
  elementSendKeys(id, text) { return this.cmd('elementSendKeys', [id], { text }); }

  performActions(actions) { return this.cmd('performActions', [], { actions }); }
  releaseActions() { return this.cmd('releaseActions', []); }

  delete() { return this.cmd('deleteSession', []); }
}
