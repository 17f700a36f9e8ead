// Fault injection end to end: every way the network or a server can fail the widget, on one page where a second,
// healthy instance must keep working. For each fault: a clear message in role="alert" inside the faulty widget's
// shadow root, no uncaught exception (pageTest fails on any `pageerror`), and the healthy instance still filters.
//
// The page /t/fault-page.html takes the faulty instance's options from its query string (dataset, base, maxMb,
// lang); the healthy instance always loads the demo dataset.

import assert from 'node:assert/strict';

import {
  setupSuite, pageTest, waitForWidget, waitForAlert, assertStatus, statusOf, statusText, DEMO, DEMO_COUNT, TIMEOUT,
} from './helpers.mjs';
import { BIG_TITLE } from './server.mjs';

const env = setupSuite();
const ALL = statusText(DEMO_COUNT);
const HABITAT = DEMO.innovations.filter((r) => (r.themes || []).includes('habitat')).length;
const LOADING = 'Chargement des innovations…';

const faultPage = (params) => `t/fault-page.html?${new URLSearchParams(params)}`;

/**
 * Waits for the faulty instance's alert and checks where it is: inside its shadow root, in the widget's box, alone,
 * with nothing else shown (no results, no loading state left). Returns the alert's text (whitespace collapsed).
 */
async function faultyAlert(page) {
  const host = page.locator('#faulty');
  const text = await waitForAlert(host);
  const where = await host.evaluate((el) => {
    const root = el.shadowRoot;
    const alerts = root ? root.querySelectorAll('[role=alert]') : [];
    const alert = alerts[0];
    return {
      inShadow: !!alert,
      count: alerts.length,
      inBox: !!alert && !!alert.closest('.es') && alert.classList.contains('es-error'),
      hasTitle: !!alert && !!alert.querySelector('.es-error-title') && !!alert.querySelector('.es-error-what') && !!alert.querySelector('.es-error-how'),
      lightDomAlerts: el.querySelectorAll('[role=alert]').length,
      list: root ? root.querySelectorAll('.es-list, .es-filters').length : 0,
      busy: root ? root.querySelectorAll('[aria-busy=true]').length : 0,
      loading: root ? root.querySelectorAll('.es-loading').length : 0,
    };
  });
  assert.ok(where.inShadow, "the alert is inside the faulty widget's shadow root");
  assert.equal(where.count, 1, 'exactly one alert');
  assert.ok(where.inBox, "the alert is the widget's error box (.es > .es-error)");
  assert.ok(where.hasTitle, 'the alert says what failed and how to fix it');
  assert.equal(where.lightDomAlerts, 0, 'nothing is written into the page outside the shadow root');
  assert.equal(where.list, 0, 'no filters or results next to the alert');
  assert.equal(where.busy + where.loading, 0, 'the loading state (aria-busy) is gone: the widget does not hang');
  assert.match(text, /^Le widget Essaimage ne peut pas s'afficher/, text);
  return text;
}

/** The healthy instance loaded and still reacts: a theme filter changes its count, without any alert. */
async function healthyKeepsWorking(page) {
  const healthy = page.locator('#healthy');
  await waitForWidget(healthy, ALL);
  await healthy.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  await assertStatus(healthy, statusText(HABITAT, DEMO_COUNT));
  await healthy.getByRole('button', { name: 'Retirer le filtre Thématique : Habitat et logement' }).click();
  await assertStatus(healthy, ALL);
  assert.equal(await healthy.locator('[role=alert]').count(), 0, 'no alert in the healthy instance');
}

/** The faulty instance still shows its alert (the healthy one's activity did not replace or clear it). */
async function faultyStillAlerts(page) {
  assert.equal(await page.locator('#faulty').locator('.es-error[role=alert]').count(), 1, 'the alert is still shown');
}

function logged(consoleErrors, ...needles) {
  assert.ok(consoleErrors.some((e) => e.includes('Essaimage') && needles.every((n) => e.includes(n))),
    `the widget logs the failure to the console (${needles.join(', ')}): ${JSON.stringify(consoleErrors)}`);
}

// ---- HTTP errors, reset ------------------------------------------------------------------------------------------

pageTest(env, 'fault 404: « introuvable (erreur HTTP 404) » with the URL and data-dataset; the other instance works', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  await page.goto(server.url + faultPage({ dataset: '/fault/404.json' }));
  const text = await faultyAlert(page);
  assert.match(text, /Le jeu de données est introuvable \(erreur HTTP 404\)/);
  assert.ok(text.includes(`« 404 non trouvé » pour ${server.origin}/fault/404.json`), text);
  assert.match(text, /data-dataset/);
  await healthyKeepsWorking(page);
  await faultyStillAlerts(page);
  logged(consoleErrors, '404');
});

