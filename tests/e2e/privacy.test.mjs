// Privacy: the demo makes no third-party request and stores nothing on the visitor's device.

import assert from 'node:assert/strict';

import { setupSuite, pageTest, waitForWidget, statusText, DEMO_COUNT, territorySelect } from './helpers.mjs';

const env = setupSuite();

/** Everything the page could have stored, read inside the page. */
async function storage(page) {
  return page.evaluate(async () => ({
    cookie: document.cookie,
    local: Object.keys(localStorage),
    tabStorage: Object.keys(sessionStorage),
    idb: indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name) : [],
    caches: 'caches' in window ? await caches.keys() : [],
    serviceWorkers: navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0,
  }));
}

pageTest(env, 'the demo page requests nothing outside its own origin and stores nothing', async ({ page, context, server, requests }) => {
  await page.goto(server.url);
  const w = page.locator('#explorateur');
  await waitForWidget(w, statusText(DEMO_COUNT));
  // Use it the way a visitor would: filter, search, page, open a detail, come back.
  await (await territorySelect(w, 'Région')).selectOption('11');
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('a');
  await w.getByRole('button', { name: 'Tout effacer', exact: true }).click();
  await w.getByRole('button', { name: 'Page suivante' }).click();
  await w.getByText('Page 2 sur 4', { exact: true }).waitFor();
  await w.locator('.es-item h4 a').first().click();
  await w.locator('.es-detail').waitFor();
  // The address (and its history entry) follows the change at the next frame.
  await page.waitForFunction(() => location.hash.includes('open='));
  await page.goBack();
  await w.locator('.es-detail').waitFor({ state: 'detached' });

  const outside = requests.filter((u) => !u.startsWith(server.origin + '/'));
  assert.deepEqual(outside, [], 'requests outside the test server');
  // Only the widget's own files and the dataset were fetched (the server's view agrees with the browser's).
  const fetched = new Set(server.requests.map((r) => r.split('?')[0]));
  for (const expected of ['/', '/essaimage.js', '/essaimage_wasm.js', '/essaimage_wasm_bg.wasm', '/essaimage.css',
    '/innovations-demo.json', '/data/france-departments.bin']) {
    assert.ok(fetched.has(expected), `${expected} was requested (${[...fetched].join(' ')})`);
  }
  assert.deepEqual(await context.cookies(), [], 'cookies');
  const s = await storage(page);
  assert.deepEqual(s, { cookie: '', local: [], tabStorage: [], idb: [], caches: [], serviceWorkers: 0 });
});

pageTest(env, 'the form (a) test page with a shared link: still no third-party request, cookie or storage', async ({ page, context, server, requests }) => {
  await page.goto(server.url + 't/script-tag.html#e1.theme=habitat&e1.open=tzcld-pipriac-saint-ganton');
  const w = page.locator('div.essaimage');
  await waitForWidget(w);
  await w.locator('.es-detail').waitFor();
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.origin + '/')), []);
  assert.deepEqual(await context.cookies(), []);
  const s = await storage(page);
  assert.deepEqual([s.cookie, s.local, s.tabStorage], ['', [], []]);
});
