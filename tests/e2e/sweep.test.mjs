// Accessibility sweep: axe-core (WCAG 2.1 A/AA) in every state the widget can be in, keyboard-only paths with a
// visible focus indicator at every stop, and what a screen reader hears (Chromium's accessibility tree, through
// CDP): the names of controls, chips, list items and map items, and the reading order of the widget's parts.

import assert from 'node:assert/strict';

import {
  setupSuite, pageTest, waitForWidget, waitForAlert, assertStatus, assertNoAxeViolations, statusOf, statusText,
  resultNames, focusInfo, assertVisibleFocus, axTree, DEMO, DEMO_COUNT, territorySelect } from './helpers.mjs';

const env = setupSuite();
const ALL = statusText(DEMO_COUNT);
const PAGE = 't/script-tag.html';
const WIDGET_NAME = 'Explorateur des innovations sociales';
const FACETS = ['Thématique', "Stade de changement d'échelle", "Stratégie de changement d'échelle", "Rôle de l'acteur public"];
const mountPage = (params) => `t/mount.html?${new URLSearchParams(params)}`;

function widget(page) {
  return page.locator('div.essaimage');
}

async function openLoaded(page, server, hash = '') {
  await page.goto(server.url + PAGE + hash);
  const w = widget(page);
  await waitForWidget(w);
  return w;
}

/** The count a region option announces: « Bretagne (12) » → 12. */
async function regionCount(w, name) {
  const text = await (await territorySelect(w, 'Région')).locator('option', { hasText: new RegExp(`^${name} \\(`) }).innerText();
  return Number(/\((\d+)\)/.exec(text)[1]);
}

const innovations = (n) => `${n} innovation${n >= 2 ? 's' : ''}`;

// ---- axe-core in every state ----------------------------------------------------------------------------------

pageTest(env, 'axe: loading state (dataset held by the server)', async ({ page, server }) => {
  const dataset = '/fault/slow.json?hold=sweep-loading';
  try {
    await page.goto(server.url + mountPage({ dataset }));
    await server.waitForRequest(dataset);
    const host = page.locator('#widget');
    await host.locator('.es-loading[aria-busy=true]').waitFor();
    await assertNoAxeViolations(page, 'the loading state');
  } finally {
    server.release('sweep-loading');
  }
  await waitForWidget(page.locator('#widget'), ALL);
});

pageTest(env, 'axe: loaded, filtered, no result, detail open', async ({ page, server }) => {
  const w = await openLoaded(page, server);
  const r = await assertNoAxeViolations(page, 'the loaded widget');
  assert.ok(r.shadowNodesChecked, 'axe reached inside the shadow root');

  await (await territorySelect(w, 'Région')).selectOption('53');
  await w.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Emploi et insertion/ }).check();
  await w.getByRole('button', { name: 'Retirer le filtre Thématique : Emploi et insertion' }).waitFor();
  await assertNoAxeViolations(page, 'the filtered widget');

  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('xylophoneinexistant');
  await assertStatus(w, statusText(0, DEMO_COUNT));
  await w.locator('.es-empty').waitFor();
  await assertNoAxeViolations(page, 'no result');

  await w.locator('.es-chips').getByRole('button', { name: 'Tout effacer' }).click();
  await assertStatus(w, ALL);
  await w.locator('ol.es-list h4 a').first().click();
  await w.locator('.es-detail').waitFor();
  await assertNoAxeViolations(page, 'the detail');
});

pageTest(env, 'axe: error states (the widget\'s box for a 404, the loader\'s box for a wrong wasm MIME type)', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/fault/404.json' }));
  await waitForAlert(page.locator('#widget'));
  await assertNoAxeViolations(page, 'the 404 alert');
  await page.goto(server.url + mountPage({ dataset: '/innovations-demo.json', base: '/badmime/' }));
  await waitForAlert(page.locator('#widget'));
  await assertNoAxeViolations(page, 'the wasm MIME alert');
});