pageTest(env, 'fault 500: « erreur HTTP 500 », retry advice; the other instance works', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  await page.goto(server.url + faultPage({ dataset: '/fault/500.json' }));
  const text = await faultyAlert(page);
  assert.match(text, /erreur HTTP 500/);
  assert.ok(text.includes(`répondu 500 pour ${server.origin}/fault/500.json`), text);
  assert.match(text, /Réessayez plus tard/);
  await healthyKeepsWorking(page);
  await faultyStillAlerts(page);
  logged(consoleErrors, '500');
});

pageTest(env, 'fault connection reset: « n\'a pas pu être téléchargé »; the other instance works', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  await page.goto(server.url + faultPage({ dataset: '/fault/reset.json' }));
  const text = await faultyAlert(page);
  assert.match(text, /Le jeu de données n'a pas pu être téléchargé/);
  assert.ok(text.includes(`Aucune réponse lisible pour ${server.origin}/fault/reset.json`), text);
  assert.match(text, /Vérifiez la connexion/);
  await healthyKeepsWorking(page);
  await faultyStillAlerts(page);
  logged(consoleErrors, 'reset.json');
});

// ---- CORS ----------------------------------------------------------------------------------------------------------

pageTest(env, 'fault CORS: a dataset on another origin without Access-Control-Allow-Origin gives the network/CORS message', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  const url = `${server.cross.origin}/closed/innovations-demo.json`;
  await page.goto(server.url + faultPage({ dataset: url }));
  const text = await faultyAlert(page);
  assert.match(text, /Le jeu de données n'a pas pu être téléchargé/);
  assert.ok(text.includes(`pour ${url}`), text);
  assert.match(text, /CORS/);
  assert.match(text, /Access-Control-Allow-Origin/);
  assert.match(text, /connect-src/);
  // The server did answer (200): it is the browser that refused the answer to this page's origin.
  assert.ok(server.cross.requests.includes(url), `the other origin was asked: ${server.cross.requests}`);
  assert.ok(consoleErrors.some((e) => /CORS|Access-Control-Allow-Origin/.test(e)), 'Chromium reports the CORS refusal');
  await healthyKeepsWorking(page);
  await faultyStillAlerts(page);
  logged(consoleErrors, url);
});

pageTest(env, 'control: the same cross-origin dataset with Access-Control-Allow-Origin loads', async ({ page, server }) => {
  const url = `${server.cross.origin}/open/innovations-demo.json`;
  await page.goto(server.url + faultPage({ dataset: url }));
  await waitForWidget(page.locator('#faulty'), ALL);
  assert.ok(server.cross.requests.includes(url));
  await healthyKeepsWorking(page);
  await assertStatus(page.locator('#faulty'), ALL);
});

// ---- Content type --------------------------------------------------------------------------------------------------
// The product reads the body whatever the Content-Type (schema.rs validates the bytes; embed.rs never looks at the
// type): a JSON body loads under any type, and an HTML body is recognised as an HTML page under any type.

