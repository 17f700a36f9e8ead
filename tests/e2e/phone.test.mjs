// On a phone (375 × 800, touch): a map people can read and touch, a layout that reaches the results, places found by
// the search, « Autour de » a place.

import assert from 'node:assert/strict';

import {
  setupSuite, pageTest, waitForWidget, assertStatus, statusText, focusedElement, assertNoAxeViolations, DEMO,
  DEMO_COUNT, territorySelect, waitForHash, resultNames, fold } from './helpers.mjs';

const env = setupSuite();
const PHONE = { viewport: { width: 375, height: 800 }, contextOptions: { hasTouch: true, isMobile: true } };
const PAGE = 't/script-tag.html';
const OVERSEAS = ['Guadeloupe', 'Martinique', 'Guyane', 'La Réunion', 'Mayotte'];

async function open(page, server, hash = '') {
  await page.goto(server.url + PAGE + hash);
  const w = page.locator('div.essaimage');
  await waitForWidget(w);
  return w;
}

/** Shows the map (the list is shown first on a phone) and waits for its nodes to have their screen size. */
async function showMap(page, w) {
  await w.getByRole('button', { name: 'Carte', exact: true }).click();
  await w.locator('.es-map-svg').waitFor();
  await page.waitForFunction(() => {
    const root = document.querySelector('div.essaimage').shadowRoot;
    const m = root.querySelector('.es-marker, .es-cluster');
    return m && m.getBoundingClientRect().width >= 24;
  });
}

/** Boxes (CSS px) of the shown elements matching `selector` in the widget. */
const boxes = (page, selector) => page.evaluate((sel) => {
  const root = document.querySelector('div.essaimage').shadowRoot;
  return [...root.querySelectorAll(sel)].map((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height, name: el.getAttribute('aria-label') || el.textContent };
  }).filter((b) => b.w > 0 || b.h > 0);
}, selector);

/** Boxes of the mainland's territories on screen (regions or departments, overseas ones aside). */
const mainlandBoxes = (page) => page.evaluate((overseas) => {
  const root = document.querySelector('div.essaimage').shadowRoot;
  const vp = root.querySelector('.es-map-viewport').getBoundingClientRect();
  return [...root.querySelectorAll('g:not([display]) > .es-region, g:not([display]) > path.es-dep')]
    .filter((el) => !overseas.some((n) => (el.getAttribute('aria-label') || (el.querySelector(':scope > title') || {}).textContent || '').startsWith(n + ' :')))
    .map((el) => el.getBoundingClientRect())
    .filter((r) => r.right > vp.left && r.left < vp.right && r.bottom > vp.top && r.top < vp.bottom)
    .map((r) => ({ x: Math.max(r.x, vp.left), y: Math.max(r.y, vp.top), w: Math.min(r.right, vp.right) - Math.max(r.x, vp.left), h: Math.min(r.bottom, vp.bottom) - Math.max(r.y, vp.top) }));
}, OVERSEAS);

const overlaps = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

pageTest(env, 'every marker, cluster and overseas inset is a touch target of at least 24 × 24 px; labels at least 11 px', PHONE, async ({ page, server }) => {
  const w = await open(page, server);
  await showMap(page, w);
  const targets = await boxes(page, '.es-marker, .es-cluster');
  assert.ok(targets.length > 0);
  for (const b of targets) assert.ok(b.w >= 24 && b.h >= 24, `${b.name}: ${b.w} × ${b.h}`);
  const insets = await boxes(page, 'g:not([display]) > .es-region');
  for (const name of OVERSEAS) {
    const b = insets.find((x) => x.name.startsWith(name + ' :'));
    assert.ok(b && b.w >= 24 && b.h >= 24, `${name}: ${JSON.stringify(b)}`);
  }
  const labels = await boxes(page, '.es-inset text, .es-cluster text');
  for (const b of labels) assert.ok(b.h >= 11, `label « ${b.name} » ${b.h} px high`);
  // Zoomed in, markers and clusters keep their size.
  await w.getByRole('button', { name: 'Zoomer +', exact: true }).click();
  await w.getByRole('button', { name: 'Zoomer +', exact: true }).click();
  for (const b of await boxes(page, '.es-marker, .es-cluster')) assert.ok(b.w >= 24 && b.w <= 64, `zoomed: ${b.name}: ${b.w}`);
  // Markers show their stage by shape and colour, with a legend.
  await w.locator('.es-stage-legend').waitFor();
  assert.ok((await w.locator('.es-stage-legend .es-legend-item').count()) >= 2);
  await assertNoAxeViolations(page, 'phone map');
});