pageTest(env, 'axe: data report shown (data-debug) for a dataset with problems', async ({ page, server }) => {
  await page.goto(server.url + mountPage({ dataset: '/f/unsafe-links.json', debug: '1' }));
  const host = page.locator('#widget');
  await waitForWidget(host);
  await host.locator('.es-report').waitFor();
  await assertNoAxeViolations(page, 'the data report');
});

pageTest(env, 'axe: map active (clicked), zoomed to departments by the wheel; a cluster list', async ({ page, server }) => {
  const w = await openLoaded(page, server);
  const viewport = w.locator('.es-map-viewport');
  // A corner of the sea (the top left holds the overseas insets, which choose their region).
  const corner = await viewport.boundingBox();
  await viewport.click({ position: { x: corner.width - 12, y: 12 } });
  await w.locator('.es-map-viewport[data-active]').waitFor();
  // Zoom with the wheel until departments replace regions (bounded; each notch zooms by about 1.8).
  const box = await viewport.boundingBox();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.4);
  // Both layers stay in the document; the one not in use is hidden.
  // (`checkVisibility()` is true for an SVG shape inside a `display: none` group in Chromium; its boxes are not.)
  const shown = (selector) => w.locator(selector).evaluateAll((els) => els.filter((e) => e.getClientRects().length > 0).length);
  for (let i = 0; i < 6 && !(await shown('path.es-dep[role=button]')); i++) {
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(100);
  }
  assert.ok((await shown('path.es-dep[role=button]')) > 0, 'departments are shown');
  assert.equal(await shown('g.es-region[role=button]'), 0, 'departments, not regions');
  assert.equal(await w.getByLabel('Région', { exact: true }).inputValue(), '', 'the click chose no territory');
  await assertStatus(w, ALL);
  await assertNoAxeViolations(page, 'the active map, departments');

  // Île-de-France framed, clusters activated until one that cannot be split gives its list (Paris).
  await page.goto('about:blank');
  await openLoaded(page, server, '#e1.t=r11');
  for (let i = 0; i < 12 && !(await w.locator('.es-cluster-list').count()); i++) {
    await w.getByRole('button', { name: /^\d+ innovations autour de .+ : / }).first().focus();
    await page.keyboard.press('Enter');
  }
  await w.locator('.es-cluster-list').waitFor();
  await assertNoAxeViolations(page, 'the cluster list');
});