for (const type of ['text/plain; charset=utf-8', 'application/octet-stream', 'text/html; charset=utf-8']) {
  pageTest(env, `content type: a JSON dataset served as ${type} loads`, async ({ page, server }) => {
    await page.goto(server.url + faultPage({ dataset: `/fault/typed.json?${new URLSearchParams({ type, body: 'demo' })}` }));
    await waitForWidget(page.locator('#faulty'), ALL);
    await healthyKeepsWorking(page);
    await assertStatus(page.locator('#faulty'), ALL);
  });
}

for (const type of ['text/plain; charset=utf-8', 'application/json', 'application/octet-stream']) {
  pageTest(env, `content type: an HTML page served as ${type} gives « page HTML au lieu de JSON »`, { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
    const dataset = `/fault/typed.json?${new URLSearchParams({ type, body: 'html' })}`;
    await page.goto(server.url + faultPage({ dataset }));
    const text = await faultyAlert(page);
    assert.match(text, /Le jeu de données n'est pas un JSON valide/);
    assert.ok(text.includes(`${server.origin}${dataset} renvoie une page HTML au lieu de JSON`), text);
    assert.doesNotMatch(text, /ligne \d+, colonne/, 'no meaningless syntax position for an HTML page');
    await healthyKeepsWorking(page);
    await faultyStillAlerts(page);
    logged(consoleErrors, 'HTML');
  });
}

// ---- Slow response ---------------------------------------------------------------------------------------------

pageTest(env, 'slow response (5 s): « Chargement… » with aria-busy meanwhile, the other instance usable, then the results', async ({ page, server }) => {
  const dataset = '/fault/slow.json?hold=faults-cinq-secondes&ms=5000';
  await page.goto(server.url + faultPage({ dataset }));
  const faulty = page.locator('#faulty');
  // The request is held by the server: the widget is waiting for it.
  await server.waitForRequest(dataset);
  const loading = faulty.locator('.es[role=region] > .es-loading[aria-busy=true]');
  await loading.waitFor();
  assert.equal((await statusOf(faulty).innerText()).trim(), LOADING);
  assert.equal(await loading.locator('p[role=status]').count(), 1, 'the loading text is a live region');
  assert.equal(await faulty.locator('.es-error, .es-list').count(), 0);
  // The healthy instance is fully usable while the other waits.
  await healthyKeepsWorking(page);
  assert.equal((await statusOf(faulty).innerText()).trim(), LOADING, 'still loading, without an alert');
  assert.equal(await loading.count(), 1);
  server.release('faults-cinq-secondes');
  await waitForWidget(faulty, ALL);
  assert.equal(await faulty.locator('[aria-busy=true]').count(), 0, 'aria-busy is gone once loaded');
  const took = await page.evaluate((path) => {
    const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith(path));
    return e ? e.responseEnd - e.startTime : null;
  }, dataset);
  assert.ok(took >= 4900, `the dataset took 5 s to arrive (took ${took} ms)`);
});

// The placeholder the loader draws while the WebAssembly downloads (the longest wait on a slow connection) has the
// same markup as the widget's own loading state (src/ui/app.rs Phase::Loading): aria-busy, lang, named region.
pageTest(env, 'slow WebAssembly: the loader\'s « Loading… » placeholder is the widget\'s loading state (aria-busy, lang, region)', async ({ page, server }) => {
  const key = 'faults-wasm-lent';
  try {
    await page.goto(server.url + faultPage({ dataset: '/innovations-demo.json', base: `/heldwasm/${key}/`, lang: 'en' }));
    await server.waitForRequest(`/heldwasm/${key}/essaimage_wasm_bg.wasm`);
    const faulty = page.locator('#faulty');
    await statusOf(faulty).filter({ hasText: 'Loading innovations…' }).waitFor({ state: 'attached' });
    await healthyKeepsWorking(page);
    const state = await faulty.evaluate((el) => {
      const box = el.shadowRoot.querySelector('.es');
      const loading = el.shadowRoot.querySelector('.es-loading');
      return {
        busy: !!loading && loading.closest('[aria-busy]') ? loading.closest('[aria-busy]').getAttribute('aria-busy') : null,
        lang: box ? (box.closest('[lang]') || el.closest('[lang]')).getAttribute('lang') : null,
        region: box ? `${box.getAttribute('role')} « ${box.getAttribute('aria-label')} »` : null,
      };
    });
    assert.deepEqual(state, { busy: 'true', lang: 'en', region: 'region « Social innovation explorer »' },
      'the placeholder shown while the WebAssembly loads');
  } finally {
    server.release(key);
  }
  await waitForWidget(page.locator('#faulty'), '65 innovations');
});