for (const [hash, name] of [['#e1.t=r53', 'Bretagne'], ['#e1.t=r01', 'Guadeloupe']]) {
  pageTest(env, `zoomed on ${name}: no inset or label larger than in the national view, none over the mainland`, PHONE, async ({ page, server }) => {
    let w = await open(page, server);
    await showMap(page, w);
    const national = await boxes(page, '.es-inset rect, .es-inset text');
    const maxW = Math.max(...national.map((b) => b.w));
    const maxLabel = Math.max(...(await boxes(page, '.es-inset text')).map((b) => b.h));
    await page.goto('about:blank');
    w = await open(page, server, hash);
    await showMap(page, w);
    const mainland = await mainlandBoxes(page);
    for (const b of await boxes(page, '.es-inset rect, .es-inset text')) {
      assert.ok(b.w <= maxW + 1 && b.h <= Math.max(maxLabel, 24) + 1, `« ${b.name} » ${b.w} × ${b.h} (national: ${maxW})`);
    }
    for (const b of await boxes(page, '.es-inset rect, .es-inset text, .es-map-place')) {
      for (const m of mainland) assert.ok(!overlaps(b, m), `« ${b.name} » over the mainland`);
    }
    if (name === 'Guadeloupe') {
      assert.equal((await w.locator('.es-map-place').innerText()).trim(), 'Guadeloupe', 'the inset shown is named');
      const size = await w.locator('.es-map-place').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      assert.ok(size >= 11 && size <= maxLabel, `the inset's name at ${size} px (national: ${maxLabel} px high)`);
    } else {
      assert.equal(await w.locator('.es-inset, .es-map-place').count(), 0, 'the insets step aside');
    }
  });
}

pageTest(env, 'the cluster list follows the cluster chosen last and closes when the view moves on', async ({ page, server }) => {
  const w = await open(page, server, '#e1.t=r11');
  const list = w.locator('.es-cluster-list');
  let chosen = null;
  for (let i = 0; i < 12 && !(await list.count()); i++) {
    const cluster = w.getByRole('button', { name: /^\d+ innovations autour de .+ : / }).first();
    chosen = await cluster.getAttribute('data-c');
    await cluster.focus();
    await page.keyboard.press('Enter');
  }
  await list.waitFor();
  const first = await list.locator('li').allInnerTexts();
  const others = w.locator(`.es-cluster:not([data-c="${chosen}"])`);
  if (await others.count()) {
    const label = await others.first().locator('title').textContent();
    await others.first().focus();
    await page.keyboard.press('Enter');
    if (/zoomer$/.test(label)) await list.waitFor({ state: 'detached' });
    else assert.notDeepEqual(await list.locator('li').allInnerTexts(), first, 'the list is the new cluster\'s');
  }
  if (await list.count()) {
    await w.getByRole('button', { name: 'Dézoomer −', exact: true }).click();
    await list.waitFor({ state: 'detached' });
  }
});