for (const view of ['Liste', 'Carte']) {
  pageTest(env, `axe at 375 px: ${view.toLowerCase()} view, filters unfolded`, { viewport: { width: 375, height: 740 } }, async ({ page, server }) => {
    const w = await openLoaded(page, server);
    await w.getByRole('button', { name: 'Afficher les filtres' }).click();
    await w.getByRole('button', { name: 'Masquer les filtres' }).waitFor();
    await w.getByLabel('Région', { exact: true }).waitFor();
    await w.getByRole('button', { name: view, exact: true }).click();
    assert.equal(await w.getByRole('button', { name: view, exact: true }).getAttribute('aria-pressed'), 'true');
    await (view === 'Carte' ? w.locator('.es-map') : w.locator('.es-list')).waitFor();
    await assertNoAxeViolations(page, `375 px, ${view}, filters unfolded`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scroll at 375 px (${overflow}px)`);
  });
}

// ---- keyboard only ---------------------------------------------------------------------------------------------

/**
 * Presses `key` until `predicate(focusInfo)` holds (at most `max` times), asserting after every press that focus
 * is inside the widget, on a displayed element with a visible focus indicator. Returns the focus reached.
 */
async function keyUntil(page, predicate, what, { key = 'Tab', max = 90 } = {}) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(key);
    const f = await assertVisibleFocus(page, `${key} #${i} towards ${what}`);
    if (predicate(f)) return f;
  }
  assert.fail(`${what} not reached with ${max} × ${key}; focus is on ${JSON.stringify(await focusInfo(page))}`);
}

/** Waits until focus satisfies `predicate`, then asserts it is visible. */
async function focusSettles(page, predicate, what) {
  await page.waitForFunction(`(${predicate.toString()})((() => { let el = document.activeElement; while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement; return el; })())`)
    .catch(async () => assert.fail(`${what}; focus is on ${JSON.stringify(await focusInfo(page))}`));
  return assertVisibleFocus(page, what);
}

pageTest(env, 'keyboard only: filter by region, open an innovation, come back, clear the filters; focus always visible, never on <body>', async ({ page, server }) => {
  const w = await openLoaded(page, server);
  // (Not read from the « Région » option: focusing the select to list its options would move the keyboard's start.)
  const bretagne = DEMO.innovations.filter((r) => r.origin.region === '53').length;

  // From the top of the page into the widget, and on to the « Région » select.
  await keyUntil(page, (f) => f.tag === 'select' && f.id === 'es-e1-region', 'the « Région » select');
  await page.keyboard.type('Bretagne');
  await assertStatus(w, statusText(bretagne, DEMO_COUNT));
  assert.equal(await w.getByLabel('Région', { exact: true }).inputValue(), '53');
  await assertVisibleFocus(page, 'the « Région » select after choosing Bretagne');

  // On to the first result, through every other filter.
  const link = await keyUntil(page, (f) => f.tag === 'a' && /(^#|&)e1\.open=/.test(f.href || ''), 'the first result link');
  const first = (await resultNames(w))[0];
  assert.equal(link.text, first, 'the first result link of the filtered list');

  // Enter opens it: focus on the detail's title.
  await page.keyboard.press('Enter');
  await w.locator('.es-detail').waitFor();
  const title = await focusSettles(page, (el) => !!el && el.matches('h3.es-detail-title'), "focus on the detail's title");
  assert.equal(title.text, first);

  // Back with the « Retour à la liste » button, reached by keyboard: focus on the same link.
  await keyUntil(page, (f) => f.tag === 'button' && f.text.includes('Retour à la liste'), '« Retour à la liste »', { key: 'Shift+Tab', max: 5 });
  await page.keyboard.press('Enter');
  await w.locator('.es-detail').waitFor({ state: 'detached' });
  const back = await focusSettles(page, new Function('el', `return !!el && el.tagName === 'A' && el.getAttribute('href') === ${JSON.stringify(link.href)}`),
    'focus back on the result link');
  assert.equal(back.text, first);

  // Back up to « Tout effacer » and clear: focus on the results heading, which reads the full count and the page.
  await keyUntil(page, (f) => f.tag === 'button' && f.text === 'Tout effacer', '« Tout effacer »', { key: 'Shift+Tab', max: 10 });
  await page.keyboard.press('Enter');
  await assertStatus(w, ALL);
  const heading = await focusSettles(page, (el) => !!el && el.matches('h3.es-results-title'), 'focus on the results heading');
  assert.equal(heading.text, `${ALL} — Page 1 sur 4`);
  assert.equal(await w.getByLabel('Région', { exact: true }).inputValue(), '');
  // The address follows at the next frame.
  await page.waitForFunction(() => location.hash === '', null, { timeout: 5000 }).catch(() => {});
  assert.equal(await page.evaluate(() => location.hash), '', 'no filter left in the address');
});

pageTest(env, 'keyboard only: Tab through the whole widget, map included; every stop has a visible focus indicator', async ({ page, server }) => {
  const w = await openLoaded(page, server);
  const stops = [];
  for (let i = 0; i < 250; i++) {
    await page.keyboard.press('Tab');
    const f = await focusInfo(page);
    if (f.body || !f.inShadow) {
      // Leaving the widget is allowed only past its last stop (the page has nothing focusable after it).
      assert.ok(stops.length > 0, `focus never entered the widget: ${JSON.stringify(f)}`);
      break;
    }
    assert.ok(f.visible, `stop ${i + 1} is not displayed: ${JSON.stringify(f)}`);
    assert.ok(f.indicator, `stop ${i + 1} has no visible focus indicator: ${JSON.stringify(f)}`);
    stops.push(f);
  }
  // Every tabbable element of the widget was a stop, once, in DOM order, and focus left only after the last one.
  const tabbable = await w.evaluate((host) => {
    const sel = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), summary, [tabindex]';
    return [...host.shadowRoot.querySelectorAll(sel)]
      .filter((el) => el.tabIndex >= 0 && el.getClientRects().length > 0 && !el.closest('[hidden], [display=none], [inert]'))
      .map((el) => el.tagName === 'SELECT' ? `select#${el.id}` : el.getAttribute('aria-label') || (el.querySelector(':scope > title') || {}).textContent || (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 120) || el.tagName.toLowerCase());
  });
  // A select by its id: a territory select lists all its options (its text) only while focused.
  assert.deepEqual(stops.map((f) => f.tag === 'select' ? `select#${f.id}` : f.label || f.text || f.tag), tabbable, 'the Tab stops are the widget\'s tabbable elements in DOM order');
  const has = (test, what) => assert.ok(stops.some(test), `${what} is a Tab stop (stops: ${stops.map((s) => s.label || s.text || s.tag).join(' | ')})`);
  has((f) => f.tag === 'input' && f.id === 'es-e1-search', 'the search box');
  has((f) => f.tag === 'select' && f.id === 'es-e1-region', 'the region select');
  has((f) => f.tag === 'a' && /e1\.open=/.test(f.href || ''), 'a result link');
  has((f) => f.className.includes('es-map-viewport'), 'the map');
  has((f) => f.className.includes('es-region'), 'a region of the map');
  has((f) => /es-cluster|es-marker/.test(f.className), 'a cluster or marker of the map');
  // Reading the last stops back with Shift+Tab also keeps a visible indicator and stays in the widget.
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Shift+Tab');
    await assertVisibleFocus(page, `Shift+Tab #${i + 1} from the end`);
  }
});

// WCAG 2.4.3 Focus Order / 2.4.7 Focus Visible on the map. Activating a territory or a cluster re-renders the map
// (regions are replaced by departments; clusters are recomputed for the new zoom level) and removes the element that
// had focus: focus must stay in the map (the chosen territory, the map itself, or what replaced the cluster) instead
// of falling to <body> (regression).

/** Waits up to 3 s for focus to be inside the widget's map; fails with where focus is. */
async function focusStaysInMap(page, what) {
  const ok = await page.waitForFunction(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return !!el && !!el.closest && !!el.closest('.es-map');
  }, null, { timeout: 3000 }).then(() => true, () => false);
  if (!ok) assert.fail(`${what}: focus left the map: ${JSON.stringify(await focusInfo(page))}`);
  return assertVisibleFocus(page, what);
}

pageTest(env, 'keyboard on the map: choosing a region with Enter keeps focus in the map', async ({ page, server }) => {
  const w = await openLoaded(page, server);
  const n = await regionCount(w, 'Bretagne');
  await keyUntil(page, (f) => f.label === `Bretagne : ${innovations(n)}`, 'the « Bretagne » region of the map', { max: 120 });
  await page.keyboard.press('Enter');
  await assertStatus(w, statusText(n, DEMO_COUNT));
  await w.getByRole('button', { name: /^Ille-et-Vilaine : / }).waitFor();
  await focusStaysInMap(page, 'after Enter on « Bretagne »');
});

pageTest(env, 'keyboard on the map: a cluster activated with Enter zooms and keeps focus in the map', async ({ page, server }) => {
  const w = await openLoaded(page, server);
  const f = await keyUntil(page, (x) => /^\d+ innovations autour de .+ : zoomer$/.test(x.label), 'a cluster of the map', { max: 150 });
  const before = await w.locator('.es-map-svg > g').getAttribute('transform');
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => document.querySelector('div.essaimage').shadowRoot.querySelector('.es-map-svg > g').getAttribute('transform') !== t, before);
  await focusStaysInMap(page, `after Enter on « ${f.label} »`);
});

