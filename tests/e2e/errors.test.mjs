// Every failure a page author can cause ends in a readable alert inside the widget's box, never a blank space.

import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  setupSuite, pageTest, waitForWidget, waitForAlert, assertStatus, statusOf, statusText, DEMO, DEMO_COUNT,
} from './helpers.mjs';
import { INVALID_JSON_LINE, INVALID_JSON_COLUMN, DIST } from './server.mjs';

const env = setupSuite();
const ALL = statusText(DEMO_COUNT);
const mountPage = (params) => `t/mount.html?${new URLSearchParams(params)}`;

/** The alert is inside the widget (its region in the shadow root), and no results are shown. */
async function assertAlertInWidget(host) {
  const inShadow = await host.evaluate((el) => {
    const alert = el.shadowRoot && el.shadowRoot.querySelector('.es-error[role=alert]');
    return !!alert && !!alert.closest('.es');
  });
  assert.ok(inShadow, "the alert is rendered inside the widget's shadow root");
  assert.equal(await host.locator('.es-list').count(), 0, 'no result list next to the alert');
  assert.equal(await host.locator('[role=alert]').count(), 1, 'exactly one alert');
}

pageTest(env, 'dataset 404: the alert names the HTTP status and the full URL', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  await page.goto(server.url + 't/error-404.html');
  const host = page.locator('[data-essaimage]');
  const text = await waitForAlert(host);
  assert.match(text, /Le widget Essaimage ne peut pas s'afficher/);
  assert.match(text, /Le jeu de données est introuvable \(erreur HTTP 404\)/);
  assert.ok(text.includes(`${server.origin}/fault/404.json`), text);
  assert.match(text, /data-dataset/, 'tells where to fix the address');
  await assertAlertInWidget(host);
  assert.ok(consoleErrors.some((e) => e.includes('Essaimage') && e.includes('404')), `console: ${consoleErrors}`);
});

pageTest(env, 'dataset 404 in English', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/fault/404.json', lang: 'en' }));
  const text = await waitForAlert(page.locator('#widget'));
  assert.match(text, /The Essaimage widget cannot be displayed/);
  assert.match(text, /HTTP error 404/);
  assert.ok(text.includes(`${server.origin}/fault/404.json`), text);
});

pageTest(env, 'invalid JSON: the alert gives the line and column of the syntax error', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/fault/invalid.json' }));
  const host = page.locator('#widget');
  const text = await waitForAlert(host);
  assert.match(text, /Le jeu de données n'est pas un JSON valide/);
  assert.match(text, new RegExp(`ligne ${INVALID_JSON_LINE}, colonne ${INVALID_JSON_COLUMN}\\b`), text);
  assert.ok(text.includes(`${server.origin}/fault/invalid.json`), text);
  await assertAlertInWidget(host);
});

pageTest(env, 'HTTP 500: the alert names the status and suggests retrying', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/fault/500.json' }));
  const text = await waitForAlert(page.locator('#widget'));
  assert.match(text, /erreur HTTP 500/);
  assert.ok(text.includes(`répondu 500 pour ${server.origin}/fault/500.json`), text);
  assert.match(text, /Réessayez plus tard/);
});

pageTest(env, 'an HTML page instead of JSON is recognised as such', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/fault/html.json' }));
  const text = await waitForAlert(page.locator('#widget'));
  assert.match(text, /n'est pas un JSON valide/);
  assert.match(text, /page HTML au lieu de JSON/);
  assert.ok(text.includes(`${server.origin}/fault/html.json`), text);
  assert.doesNotMatch(text, /ligne \d+, colonne/, 'no meaningless syntax position for an HTML page');
});

pageTest(env, 'connection reset: the alert says the dataset could not be downloaded', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/fault/reset.json' }));
  const text = await waitForAlert(page.locator('#widget'));
  assert.match(text, /Le jeu de données n'a pas pu être téléchargé/);
  assert.ok(text.includes(`${server.origin}/fault/reset.json`), text);
});

pageTest(env, 'no dataset given: the alert says which attribute to add', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + mountPage({}));
  const text = await waitForAlert(page.locator('#widget'));
  assert.match(text, /Aucun jeu de données indiqué/);
  assert.match(text, /data-dataset/);
});

pageTest(env, 'wasm served with the wrong MIME type: the alert asks for application/wasm', { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  await page.goto(server.url + 't/error-badmime.html');
  const host = page.locator('div.essaimage');
  const text = await waitForAlert(host);
  assert.match(text, /Type MIME incorrect pour le fichier WebAssembly/);
  assert.match(text, /application\/wasm/);
  assert.match(text, /« application\/octet-stream »/, 'names the type actually sent');
  assert.ok(text.includes(`${server.origin}/badmime/essaimage_wasm_bg.wasm`), text);
  assert.ok(consoleErrors.some((e) => e.includes('application/wasm')), `console: ${consoleErrors}`);
});