pageTest(env, 'the map\'s zoom and centre are in the shared link, and a link restores them', async ({ page, server }) => {
  const w = await open(page, server);
  await w.getByRole('button', { name: 'Zoomer +', exact: true }).click();
  const hash = await waitForHash(page, /e1\.v=2,500,400/);
  const transform = await w.locator('.es-map-svg > g').getAttribute('transform');
  await page.goto('about:blank');
  const w2 = await open(page, server, hash.replace(/^#?/, '#'));
  assert.equal(await w2.locator('.es-map-svg > g').getAttribute('transform'), transform);
  // Back to the whole view: the key goes away (replacing the entry, as moving the map does).
  await w2.getByRole('button', { name: "Vue d'ensemble" }).click();
  await page.waitForFunction(() => !location.hash.includes('e1.v='));
});

// ---- the phone layout --------------------------------------------------------------------------------------------

pageTest(env, 'the Liste/Carte switch is in one place, above the list and the map, and stays on screen', PHONE, async ({ page, server }) => {
  const w = await open(page, server);
  const switches = w.locator('.es-switches');
  const listTop = (await switches.boundingBox()).y;
  assert.ok(listTop < (await w.locator('.es-list').boundingBox()).y, 'above the list');
  await w.getByRole('button', { name: 'Carte', exact: true }).click();
  await w.locator('.es-map').waitFor();
  assert.equal((await switches.boundingBox()).y, listTop, 'same place in both views');
  assert.ok(listTop < (await w.locator('.es-map').boundingBox()).y, 'above the map');
  await w.getByRole('button', { name: 'Liste', exact: true }).click();
  await page.mouse.wheel(0, 1500);
  await page.waitForFunction(() => window.scrollY > 500);
  const b = await switches.boundingBox();
  assert.ok(b.y >= -1 && b.y < 80, `sticky: ${b.y}`);
});

pageTest(env, '« Voir les N résultats » closes the filter panel and brings focus to the results heading', PHONE, async ({ page, server }) => {
  const w = await open(page, server);
  await w.getByRole('button', { name: /^Afficher les filtres/ }).click();
  await w.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  const n = DEMO.innovations.filter((r) => (r.themes || []).includes('habitat')).length;
  const button = w.getByRole('button', { name: `Voir les ${n} résultats` });
  await button.click();
  await page.waitForFunction(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el && el.classList.contains('es-results-title');
  });
  assert.equal(await w.locator('.es-filters-panel').isVisible(), false, 'the panel is closed');
  await assertNoAxeViolations(page, 'after « Voir les résultats »');
});

pageTest(env, 'checkboxes and options are 44 px touch targets on a touch screen', PHONE, async ({ page, server }) => {
  const w = await open(page, server);
  await w.getByRole('button', { name: /^Afficher les filtres/ }).click();
  assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true);
  for (const b of await boxes(page, '.es-options li:not([hidden]), .es-select, .es-input, .es-switch')) {
    assert.ok(b.h >= 44, `${b.name.slice(0, 40)}: ${b.h}`);
  }
  await assertNoAxeViolations(page, 'filters on a touch screen');
});

pageTest(env, 'a select changed with the arrow keys adds one history entry for the whole interaction', async ({ page, server }) => {
  const w = await open(page, server);
  const before = await page.evaluate(() => history.length);
  const region = await territorySelect(w, 'Région');
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
  await waitForHash(page, /e1\.t=r/);
  await page.keyboard.press('Tab');
  await page.waitForTimeout(400);
  assert.equal(await page.evaluate(() => history.length), before + 1, 'one entry');
  const chosen = await region.inputValue();
  assert.notEqual(chosen, '');
  await page.goBack();
  await assertStatus(w, statusText(DEMO_COUNT));
});

pageTest(env, 'keyboard only: the skip link reaches a result in at most 10 Tab stops', PHONE, async ({ page, server }) => {
  const w = await open(page, server);
  await page.locator('body').focus();
  let found = false;
  for (let i = 0; i < 10 && !found; i++) {
    await page.keyboard.press('Tab');
    const f = await focusedElement(page);
    if (f.className.includes('es-skip')) {
      await page.keyboard.press('Enter');
      continue;
    }
    found = f.tag === 'a' && (await page.evaluate(() => {
      let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      return !!el.closest('.es-item');
    }));
  }
  assert.ok(found, 'a result link is focused');
  await page.keyboard.press('Enter');
  await w.locator('.es-detail-title').waitFor();
});