pageTest(env, 'keyboard on the map: closing a cluster list with « Fermer » returns focus to the map', async ({ page, server }) => {
  // Setup: frame Île-de-France and activate clusters with Enter until one gives its list (Paris has co-located
  // innovations). Each cluster is focused directly, since activating one loses focus (see above).
  const w = await openLoaded(page, server, '#e1.t=r11');
  for (let i = 0; i < 12 && !(await w.locator('.es-cluster-list').count()); i++) {
    await w.getByRole('button', { name: /^\d+ innovations autour de .+ : / }).first().focus();
    await page.keyboard.press('Enter');
  }
  await w.locator('.es-cluster-list').waitFor();
  await focusSettles(page, (el) => !!el && el.matches('.es-cluster-list h4'), 'the cluster list takes focus on its heading');
  await keyUntil(page, (x) => x.tag === 'button' && x.text === 'Fermer', '« Fermer »', { max: 20 });
  await page.keyboard.press('Enter');
  await w.locator('.es-cluster-list').waitFor({ state: 'detached' });
  await focusStaysInMap(page, 'after « Fermer »');
});

// static/essaimage.css: `.es-dep[data-selected]` (and `.es-region[data-selected] .es-dep`) come after, with the same
// specificity as, `.es-dep:focus-visible` (and `.es-region:focus-visible .es-dep`), so the selected territory's
// black 1.6 px stroke replaces the 3 px focus stroke: the focused territory shows no focus indicator once chosen.
pageTest(env, 'keyboard on the map: a department chosen with Enter still shows its focus indicator', async ({ page, server }) => {
  const w = await openLoaded(page, server, '#e1.t=r53');
  await w.getByRole('button', { name: /^Ille-et-Vilaine : / }).waitFor();
  const f = await keyUntil(page, (x) => /^Ille-et-Vilaine : /.test(x.label), 'the « Ille-et-Vilaine » department', { max: 150 });
  await page.keyboard.press('Enter');
  await w.getByRole('button', { name: 'Retirer le filtre Territoire : Ille-et-Vilaine' }).waitFor();
  const after = await focusInfo(page);
  assert.equal(after.label, f.label, 'focus stays on the department');
  assert.ok(after.indicator, `the chosen, focused department has a visible focus indicator: ${JSON.stringify(after)}`);
});