// ---- WebAssembly with a wrong MIME type ---------------------------------------------------------------------------

pageTest(env, 'fault wasm MIME type: « Type MIME incorrect » for that instance; the other instance (good base) works', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  await page.goto(server.url + faultPage({ dataset: '/innovations-demo.json', base: '/badmime/' }));
  const text = await faultyAlert(page);
  assert.match(text, /Type MIME incorrect pour le fichier WebAssembly/);
  assert.ok(text.includes(`${server.origin}/badmime/essaimage_wasm_bg.wasm`), text);
  assert.match(text, /« application\/octet-stream » au lieu de « application\/wasm »/);
  assert.match(text, /AddType application\/wasm \.wasm/);
  await healthyKeepsWorking(page);
  await faultyStillAlerts(page);
  logged(consoleErrors, 'application/wasm');
});

// WCAG 3.1.2 (language of parts): the alert rendered by the loader (static/essaimage.js renderError) carries its
// `lang`, like the widget's own box (<div class="es" lang="en" role="region">), so that on a French page an English
// alert is read with English pronunciation.
pageTest(env, 'fault wasm MIME type in English: the loader\'s alert is marked lang="en" on a French page', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + faultPage({ dataset: '/innovations-demo.json', base: '/badmime/', lang: 'en' }));
  const host = page.locator('#faulty');
  const text = await waitForAlert(host);
  assert.match(text, /Wrong MIME type for the WebAssembly file/);
  await healthyKeepsWorking(page);
  const lang = await host.evaluate((el) => {
    const alert = el.shadowRoot.querySelector('[role=alert]');
    const marked = alert.closest('[lang]');
    return marked ? marked.getAttribute('lang') : el.closest('[lang]').getAttribute('lang');
  });
  assert.equal(lang, 'en', 'the language of the English alert, inside the shadow root');
});

// ---- Too large -----------------------------------------------------------------------------------------------------

async function tooLarge(page, server, consoleErrors, dataset, { mb = 60, limit = 50 } = {}) {
  const started = Date.now();
  await page.goto(server.url + faultPage({ dataset }));
  const text = await faultyAlert(page);
  const took = Date.now() - started;
  assert.match(text, /Le jeu de données est trop volumineux/);
  // With a Content-Length the size is stated; without one the download stops at the limit and says so.
  const said = mb === null
    ? `${server.origin}${dataset} dépasse la limite de ${limit} Mo (téléchargement arrêté)`
    : `${server.origin}${dataset} pèse ${mb} Mo, au-delà de la limite de ${limit} Mo`;
  assert.ok(text.includes(said), text);
  assert.match(text, /relevez la limite avec l'attribut data-max-mb/);
  assert.ok(took < TIMEOUT, `answered in ${took} ms`);
  await healthyKeepsWorking(page);
  await faultyStillAlerts(page);
  logged(consoleErrors, 'too large');
  return text;
}

pageTest(env, 'fault 60 MB dataset with Content-Length: « trop volumineux », names data-max-mb, no hang; the other instance works', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  await tooLarge(page, server, consoleErrors, '/fault/big.json?mb=60');
  assert.equal(server.bigStreams[0].length, 60_000_000);
});

