// The offline map: territories, clusters and markers, synced with the list and the filters, by mouse and keyboard.

import assert from 'node:assert/strict';

import {
  setupSuite, pageTest, waitForWidget, assertStatus, statusText, focusedElement, assertNoAxeViolations, DEMO_COUNT, territorySelect } from './helpers.mjs';

const env = setupSuite();
const ALL = statusText(DEMO_COUNT);

async function open(page, server, path = 't/script-tag.html', host = 'div.essaimage') {
  await page.goto(server.url + path);
  const w = page.locator(host);
  await waitForWidget(w);
  await w.locator('.es-map-svg').waitFor({ state: 'attached' });
  return w;
}

/** The class of the focused element, inside the shadow root (SVG elements included). */
const focusedClass = (page) => page.evaluate(() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  return (el && el.getAttribute('class')) || '';
});

const transformOf = (w) => w.locator('.es-map-svg > g').getAttribute('transform');

/** Sum of what the map shows: cluster counts plus single markers. */
async function countOnMap(w) {
  const clusters = await w.locator('.es-cluster text').allTextContents();
  const singles = await w.locator('g.es-marker').count();
  return clusters.reduce((s, t) => s + Number(t.replace(/\D/g, '')), 0) + singles;
}

pageTest(env, 'activating « Bretagne » on the map gives the same count as choosing Bretagne in the territory control', async ({ page, server }) => {
  const w = await open(page, server);
  const option = await (await territorySelect(w, 'Région')).locator('option', { hasText: /^Bretagne \(/ }).innerText();
  const n = Number(/\((\d+)\)/.exec(option)[1]);
  const region = w.getByRole('button', { name: `Bretagne : ${n} innovation${n > 1 ? 's' : ''}`, exact: true });
  await region.click();
  await assertStatus(w, statusText(n, DEMO_COUNT));
  assert.equal(await w.getByLabel('Région', { exact: true }).inputValue(), '53', 'the filter control shows the territory');
  // The map zoomed onto Bretagne and shows departments there.
  assert.notEqual(await transformOf(w), 'translate(0 0) scale(1)');
  await w.getByRole('button', { name: /^Ille-et-Vilaine : \d+ innovations?$/ }).waitFor();
});

pageTest(env, 'every located result is on the map exactly once, in clusters or as a marker', async ({ page, server }) => {
  const w = await open(page, server);
  assert.equal(await countOnMap(w), DEMO_COUNT);
  await w.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  const status = await w.locator('p[role=status]').filter({ hasText: / sur / }).textContent();
  assert.equal(await countOnMap(w), Number(status.split(' ')[0]));
  assert.ok((await w.locator('.es-markers > *').count()) <= 1500);
});

pageTest(env, 'results without a place are counted in a visible note, and replicas are drawn from the origin', async ({ page, server }) => {
  const host = await open(page, server, 't/mount.html?dataset=/f/places.json', '#widget');
  await assertStatus(host, statusText(5));
  await host.locator('.es-map-note', { hasText: '2 innovations sans localisation' }).waitFor();
  assert.equal(await countOnMap(host), 3);
  // Opening the Rennes innovation draws links to its two located replicas and rings its marker.
  await host.getByRole('link', { name: 'A à Rennes' }).click();
  await host.locator('.es-replica-link').first().waitFor();
  assert.equal(await host.locator('.es-replica-link').count(), 2);
  assert.equal(await host.locator('.es-open-ring').count(), 1);
});

pageTest(env, 'keyboard only: zoom and pan the map, reach a territory and a marker, open an innovation', async ({ page, server }) => {
  const w = await open(page, server);
  const viewport = w.locator('.es-map-viewport');
  await viewport.focus();
  const before = await transformOf(w);
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowLeft');
  const after = await transformOf(w);
  assert.notEqual(after, before);
  assert.match(after, /scale\(2\)$/);
  await page.keyboard.press('0');
  assert.equal(await transformOf(w), 'translate(0 0) scale(1)');
  // Tab reaches the territories (regions in the national view); Enter chooses one.
  await page.keyboard.press('Tab');
  assert.match(await focusedClass(page), /es-region/);
  await page.keyboard.press('Enter');
  await w.locator('p[role=status]').filter({ hasText: / sur / }).waitFor({ state: 'attached' });
  // Then markers: Tab until one is focused, Enter opens its detail.
  let cls = '';
  for (let i = 0; i < 60 && !cls.includes('es-marker'); i++) {
    await page.keyboard.press('Tab');
    cls = await focusedClass(page);
  }
  assert.match(cls, /es-marker/, 'a marker is reachable with Tab');
  await page.keyboard.press('Enter');
  await w.locator('.es-detail-title').waitFor();
  assert.equal((await focusedElement(page)).className.includes('es-detail-title'), true);
});

pageTest(env, 'hovering a list item highlights its marker, and hovering a marker highlights the item', async ({ page, server }) => {
  const w = await open(page, server);
  // Zoom onto Brittany, then into its clusters, until an innovation is a single marker.
  await w.getByRole('button', { name: /^Bretagne : / }).click();
  const marker = w.locator('g.es-marker').first();
  for (let i = 0; i < 6 && !(await marker.count()); i++) {
    await w.getByRole('button', { name: /innovations autour de .+ : zoomer$/ }).first().click();
  }
  await marker.waitFor();
  // Its title: « name — place ».
  const name = (await marker.locator('title').textContent()).split(' — ')[0];
  const item = w.locator('.es-item', { has: page.getByRole('link', { name, exact: true }) });
  await item.hover();
  await w.locator('g.es-marker[data-hl]').waitFor();
  await page.mouse.move(0, 0);
  await marker.hover();
  await item.and(w.locator('.es-item[data-hl]')).waitFor();
  // The pointer leaving the marker ends the highlight.
  await page.mouse.move(0, 0);
  await w.locator('.es-item[data-hl]').waitFor({ state: 'detached' });

  // Moving within an item (title, then summary) keeps its marker highlighted; leaving the list ends it.
  await item.locator('h4 a').hover();
  await w.locator('g.es-marker[data-hl]').waitFor();
  await item.locator('.es-item-summary').hover();
  assert.equal(await w.locator('g.es-marker[data-hl]').count(), 1, 'still highlighted within the item');
  await page.mouse.move(0, 0);
  await w.locator('g.es-marker[data-hl]').waitFor({ state: 'detached' });

  // The keyboard too: focusing the item's link highlights its marker, focus leaving it ends the highlight.
  await item.locator('h4 a').focus();
  await w.locator('g.es-marker[data-hl]').waitFor();
  await w.getByLabel('Rechercher').focus();
  await w.locator('g.es-marker[data-hl]').waitFor({ state: 'detached' });
});

pageTest(env, 'the wheel scrolls the page until the map is activated, then zooms it', async ({ page, server }) => {
  const w = await open(page, server);
  const viewport = w.locator('.es-map-viewport');
  await viewport.hover();
  await page.mouse.wheel(0, -300);
  await w.locator('.es-map-hint').waitFor();
  assert.equal(await transformOf(w), 'translate(0 0) scale(1)', 'no zoom before activation');
  await viewport.click({ position: { x: 40, y: 40 } });
  await page.mouse.wheel(0, -300);
  await page.waitForFunction(() => {
    const g = document.querySelector('div.essaimage').shadowRoot.querySelector('.es-map-svg > g');
    return g && g.getAttribute('transform') !== 'translate(0 0) scale(1)';
  });
});

pageTest(env, 'zoom buttons and a cluster zoom in; « Vue d\'ensemble » goes back', async ({ page, server }) => {
  const w = await open(page, server);
  await w.getByRole('button', { name: 'Zoomer +', exact: true }).click();
  assert.match(await transformOf(w), /scale\(2\)$/);
  await w.getByRole('button', { name: "Vue d'ensemble" }).click();
  assert.equal(await transformOf(w), 'translate(0 0) scale(1)');
  const cluster = w.getByRole('button', { name: /innovations autour de .+ : zoomer$/ }).first();
  const label = await cluster.locator('title').textContent();
  await cluster.click();
  assert.notEqual(await transformOf(w), 'translate(0 0) scale(1)', `activating « ${label} » zooms in`);
});

pageTest(env, 'on a phone the list and the map are switched; both pass axe', { viewport: { width: 375, height: 800 } }, async ({ page, server }) => {
  const w = await open(page, server);
  const map = w.locator('.es-map');
  assert.equal(await map.isVisible(), false, 'the list is shown first');
  await w.getByRole('button', { name: 'Carte', exact: true }).click();
  await map.waitFor();
  assert.equal(await w.locator('.es-list').isVisible(), false);
  assert.equal(await w.getByRole('button', { name: 'Carte', exact: true }).getAttribute('aria-pressed'), 'true');
  await assertNoAxeViolations(page, 'map view at 375 px');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no horizontal scroll');
});

pageTest(env, 'axe-core: no violation with the map shown and zoomed to departments', async ({ page, server }) => {
  const w = await open(page, server);
  await assertNoAxeViolations(page, 'map, national view');
  // (Clusters cover the region's centre: activate it with the keyboard.)
  await w.getByRole('button', { name: /^Auvergne-Rhône-Alpes : / }).focus();
  await page.keyboard.press('Enter');
  await w.getByRole('button', { name: /^Rhône : / }).waitFor();
  await assertNoAxeViolations(page, 'map, departments');
});

pageTest(env, 'choosing a region in the filters frames it on the map; « Tout effacer » shows France again', async ({ page, server }) => {
  const w = await open(page, server);
  await (await territorySelect(w, 'Région')).selectOption('11');
  await page.waitForFunction(() => {
    const g = document.querySelector('div.essaimage').shadowRoot.querySelector('.es-map-svg > g');
    return /scale\((?!1\))/.test(g.getAttribute('transform'));
  });
  // Île-de-France is framed: departments are shown, and Paris is one of them.
  await w.getByRole('button', { name: /^Paris : \d+ innovations?$/ }).waitFor();
  await w.locator('.es-chips').getByRole('button', { name: 'Tout effacer' }).click();
  await page.waitForFunction(() => {
    const g = document.querySelector('div.essaimage').shadowRoot.querySelector('.es-map-svg > g');
    return g.getAttribute('transform') === 'translate(0 0) scale(1)';
  });
});

pageTest(env, 'the map stays active when zooming removes the focused cluster: the wheel keeps zooming', async ({ page, server }) => {
  const w = await open(page, server);
  const scale = async () => Number(/scale\(([\d.]+)\)/.exec(await transformOf(w))[1]);
  // Focus a cluster (this activates the map), then zoom with the wheel past a cluster level: the cluster is
  // replaced by its parts and its node (which had focus) goes away.
  const cluster = w.locator('g.es-cluster').first();
  await cluster.focus();
  const box = await w.locator('.es-map-viewport').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -200);
  await page.waitForFunction(() => {
    const g = document.querySelector('div.essaimage').shadowRoot.querySelector('.es-map-svg > g');
    return Number(/scale\(([\d.]+)\)/.exec(g.getAttribute('transform'))[1]) >= 2;
  });
  const before = await scale();
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -200);
  await page.waitForFunction((b) => {
    const g = document.querySelector('div.essaimage').shadowRoot.querySelector('.es-map-svg > g');
    return Number(/scale\(([\d.]+)\)/.exec(g.getAttribute('transform'))[1]) > b;
  }, before);
  assert.ok((await scale()) > before);
});