// ---- what a screen reader hears --------------------------------------------------------------------------------

pageTest(env, 'accessible names: controls, facet groups, list items and map items (national view)', async ({ page, server }) => {
  const w = await openLoaded(page, server);
  await w.locator('.es-map-svg').waitFor({ state: 'attached' });
  const tree = await axTree(page);
  const regions = tree.findAll('region', WIDGET_NAME);
  assert.equal(regions.length, 1, `one widget region named « ${WIDGET_NAME} »`);
  const ax = tree.within(regions[0]);
  const dump = () => ax.dump();

  assert.ok(ax.find('searchbox', 'Rechercher'), `searchbox « Rechercher »\n${dump()}`);
  assert.ok(ax.find('combobox', 'Région'), 'combobox « Région »');
  assert.ok(ax.find('combobox', 'Département'), 'combobox « Département »');
  assert.ok(ax.find('combobox', 'Trier par'), 'combobox « Trier par »');
  assert.ok(ax.find('group', 'Territoire'), 'group « Territoire »');
  for (const legend of FACETS) {
    const group = ax.find('group', legend);
    assert.ok(group, `the facet group is named by its legend « ${legend} »`);
    const boxes = ax.within(group).findAll('checkbox');
    assert.ok(boxes.length >= 2, `« ${legend} » holds its checkboxes`);
    for (const b of boxes) assert.match(b.name, /^\S.* \(\d+\)$/, `a checkbox of « ${legend} » is named with its count: « ${b.name} »`);
  }
  assert.ok(ax.find('complementary', 'Filtres'), 'the filter panel is a complementary region « Filtres »');

  // The results: a region named by its heading; each item an article named by its title, in the list's order.
  const results = ax.find('region', 'Innovations');
  assert.ok(results, 'the results region is named « Innovations », whatever the count');
  const articles = ax.within(results).findAll('article').map((a) => a.name);
  assert.deepEqual(articles, await resultNames(w), 'each list item is an article named by its title');
  for (const name of articles) assert.ok(ax.find('link', name), `the link « ${name} »`);

  // The map: each region « Bretagne : N innovations », with the count the « Région » option gives.
  const map = ax.find('region', 'Carte des innovations');
  assert.ok(map, 'the map is a region « Carte des innovations »');
  const mapAx = ax.within(map);
  // RGAA 7.1, 11.9: the map's name is given once; its focusable area is a group with a name and the keys as its
  // description; map buttons are named by their <title> alone (no description repeating the name).
  assert.equal(ax.findAll(null, 'Carte des innovations').filter((n) => !['heading', 'StaticText', 'InlineTextBox'].includes(n.role)).length, 1,
    `« Carte des innovations » names one node\n${mapAx.dump()}`);
  const area = mapAx.find('group', 'Zone de la carte');
  assert.ok(area && /flèches/.test(area.description), 'the map area is a group « Zone de la carte » described by its keys');
  for (const b of ax.within(area).findAll('button')) assert.ok(b.description !== b.name, `« ${b.name} » has no description repeating it`);
  assert.ok(mapAx.find('button', 'Zoomer +') && mapAx.find('button', 'Dézoomer −'), '« + » and « − » are in their names (WCAG 2.5.3)');
  for (const name of ['Bretagne', 'Île-de-France', 'Auvergne-Rhône-Alpes', 'La Réunion']) {
    const n = await regionCount(w, name);
    assert.ok(mapAx.find('button', `${name} : ${innovations(n)}`), `map button « ${name} : ${innovations(n)} »\n${mapAx.dump()}`);
  }
  assert.equal(mapAx.findAll('button', /^.+ : \d+ innovations?$/).length, 18, 'the 18 regions are buttons named with their count');
  const clusters = mapAx.findAll('button', /^\d+ innovations autour de .+ : (zoomer|afficher la liste)$/);
  assert.ok(clusters.length >= 1, 'clusters are named « N innovations autour de <place> : zoomer » (or « … : afficher la liste »)');
  assert.equal(new Set(clusters.map((c) => c.name)).size, clusters.length, 'no two clusters have the same name');
  const markers = mapAx.findAll('button', / — /);
  const onMap = clusters.reduce((s, c) => s + Number(/^\d+/.exec(c.name)[0]), 0) + markers.length;
  assert.equal(onMap, DEMO_COUNT, 'clusters and markers together name every innovation once');
  for (const m of markers) {
    const [name] = m.name.split(' — ');
    assert.ok(DEMO.innovations.some((r) => r.name === name), `a marker is named « innovation — place »: « ${m.name} »`);
  }
  await assertNoAxeViolations(page, 'the national view');
});

