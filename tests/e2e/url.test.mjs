// The URL hash carries the widget's state: shareable links, reload, back and forward.

import assert from 'node:assert/strict';

import {
  setupSuite, pageTest, waitForWidget, assertStatus, statusText, hashParts, waitForHash, focusedElement, DEMO,
  DEMO_COUNT, territorySelect } from './helpers.mjs';

const env = setupSuite();
const ALL = statusText(DEMO_COUNT);
const PAGE = 't/script-tag.html';
const byId = new Map(DEMO.innovations.map((r) => [r.id, r]));
const habitat = DEMO.innovations.filter((r) => (r.themes || []).includes('habitat')).length;

function widget(page) {
  return page.locator('div.essaimage');
}

function themeBox(w, name) {
  return w.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: new RegExp(`^${name} \\(`) });
}

pageTest(env, 'filtering writes namespaced keys in the hash; reload and a shared link restore filters and count', async ({ page, server, env: e }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  await themeBox(w, 'Habitat et logement').check();
  await waitForHash(page, /^#e1\.theme=habitat$/);
  await (await territorySelect(w, 'Région')).selectOption('53');
  await w.getByLabel('Trier par').selectOption('stage');
  await waitForHash(page, /e1\.sort=stage/);
  const parts = await hashParts(page);
  assert.deepEqual(parts.sort(), ['e1.sort=stage', 'e1.t=r53', 'e1.theme=habitat'], `hash: ${parts}`);
  const expected = DEMO.innovations.filter((r) => r.origin.region === '53' && r.themes.includes('habitat')).length;
  const status = statusText(expected, DEMO_COUNT);
  await assertStatus(w, status);
  const url = page.url();

  await page.reload();
  await waitForWidget(w, status);
  assert.ok(await themeBox(w, 'Habitat et logement').isChecked());
  assert.equal(await w.getByLabel('Région', { exact: true }).inputValue(), '53');
  assert.equal(await w.getByLabel('Trier par').inputValue(), 'stage');

  // The same link opened by someone else (a fresh browser context).
  const other = await e.browser.newContext();
  try {
    const p2 = await other.newPage();
    await p2.goto(url);
    await waitForWidget(widget(p2), status);
    assert.equal(await widget(p2).getByLabel('Région', { exact: true }).inputValue(), '53');
    await widget(p2).getByRole('button', { name: 'Retirer le filtre Thématique : Habitat et logement' }).waitFor();
  } finally {
    await other.close();
  }

  // Clearing everything removes the widget's keys (sort kept, as the visitor chose it).
  await w.getByRole('button', { name: 'Tout effacer', exact: true }).first().click();
  await waitForHash(page, /^#e1\.sort=stage$/);
});

pageTest(env, "the host page's own hash content is kept next to the widget's keys", async ({ page, server }) => {
  await page.goto(server.url + PAGE + '#haut');
  const w = widget(page);
  await waitForWidget(w, ALL);
  await themeBox(w, 'Habitat et logement').check();
  await waitForHash(page, /e1\.theme=habitat/);
  assert.deepEqual(await hashParts(page), ['haut', 'e1.theme=habitat']);
  await themeBox(w, 'Habitat et logement').uncheck();
  await waitForHash(page, /^#haut$/);
});

pageTest(env, 'a page number in the link opens that page', async ({ page, server }) => {
  await page.goto(server.url + PAGE + '#e1.page=2');
  const w = widget(page);
  await waitForWidget(w, ALL);
  await w.getByText('Page 2 sur 4', { exact: true }).waitFor();
  assert.equal(await w.locator('ol.es-list').getAttribute('start'), '21');
});

pageTest(env, 'malformed hash values are ignored, never an error', async ({ page, server }) => {
  await page.goto(server.url + PAGE + '#e1.theme=%E2%28,Pas_Valide,habitat&e1.page=-4&e1.open=<script>&e1.t=x&e1.sort=nope&e1.q=%');
  const w = widget(page);
  await waitForWidget(w);
  assert.ok(await themeBox(w, 'Habitat et logement').isChecked());
  assert.equal(await w.locator('.es-detail').count(), 0);
});

pageTest(env, 'search typing replaces the history entry instead of adding one per keystroke', async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  const before = await page.evaluate(() => history.length);
  await w.getByRole('searchbox', { name: 'Rechercher' }).pressSequentially('economie');
  await waitForHash(page, /^#e1\.q=economie$/);
  const after = await page.evaluate(() => history.length);
  assert.ok(after - before <= 1, `history grew by ${after - before} entries while typing one word`);
});

pageTest(env, 'opening an innovation puts open=<id> in the hash; back closes it and returns focus; forward reopens', async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  const link = w.locator('.es-item h4 a').nth(2);
  const href = await link.getAttribute('href');
  const id = /e1\.open=([a-z0-9-]+)/.exec(href)[1];
  assert.ok(byId.has(id), `the link names a record id: ${href}`);
  const name = byId.get(id).name;
  const historyBefore = await page.evaluate(() => history.length);

  await link.click();
  const detailTitle = w.locator('.es-detail h3.es-detail-title');
  await detailTitle.filter({ hasText: name }).waitFor();
  await waitForHash(page, new RegExp(`^#e1\\.open=${id}$`));
  assert.equal(await page.evaluate(() => history.length), historyBefore + 1, 'opening a detail adds one history entry');
  assert.equal(await w.locator('section.es-results').isVisible(), false, 'the list is hidden behind the detail');

  await page.goBack();
  await detailTitle.waitFor({ state: 'detached' });
  await waitForHash(page, /^$/);
  await page.waitForFunction((text) => {
    const root = document.querySelector('div.essaimage').shadowRoot;
    return root.activeElement && root.activeElement.textContent.trim() === text;
  }, name);
  const focused = await focusedElement(page);
  assert.equal(focused.tag, 'a');
  assert.equal(focused.href, href);

  await page.goForward();
  await detailTitle.filter({ hasText: name }).waitFor();
  await waitForHash(page, new RegExp(`^#e1\\.open=${id}$`));
});

pageTest(env, 'a fresh page with open=<id> in the hash shows that detail directly', async ({ page, server }) => {
  const id = 'tzcld-pipriac-saint-ganton';
  await page.goto(server.url + PAGE + `#e1.open=${id}`);
  const w = widget(page);
  await waitForWidget(w, ALL);
  await w.locator('.es-detail h3').filter({ hasText: byId.get(id).name }).waitFor();
  // « Retour à la liste » shows the list turned to the record's page (recorded in the hash), its link focused.
  await w.getByRole('button', { name: 'Retour à la liste' }).click();
  await w.locator('.es-detail').waitFor({ state: 'detached' });
  await waitForHash(page, /^#e1\.page=3$/);
  assert.ok(await w.locator('section.es-results').isVisible());
  await page.waitForFunction((href) => {
    const root = document.querySelector('div.essaimage').shadowRoot;
    return root.activeElement && root.activeElement.getAttribute('href') === href;
  }, `#e1.open=${id}`);
});

pageTest(env, 'the namespace follows data-id / the element id', async ({ page, server }) => {
  await page.goto(server.url + 't/mount-api.html');
  const w = page.locator('#carte');
  await waitForWidget(w, ALL);
  await themeBox(w, 'Habitat et logement').check();
  await waitForHash(page, /^#carte\.theme=habitat$/);
  await page.reload();
  await waitForWidget(w, statusText(habitat, DEMO_COUNT));
  assert.ok(await themeBox(w, 'Habitat et logement').isChecked());
});

pageTest(env, 'a hand-edited hash is applied, and browser back undoes the last filter change', async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  await page.evaluate(() => { location.hash = 'e1.theme=habitat'; });
  await assertStatus(w, statusText(habitat, DEMO_COUNT));
  assert.ok(await themeBox(w, 'Habitat et logement').isChecked());

  await themeBox(w, 'Lien social').check();
  await waitForHash(page, /^#e1\.theme=habitat,lien-social$/);
  const both = DEMO.innovations.filter((r) => r.themes.includes('habitat') || r.themes.includes('lien-social')).length;
  await assertStatus(w, statusText(both, DEMO_COUNT));
  await page.goBack();
  await waitForHash(page, /^#e1\.theme=habitat$/);
  await assertStatus(w, statusText(habitat, DEMO_COUNT));
  assert.equal(await themeBox(w, 'Lien social').isChecked(), false);
  await page.goForward();
  await assertStatus(w, statusText(both, DEMO_COUNT));
  assert.ok(await themeBox(w, 'Lien social').isChecked());
});

pageTest(env, "the page's own anchor links (skip links) leave the widget's filters alone", async ({ page, server }) => {
  await page.goto(server.url + 't/anchor.html');
  const w = widget(page);
  await waitForWidget(w, ALL);
  await themeBox(w, 'Habitat et logement').check();
  await waitForHash(page, /^#e1\.theme=habitat$/);
  const filtered = statusText(habitat, DEMO_COUNT);
  await assertStatus(w, filtered);

  await page.getByRole('link', { name: 'Aller au pied de page' }).click();
  await waitForHash(page, /^#bas$/);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await assertStatus(w, filtered);
  assert.ok(await themeBox(w, 'Habitat et logement').isChecked(), 'the filter survived the anchor link');

  // Back to the widget's entry: still filtered. Back again, to the entry before the filter: unfiltered.
  await page.goBack();
  await waitForHash(page, /^#e1\.theme=habitat$/);
  await assertStatus(w, filtered);
  await page.goBack();
  await waitForHash(page, /^$/);
  await assertStatus(w, ALL);
  assert.equal(await themeBox(w, 'Habitat et logement').isChecked(), false);
});