pageTest(env, 'fault 60 MB dataset without Content-Length (chunked): « trop volumineux », no hang; the other instance works', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  await tooLarge(page, server, consoleErrors, '/fault/big.json?mb=60&length=0', { mb: null });
  assert.equal(server.bigStreams[0].length, null, 'no Content-Length was sent');
});

pageTest(env, 'fault 60 MB announced by Content-Length, body stalled after 1 MB: the header suffices, the widget does not wait for the body', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  try {
    await tooLarge(page, server, consoleErrors, '/fault/big.json?mb=60&hold=faults-stall-header&after=1');
    assert.equal(server.bigStreams[0].finished, false, 'the body was never completed');
  } finally {
    server.release('faults-stall-header');
  }
});

// Without Content-Length (chunked transfer, as many servers send generated or compressed JSON) the widget reads the
// body as a stream and stops as soon as more than data-max-mb has arrived (regression: it used to buffer the whole
// body, or wait forever for one that kept coming).
pageTest(env, 'fault over-limit dataset without Content-Length that keeps coming: the widget stops at the limit', { allowConsoleErrors: true, timeout: 60_000 }, async ({ page, server, consoleErrors }) => {
  const dataset = '/fault/big.json?mb=60&length=0&hold=faults-stall-chunked&after=52';
  try {
    await page.goto(server.url + faultPage({ dataset }));
    await server.waitForRequest(dataset);
    const faulty = page.locator('#faulty');
    try {
      await faulty.locator('.es-error[role=alert]').waitFor({ timeout: TIMEOUT });
    } catch {
      const stream = server.bigStreams[0];
      assert.fail(`${stream.sent / 1e6} MB of a 60 MB chunked dataset were sent (limit 50 MB) and the body then stalled: ` +
        `after ${TIMEOUT} ms the widget still shows « ${(await statusOf(faulty).innerText()).trim()} » instead of the size alert`);
    }
    const text = await faultyAlert(page);
    assert.match(text, /Le jeu de données est trop volumineux/);
    assert.match(text, /dépasse la limite de 50 Mo \(téléchargement arrêté\)/);
    assert.match(text, /data-max-mb/);
    await healthyKeepsWorking(page);
    logged(consoleErrors, 'too large');
  } finally {
    server.release('faults-stall-chunked');
  }
});

pageTest(env, 'the data-max-mb advice works: 3 MB is refused with data-max-mb=2 and loads with data-max-mb=4', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  await page.goto(server.url + faultPage({ dataset: '/fault/big.json?mb=3', maxMb: '2' }));
  const text = await faultyAlert(page);
  assert.match(text, /trop volumineux/);
  assert.ok(text.includes('pèse 3 Mo, au-delà de la limite de 2 Mo'), text);
  logged(consoleErrors, 'too large');

  await page.goto(server.url + faultPage({ dataset: '/fault/big.json?mb=3&length=0', maxMb: '4' }));
  const faulty = page.locator('#faulty');
  await waitForWidget(faulty, statusText(1));
  assert.equal((await faulty.locator('.es-title').innerText()).trim(), BIG_TITLE);
  await healthyKeepsWorking(page);
});

// The size is written with one decimal, rounded up, so that a file just over the limit never reads as « 2 Mo, au-delà
// de la limite de 2 Mo » (regression).
pageTest(env, 'too large by a fraction of a megabyte: the size stated is over the limit stated', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + faultPage({ dataset: '/fault/big.json?mb=2.5', maxMb: '2' }));
  const text = await faultyAlert(page);
  const m = /pèse ([\d,\u202F ]+) Mo, au-delà de la limite de (\d+) Mo/.exec(text);
  assert.ok(m, text);
  const size = Number(m[1].replace(/[\u202F ]/g, '').replace(',', '.'));
  assert.ok(size > Number(m[2]), `the size stated (${m[1]} Mo) is over the limit stated (${m[2]} Mo): « ${m[0]} »`);
});