pageTest(env, 'accessible names: chips and department buttons after filtering', async ({ page, server }) => {
  const w = await openLoaded(page, server);
  await (await territorySelect(w, 'Région')).selectOption('53');
  await w.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Emploi et insertion/ }).check();
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('a');
  await w.getByRole('button', { name: /^Retirer le filtre Rechercher/ }).waitFor();
  await w.getByRole('button', { name: /^Ille-et-Vilaine : / }).waitFor();
  const tree = await axTree(page);
  const ax = tree.within(tree.find('region', WIDGET_NAME));
  const chips = ax.find('list', 'Filtres actifs');
  assert.ok(chips, `the chips are a list « Filtres actifs »\n${ax.dump()}`);
  assert.deepEqual(ax.within(chips).findAll('button').map((b) => b.name), [
    'Retirer le filtre Territoire : Bretagne',
    'Retirer le filtre Thématique : Emploi et insertion',
    'Retirer le filtre Rechercher : « a »',
  ]);
  assert.ok(ax.find('button', 'Tout effacer'));
  const status = (await statusOf(w).innerText()).trim();
  assert.ok(ax.find('region', 'Innovations'), 'the results region keeps its name « Innovations » when filtered');
  // Zoomed on Bretagne, departments are buttons named with their count.
  const deps = ax.findAll('button', /^(Ille-et-Vilaine|Finistère|Morbihan|Côtes-d'Armor) : \d+ innovations?$/);
  assert.equal(deps.length, 4, `the four Breton departments are named with their count\n${ax.dump()}`);
  // The chosen territory's state is exposed, not only drawn (RGAA 7.1).
  const current = await w.locator('[aria-current=true]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || e.querySelector(':scope > title').textContent));
  assert.deepEqual(current.map((n) => n.split(' :')[0]), ['Bretagne'], 'the chosen region is aria-current');
});

// A cluster whose innovations are at the same place opens a list instead of zooming: its name must say so,
// « N innovations ici : afficher la liste » (regression: it said « zoomer »).
pageTest(env, 'accessible names: a cluster that opens a list (co-located innovations) says so', async ({ page, server }) => {
  const w = await openLoaded(page, server, '#e1.t=r11');
  let name = null;
  for (let i = 0; i < 12 && !(await w.locator('.es-cluster-list').count()); i++) {
    const cluster = w.getByRole('button', { name: /^\d+ innovations autour de .+ : / }).first();
    name = await cluster.locator('title').textContent();
    // By the keyboard: at a constant screen size, neighbouring clusters may overlap (see docs/TESTING.md).
    await cluster.focus();
    await page.keyboard.press('Enter');
  }
  await w.locator('.es-cluster-list').waitFor();
  const n = await w.locator('.es-cluster-list li').count();
  const expected = `${n} innovations autour de ${name.replace(/^\d+ innovations autour de (.+) : .*$/, '$1')} : afficher la liste`;
  assert.equal(name, expected, `the cluster that opened a list of ${n} is named « ${name} », not « ${expected} »`);
});

pageTest(env, 'reading order: title, filters, results (count, chips, list), map, credits', async ({ page, server }) => {
  const w = await openLoaded(page, server, '#e1.theme=habitat');
  await w.locator('.es-map-svg').waitFor({ state: 'attached' });
  const tree = await axTree(page);
  const region = tree.find('region', WIDGET_NAME);
  const ax = tree.within(region);
  const title = DEMO.title;
  const status = (await statusOf(w).innerText()).trim();
  const parts = [
    ['the title (heading level 2)', ax.find('heading', title)],
    ['the filters', ax.find('complementary', 'Filtres')],
    ['the search box', ax.find('searchbox', 'Rechercher')],
    ['the last facet group', ax.find('group', FACETS.at(-1))],
    ['the results heading', ax.find('heading', status)],
    ['the chips', ax.find('list', 'Filtres actifs')],
    ['the first result', ax.findAll('article')[0]],
    ['the map', ax.find('region', 'Carte des innovations')],
    ['the credits', ax.find('heading', 'Crédits')],
  ];
  for (const [what, node] of parts) assert.ok(node, `${what} is in the accessibility tree\n${ax.dump()}`);
  assert.equal(parts[0][1].level, 2, 'the title is a level-2 heading');
  for (let i = 1; i < parts.length; i++) {
    assert.ok(parts[i - 1][1].order < parts[i][1].order, `${parts[i - 1][0]} comes before ${parts[i][0]}`);
  }
  // The widget's region holds all of them, and nothing of the widget is outside it.
  const last = ax.nodes.at(-1);
  assert.ok(last.order >= parts.at(-1)[1].order);
  const outside = tree.nodes.filter((n) => n.role === 'heading' && n.name === 'Crédits' && !ax.nodes.includes(n));
  assert.equal(outside.length, 0);
  // Headings give the same outline: title (2) > results, map, credits (3) > items (4).
  const headings = ax.findAll('heading').map((h) => [h.level, h.name]);
  assert.deepEqual(headings.filter(([l]) => l <= 3).map(([l, n]) => `${l} ${n}`), [
    `2 ${title}`, `3 ${status}`, '3 Carte des innovations', '3 Crédits',
  ]);
  assert.ok(headings.filter(([l]) => l === 4).length >= 1, 'result titles are level-4 headings');
});
