// How every script of the project starts Chromium: the end-to-end tests (tests/e2e/helpers.mjs), the benchmarks
// (scripts/bench.mjs, scripts/bench-ab.mjs) and the screenshots (scripts/screenshots.mjs). Debian's headless
// Chromium (CHROMIUM, default /usr/bin/chromium), driven by playwright-core, which never downloads a browser.

/** The browser binary. */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * The flags of every launch: no sandbox (containers and CI run as root), no GPU (headless software rendering, the
 * same on every machine), and none of the browser's own background traffic (updates, sync, first-run pages), which
 * would show in the request logs of the tests and take CPU from the benchmarks.
 */
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Added by scripts/bench-ab.mjs, whose pages take turns in one browser: a page in the background keeps its timers
 * and its rendering at full speed.
 */
export const NO_BACKGROUNDING_ARGS = [
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
];

/** playwright-core's launch() options: headless, with LAUNCH_ARGS then `extraArgs`. */
export function launchOptions(extraArgs = []) {
  return { executablePath: CHROMIUM, args: [...LAUNCH_ARGS, ...extraArgs], headless: true };
}