// ---- search that finds places ------------------------------------------------------------------------------------

pageTest(env, 'the search finds places: « Bretagne », « 35000 » and « marseile » give what a visitor expects', PHONE, async ({ page, server }) => {
  const w = await open(page, server);
  await w.getByRole('button', { name: /^Afficher les filtres/ }).click();
  const search = w.getByRole('searchbox', { name: 'Rechercher' });
  assert.match(await w.locator('.es-hint').first().innerText(), /code postal/, 'the hint says what the box searches');
  await search.fill('Bretagne');
  await w.getByRole('button', { name: 'Innovations en Bretagne' }).click();
  assert.equal(await w.getByLabel('Région', { exact: true }).inputValue(), '53');
  assert.equal(await search.inputValue(), '', 'a territory, not a text filter');
  await search.fill('35000');
  await w.getByRole('button', { name: 'Innovations : Ille-et-Vilaine (35)' }).click();
  assert.equal(await w.getByLabel('Département', { exact: true }).inputValue(), '35');
  await w.locator('.es-chips').getByRole('button', { name: 'Tout effacer' }).click();
  await search.fill('marseille');
  const exact = await w.locator('.es-results-title').innerText();
  assert.doesNotMatch(exact, /^0 /);
  await search.fill('marseile');
  await w.getByRole('button', { name: 'Innovations à Marseille' }).waitFor();
  assert.equal(await w.locator('.es-results-title').innerText(), exact, 'one typo tolerated');
  await assertNoAxeViolations(page, 'place suggestions');
});

// ---- « Autour de » a place -------------------------------------------------------------------------------------

/** Rennes as the commune table has it (data/communes.csv, 35238), and Marseille's Vieux-Port (a visitor). */
const RENNES = { lon: -1.68188, lat: 48.11156 };
const VIEUX_PORT = { latitude: 43.2951, longitude: 5.3740 };

/** Great-circle distance, km (the sphere of mean radius 6,371.0088 km). */
function km(a, b) {
  const rad = Math.PI / 180;
  const h = Math.sin((b.lat - a.lat) * rad / 2) ** 2
    + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin((b.lon - a.lon) * rad / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(h));
}

/** The demo's records within `radius` km of `centre` (a record's distance is its nearest place's), nearest first. */
function around(centre, radius) {
  return DEMO.innovations
    .map((r) => ({ r, d: Math.min(...[r.origin, ...(r.replicas || [])].filter((p) => p && p.lat != null).map((p) => km(centre, p))) }))
    .filter((x) => x.d <= radius)
    .sort((a, b) => a.d - b.d || fold(a.r.name).localeCompare(fold(b.r.name)));
}

const distanceText = (d) => (Math.round(d) === 0 ? "à moins d'1 km" : `à ${Math.round(d)} km`);

async function assertAround(w, expected) {
  await assertStatus(w, statusText(expected.length, DEMO_COUNT));
  assert.deepEqual(await resultNames(w), expected.slice(0, 20).map((x) => x.r.name), 'nearest first');
  assert.deepEqual(await w.locator('.es-item-distance').allInnerTexts(), expected.slice(0, 20).map((x) => distanceText(x.d)));
}