pageTest(env, 'wrong MIME type through data-base / the base option, in English', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/innovations-demo.json', base: '/badmime/', lang: 'en' }));
  const text = await waitForAlert(page.locator('#widget'));
  assert.match(text, /Wrong MIME type for the WebAssembly file/);
  assert.match(text, /instead of "application\/wasm"/);
});

pageTest(env, "widget files missing (wrong base): the alert says which file and how to fix it", { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/innovations-demo.json', base: '/nulle-part/' }));
  const text = await waitForAlert(page.locator('#widget'));
  assert.match(text, /Fichiers du widget introuvables/);
  assert.ok(text.includes(`${server.origin}/nulle-part/essaimage_wasm.js`), text);
  assert.match(text, /data-base/);
});

pageTest(env, 'the outlines file missing (a folder updated without data/): the alert names it and says to copy data/', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/innovations-demo.json', base: '/olddata/' }));
  const text = await waitForAlert(page.locator('#widget'));
  assert.match(text, /Les données de référence du widget sont illisibles/);
  assert.ok(text.includes(`${server.origin}/olddata/data/france-departments.bin`), text);
  assert.match(text, /404/);
  assert.match(text, /y compris data\//);
});

pageTest(env, 'a slow dataset shows the loading status first, then the results', async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/fault/slow.json?hold=lent' }));
  const host = page.locator('#widget');
  // While the server holds the dataset, the live region says it is loading.
  await statusOf(host).filter({ hasText: 'Chargement des innovations…' }).waitFor();
  await host.locator('.es-loading[aria-busy=true]').waitFor();
  // The outlines are requested at once, beside the dataset (read once the dataset's first byte has chosen the build).
  await server.waitForRequest('/data/france-departments.bin');
  assert.equal(await host.locator('.es-list').count(), 0);
  assert.ok(server.requests.includes('/fault/slow.json?hold=lent'), 'the dataset request reached the server');
  // The status is still the loading text: nothing was shown before the data arrived.
  assert.equal((await statusOf(host).innerText()).trim(), 'Chargement des innovations…');
  server.release('lent');
  await waitForWidget(host, ALL);
  assert.equal(await host.locator('[aria-busy=true]').count(), 0, 'aria-busy is gone once loaded');
});

pageTest(env, 'a slow dataset (timed delay) ends in the results', async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/fault/slow.json?ms=1500' }));
  const host = page.locator('#widget');
  await statusOf(host).filter({ hasText: 'Chargement des innovations…' }).waitFor();
  await waitForWidget(host, ALL);
});

pageTest(env, 'a failing instance does not break a healthy one on the same page', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + 't/error-and-healthy.html');
  const broken = page.locator('div.casse');
  const healthy = page.locator('div.sain');
  const text = await waitForAlert(broken);
  assert.match(text, /erreur HTTP 500/);
  await waitForWidget(healthy, ALL);
  assert.equal(await healthy.locator('[role=alert]').count(), 0);
  // The healthy one still works.
  await healthy.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  await healthy.getByRole('button', { name: 'Retirer le filtre Thématique : Habitat et logement' }).waitFor();
  const n = DEMO.innovations.filter((r) => (r.themes || []).includes('habitat')).length;
  await assertStatus(healthy, statusText(n, DEMO_COUNT));
  // And the broken one still shows its alert.
  assert.equal(await broken.locator('[role=alert]').count(), 1);
});

pageTest(env, 'mounting again on an element that shows an alert replaces it with a working widget', { allowConsoleErrors: true }, async ({ page, server }) => {
  // First mount with a base where the files are missing, then mount again (as a page fixing its options would).
  await page.goto(server.url + mountPage({ dataset: '/innovations-demo.json', base: '/nulle-part/' }));
  await waitForAlert(page.locator('#widget'));
  await page.evaluate(() => {
    window.essaimageHandle = window.Essaimage.mount(document.getElementById('widget'), { dataset: '/innovations-demo.json' });
  });
  await waitForWidget(page.locator('#widget'), ALL);
});

pageTest(env, 'the demo opened from file:// says to serve it over HTTP instead of staying blank', { allowConsoleErrors: true }, async ({ page }) => {
  // Browsers block module scripts on file:// pages, so the loader cannot run: the host element's own content
  // (shown only while no shadow root replaces it) is what explains the problem.
  await page.goto(pathToFileURL(path.join(DIST, 'index.html')).href);
  const fallback = page.locator('[data-essaimage] .widget-fallback');
  await fallback.waitFor();
  assert.ok(await fallback.isVisible());
  const text = await fallback.textContent();
  assert.match(text, /file:\/\//);
  assert.match(text, /make demo/);
});

pageTest(env, 'the same demo served over HTTP replaces that fallback with the widget', async ({ page, server }) => {
  await page.goto(server.url);
  const host = page.locator('[data-essaimage]');
  await waitForWidget(host, ALL);
  assert.equal(await page.locator('[data-essaimage] .widget-fallback').isVisible(), false);
});
