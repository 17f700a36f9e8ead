// The offline map: territories, clusters and markers, synced with the list and the filters, by mouse and keyboard.

import assert from 'node:assert/strict';

import {
  setupSuite, pageTest, waitForWidget, assertStatus, statusText, focusedElement, assertNoAxeViolations, DEMO_COUNT, territorySelect, reachablePoint } from './helpers.mjs';

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

/** Clicks a territory where the pointer reaches it (not under a marker or a cluster). */
async function clickTerritory(territory) {
  const at = await territory.evaluate(reachablePoint);
  assert.ok(at, 'some part of the territory is not under a marker');
  await territory.page().mouse.click(at[0], at[1]);
}

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
  await clickTerritory(region);
  await assertStatus(w, statusText(n, DEMO_COUNT));
  assert.equal(await w.getByLabel('Région', { exact: true }).inputValue(), '53', 'the filter control shows the territory');
  // The map zoomed onto Bretagne and shows departments there.
  assert.notEqual(await transformOf(w), 'translate(0 0) scale(1)');
  await w.getByRole('button', { name: /^Ille-et-Vilaine : \d+ innovations?$/ }).waitFor();
});

pageTest(env, 'without the stylesheet, a result\'s stage, place and start year and the legends\' parts do not run together; the hidden map layer uses SVG\'s display (RGAA 10.3, 8.2)', async ({ page, server }) => {
  const w = await open(page, server);
  const metas = await w.evaluate((el) => {
    const root = el.shadowRoot;
    for (const s of root.querySelectorAll('style, link[rel=stylesheet]')) s.remove();
    for (const s of root.adoptedStyleSheets || []) s.disabled = true;
    return [...root.querySelectorAll('.es-item-meta')].map((m) => [m.textContent, [...m.children].map((c) => c.textContent.trim())]);
  });
  assert.ok(metas.length > 0);
  for (const [text, parts] of metas) {
    assert.ok(parts.length >= 2, text);
    assert.equal(text.trim().replace(/\s+/g, ' '), parts.join(' '), 'each part separated by a space');
  }
  // The legends' parts are blocks of their own (paragraphs) once styles are off.
  const legend = await w.evaluate((el) => [...el.shadowRoot.querySelectorAll('.es-legend > *')].map((e) => getComputedStyle(e).display));
  assert.ok(legend.length >= 4);
  assert.deepEqual([...new Set(legend)], ['block'], 'each legend part on its own line');
  assert.equal(await w.evaluate((el) => el.shadowRoot.querySelectorAll('svg [hidden]').length), 0, 'no hidden attribute in SVG');
  assert.equal(await w.evaluate((el) => el.shadowRoot.querySelectorAll('svg g[display=none][aria-hidden=true]').length), 1, 'the other layer is hidden');
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
  // The results' replicas are drawn from their origins: A's two located ones (Brest, and La Réunion by department).
  await host.locator('.es-replica-link').first().waitFor();
  assert.equal(await host.locator('.es-replica-link').count(), 2);
  // A selection without replicas draws none.
  await host.getByRole('searchbox', { name: 'Rechercher' }).fill('Lyon');
  await assertStatus(host, statusText(1, 5));
  assert.equal(await host.locator('.es-replica-link').count(), 0);
  await host.getByRole('searchbox', { name: 'Rechercher' }).fill('');
  await assertStatus(host, statusText(5));
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
  await clickTerritory(w.getByRole('button', { name: /^Bretagne : / }));
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

// WCAG 1.4.11 / RGAA 3.3: the map's non-text contrast, computed from the rendered colours of each theme (the figures
// are in docs/ACCESSIBILITE.md).
for (const theme of ['', 'dark', 'dsfr', 'dsfr dark']) {
  pageTest(env, `map contrast, theme ${theme || 'light (default)'}: outlines, markers, clusters and the double focus ring reach 3:1, cluster counts 4.5:1`, async ({ page, server }) => {
    await page.goto(`${server.url}embed.html?dataset=/innovations-demo.json${theme ? `&theme=${encodeURIComponent(theme)}` : ''}`);
    await page.locator('.es-map .es-dep').first().waitFor();
    await page.locator('.es-map .es-cluster').first().waitFor();
    // The focus ring of a territory: focused with the keyboard from the map's viewport.
    await page.locator('.es-map-viewport').focus();
    await page.keyboard.press('Tab');
    const c = await page.evaluate(() => {
      const root = document.getElementById('essaimage').shadowRoot;
      const cs = (el) => getComputedStyle(el);
      const dep = root.querySelector('.es-dep');
      // Each class's fill, rendered on a copy of a territory (a class may have no territory in the demo).
      let line;
      let lineWidth;
      const fills = ['0', '1', '2', '3', '4', '5'].map((q) => {
        const probe = dep.cloneNode();
        probe.removeAttribute('tabindex');
        probe.setAttribute('data-q', q);
        root.querySelector('.es-map-svg > g').append(probe);
        const fill = cs(probe).fill;
        line = cs(probe).stroke;
        lineWidth = parseFloat(cs(probe).strokeWidth);
        probe.remove();
        return fill;
      });
      const focused = root.activeElement;
      const ring = focused.matches('.es-dep') ? focused : focused.querySelector('.es-dep');
      const marker = root.querySelector('.es-marker circle');
      const cluster = root.querySelector('.es-cluster');
      const swatch = root.querySelector('.es-swatch');
      return {
        fills, sea: cs(root.querySelector('.es-map-viewport')).backgroundColor, line, lineWidth,
        ring: cs(ring).stroke, ringWidth: parseFloat(cs(ring).strokeWidth), halo: cs(focused).filter,
        markerDisc: cs(marker).fill, markerRing: cs(marker).stroke, markerRingWidth: parseFloat(cs(marker).strokeWidth),
        clusterFill: cs(cluster.querySelector('circle')).fill, clusterStroke: cs(cluster.querySelector('circle')).stroke,
        clusterOpacity: cs(cluster.querySelector('circle')).fillOpacity, clusterText: cs(cluster.querySelector('text')).fill,
        swatchBorder: cs(swatch).borderTopColor, mapBg: cs(root.querySelector('.es-map')).backgroundColor,
      };
    });
    const rgb = (s) => s.match(/[\d.]+/g).slice(0, 3).map(Number);
    const lum = (s) => {
      const [r, g, b] = rgb(s).map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)];
      return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    };
    const at = (what, value, min) => assert.ok(value >= min, `${what}: ${value.toFixed(2)}:1 < ${min}:1 (${JSON.stringify(c)})`);
    // Every territory, « aucune » included, has an outline against the sea; the legend's swatches one against the
    // background.
    at('territory outline / sea', ratio(c.line, c.sea), 3);
    assert.ok(c.lineWidth >= 1, 'outline at least 1 px');
    at('swatch border / background', ratio(c.swatchBorder, c.mapBg), 3);
    // Neighbouring classes: equal luminance steps (3:1 between six classes would need a 243:1 range).
    for (let q = 1; q < 6; q++) at(`class ${q - 1} / class ${q}`, ratio(c.fills[q - 1], c.fills[q]), 1.55);
    assert.match(c.halo, /drop-shadow/, 'the focus ring has its light outer ring');
    assert.ok(c.ringWidth >= 3 && c.markerRingWidth >= 1.5, JSON.stringify(c));
    const haloColour = c.halo.match(/rgba?\([^)]*\)/)[0];
    at('focus ring: dark / light', ratio(c.ring, haloColour), 9);
    for (const [q, fill] of [...c.fills.entries(), ['sea', c.sea]]) {
      at(`focus ring (ring or halo) / ${q}`, Math.max(ratio(c.ring, fill), ratio(haloColour, fill)), 3);
      at(`marker (disc or ring) / ${q}`, Math.max(ratio(c.markerDisc, fill), ratio(c.markerRing, fill)), 3);
      at(`cluster (disc or ring) / ${q}`, Math.max(ratio(c.clusterFill, fill), ratio(c.clusterStroke, fill)), 3);
    }
    assert.equal(c.clusterOpacity, '1', 'the cluster disc is opaque: its count is read on its own colour');
    at('cluster count / cluster', ratio(c.clusterText, c.clusterFill), 4.5);
  });
}