pageTest(env, '« Autour de » a commune chosen by postcode: the records within the radius, nearest first, with their distance and counts; in the link', async ({ page, server, capture }) => {
  const w = await open(page, server);
  assert.ok(!capture.requests.some((u) => u.includes('communes.csv')), 'the commune table waits until it is needed');
  const field = w.getByRole('group', { name: 'Autour de' }).getByRole('searchbox', { name: 'Commune ou code postal' });
  await field.focus();
  await field.fill('35000');
  await w.getByRole('button', { name: 'Rennes (35)', exact: true }).click();
  const r25 = around(RENNES, 25);
  assert.ok(r25.length > 0 && r25.length < DEMO_COUNT);
  await assertAround(w, r25);
  assert.equal(await w.getByLabel('Trier par').inputValue(), 'distance');
  assert.equal(await field.inputValue(), 'Rennes (35)');
  await w.getByLabel('Rayon').selectOption('50');
  const r50 = around(RENNES, 50);
  assert.ok(r50.length > r25.length);
  await assertAround(w, r50);
  // The other facets are counted under the radius.
  const theme = r50[0].r.themes[0];
  const count = r50.filter((x) => x.r.themes.includes(theme)).length;
  assert.equal((await w.locator(`label[for="es-e1-themes-${theme}"] .es-count`).innerText()).trim(), `(${count})`);
  await waitForHash(page, /e1\.t=a50,-168188,4811156,Rennes \(35\)/);
  await assertNoAxeViolations(page, 'around a commune');
  // A link shows the same, without the commune table.
  const requests = capture.requests.length;
  await page.reload();
  await waitForWidget(w);
  await assertAround(w, r50);
  assert.ok(!capture.requests.slice(requests).some((u) => u.includes('communes.csv')));
  assert.ok(capture.requests.every((u) => u.startsWith(server.url)), 'no request leaves the page\'s origin');
  // By name, then the search's commune suggestion: 25 km around it.
  await w.getByRole('button', { name: 'Tout effacer' }).first().click();
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('Rennes');
  await w.getByRole('button', { name: 'Innovations à Rennes et alentours' }).click();
  await assertStatus(w, statusText(around(RENNES, 25).length, DEMO_COUNT));
});

pageTest(env, '« Autour de moi »: the position asked only on the button, the records around it, never in the link', {
  contextOptions: { permissions: ['geolocation'], geolocation: VIEUX_PORT },
}, async ({ page, server }) => {
  await page.addInitScript(() => {
    const g = navigator.geolocation;
    const ask = g.getCurrentPosition.bind(g);
    window.asked = 0;
    g.getCurrentPosition = (...args) => { window.asked++; return ask(...args); };
  });
  const w = await open(page, server);
  await w.getByRole('group', { name: 'Autour de' }).getByRole('searchbox').focus();
  assert.equal(await page.evaluate(() => window.asked), 0, 'not asked before the button');
  await w.getByRole('button', { name: 'Autour de moi' }).click();
  const expected = around({ lat: VIEUX_PORT.latitude, lon: VIEUX_PORT.longitude }, 25);
  assert.ok(expected.length > 0);
  await assertAround(w, expected);
  assert.equal(await page.evaluate(() => window.asked), 1);
  await page.waitForTimeout(400);
  assert.doesNotMatch(await page.evaluate(() => location.hash), /e1\.(t|sort)=/, 'the position is not in the link');
  await assertNoAxeViolations(page, 'around me');
});

for (const [label, options, script] of [
  ['refused', {}, null],
  ['absent', {}, () => Object.defineProperty(Navigator.prototype, 'geolocation', { get: () => undefined })],
]) {
  pageTest(env, `« Autour de moi », geolocation ${label}: the widget says so and works the same`, options, async ({ page, server, context }) => {
    if (script) await page.addInitScript(script);
    else await context.clearPermissions();
    const w = await open(page, server);
    await w.getByRole('button', { name: 'Autour de moi' }).click();
    const note = w.getByRole('group', { name: 'Autour de' }).getByRole('status');
    await note.filter({ hasText: /choisir une commune/ }).waitFor();
    assert.match(await note.innerText(), label === 'refused' ? /n'a pas été partagée/ : /n'a pas pu être trouvée/);
    await assertStatus(w, statusText(DEMO_COUNT));
    await assertNoAxeViolations(page, `geolocation ${label}`);
  });
}
