// Accessibility: axe-core (WCAG 2.1 A/AA) on every state, a keyboard-only path, and the live region.

import assert from 'node:assert/strict';

import {
  setupSuite, pageTest, waitForWidget, waitForAlert, assertStatus, assertNoAxeViolations, focusedElement, statusText,
  DEMO, DEMO_COUNT, territorySelect } from './helpers.mjs';

const env = setupSuite();
const ALL = statusText(DEMO_COUNT);
const PAGE = 't/script-tag.html';
const BRETAGNE = DEMO.innovations.filter((r) => r.origin && r.origin.region === '53').length;

function widget(page) {
  return page.locator('div.essaimage');
}

/** Presses Tab until `predicate(focused)` holds, at most `max` times; returns the number of presses. */
async function tabUntil(page, predicate, what, max = 80, key = 'Tab') {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(key);
    const f = await focusedElement(page);
    if (f && predicate(f)) return i;
  }
  assert.fail(`${what} not reached with ${max} × ${key}; focus is on ${JSON.stringify(await focusedElement(page))}`);
}

/** Waits until the focused element (through shadow roots) satisfies the predicate, given as a page function. */
async function waitForFocus(page, fn, arg, what, timeout = 5000) {
  try {
    await page.waitForFunction(`(${fn})((() => { let el = document.activeElement; while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement; return el; })(), ${JSON.stringify(arg)})`, null, { timeout });
  } catch {
    assert.fail(`${what}; focus is on ${JSON.stringify(await focusedElement(page))}`);
  }
}

pageTest(env, 'axe: loaded state (and the audit reaches inside the shadow root)', async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  await waitForWidget(widget(page), ALL);
  const r = await assertNoAxeViolations(page, 'the loaded widget');
  assert.ok(r.shadowNodesChecked, 'axe checked nodes inside the shadow root');
});

pageTest(env, 'axe: the demo page (index.html, strict CSP meta) once loaded', async ({ page, server }) => {
  await page.goto(server.url);
  await waitForWidget(page, ALL);
  await assertNoAxeViolations(page, 'the demo page');
});

pageTest(env, 'axe: filtered state with chips', async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  await (await territorySelect(w, 'Région')).selectOption('53');
  await w.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Emploi et insertion/ }).check();
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('territoire');
  await w.getByRole('button', { name: /^Retirer le filtre Rechercher/ }).waitFor();
  await assertNoAxeViolations(page, 'the filtered widget');
});

pageTest(env, 'axe: detail state', async ({ page, server }) => {
  await page.goto(server.url + PAGE + '#e1.open=tzcld-pipriac-saint-ganton');
  await waitForWidget(widget(page), ALL);
  await widget(page).locator('.es-detail').waitFor();
  await assertNoAxeViolations(page, 'the detail');
});

pageTest(env, 'axe: empty state', async ({ page, server }) => {
  await page.goto(server.url + PAGE + '#e1.q=xylophoneinexistant');
  await waitForWidget(widget(page), statusText(0, DEMO_COUNT));
  await widget(page).locator('.es-empty').waitFor();
  // One « Tout effacer » (the chips'), not two buttons of the same name.
  assert.equal(await widget(page).getByRole('button', { name: 'Tout effacer' }).count(), 1);
  // The map's keyboard help is shown, not only read.
  const help = await widget(page).locator('.es-map > p[id$=map-help]').boundingBox();
  assert.ok(help && help.width > 100 && help.height > 10, `the map's help is on screen: ${JSON.stringify(help)}`);
  await assertNoAxeViolations(page, 'the empty state');
});

pageTest(env, 'axe: error state (404)', { allowConsoleErrors: true }, async ({ page, server }) => {
  await page.goto(server.url + 't/error-404.html');
  await waitForAlert(page.locator('[data-essaimage]'));
  await assertNoAxeViolations(page, 'the error box');
});

pageTest(env, 'axe: English widget', async ({ page, server }) => {
  await page.goto(server.url + 't/div-en.html');
  await waitForWidget(page.locator('#explorer'), '65 innovations');
  await assertNoAxeViolations(page, 'the English widget');
});

pageTest(env, 'axe at 375 px wide; the filter panel folds behind a toggle button', { viewport: { width: 375, height: 740 } }, async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  const toggle = w.getByRole('button', { name: 'Afficher les filtres' });
  await toggle.waitFor();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
  assert.equal(await w.getByLabel('Région', { exact: true }).isVisible(), false, 'filters folded on a narrow screen');
  await assertNoAxeViolations(page, 'the widget at 375 px');
  // Nothing overflows the viewport horizontally.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls horizontally by ${overflow}px at 375 px`);

  await toggle.click();
  const hide = w.getByRole('button', { name: 'Masquer les filtres' });
  await hide.waitFor();
  assert.equal(await hide.getAttribute('aria-expanded'), 'true');
  await w.getByLabel('Région', { exact: true }).waitFor();
  await (await territorySelect(w, 'Région')).selectOption('53');
  await w.getByRole('button', { name: 'Masquer les filtres (1)' }).waitFor();
  await assertNoAxeViolations(page, 'the widget at 375 px with filters open');
});

pageTest(env, 'keyboard only: region, result, detail and back, with focus where it belongs', async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);

  // Tab to the region select and choose Bretagne by typing, as a keyboard user does.
  await tabUntil(page, (f) => f.tag === 'select' && f.id === 'es-e1-region', 'the « Région » select', 10);
  await page.keyboard.type('Bretagne');
  await assertStatus(w, statusText(BRETAGNE, DEMO_COUNT));
  assert.equal(await w.getByLabel('Région', { exact: true }).inputValue(), '53');

  // Tab on to the first result link.
  await tabUntil(page, (f) => f.tag === 'a' && /(^#|&)e1\.open=/.test(f.href || ''), 'a result link');
  const link = await focusedElement(page);

  // Enter opens the detail and moves focus to its heading.
  await page.keyboard.press('Enter');
  await w.locator('.es-detail').waitFor();
  await waitForFocus(page, (el, name) => !!el && el.matches('h3.es-detail-title') && el.textContent.trim() === name, link.text,
    "focus on the detail's heading");

  // Escape closes it and puts focus back on the same link.
  await page.keyboard.press('Escape');
  await w.locator('.es-detail').waitFor({ state: 'detached' });
  await waitForFocus(page, (el, href) => !!el && el.tagName === 'A' && el.getAttribute('href') === href, link.href,
    'focus back on the result link after Escape');

  // Again, closing with the « Retour à la liste » button (reached by keyboard).
  await page.keyboard.press('Enter');
  await w.locator('.es-detail').waitFor();
  await waitForFocus(page, (el) => !!el && el.matches('h3.es-detail-title'), null, "focus on the detail's heading");
  await tabUntil(page, (f) => f.tag === 'button' && f.text.includes('Retour à la liste'), 'the « Retour à la liste » button', 5, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await w.locator('.es-detail').waitFor({ state: 'detached' });
  await waitForFocus(page, (el, href) => !!el && el.tagName === 'A' && el.getAttribute('href') === href, link.href,
    'focus back on the result link after « Retour à la liste »');
});

pageTest(env, 'keyboard: a checkbox toggles with Space and the live region reports the new count', async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  await tabUntil(page, (f) => f.tag === 'input' && f.id === 'es-e1-themes-habitat', 'the « Habitat et logement » checkbox');
  await page.keyboard.press('Space');
  const n = DEMO.innovations.filter((r) => r.themes.includes('habitat')).length;
  await assertStatus(w, statusText(n, DEMO_COUNT));
});

pageTest(env, 'the live region is one stable role=status element whose text is the new count after a filter change', async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  const status = w.locator('.es-main > p[role=status]');
  assert.equal(await status.count(), 1);
  assert.equal(await status.getAttribute('aria-atomic'), 'true');
  // Mark the node: a live region that is replaced instead of updated is not announced by screen readers.
  await status.evaluate((el) => { el.__marked = true; });
  await (await territorySelect(w, 'Région')).selectOption('53');
  await assertStatus(w, statusText(BRETAGNE, DEMO_COUNT));
  assert.equal(await status.evaluate((el) => el.__marked === true), true, 'the same live-region node was updated');
  assert.equal((await status.innerText()).trim(), `${BRETAGNE} innovations sur ${DEMO_COUNT}`);
  // The visible count (the results heading) says the same.
  assert.equal((await w.locator('h3.es-results-title').innerText()).trim(), `${BRETAGNE} innovations sur ${DEMO_COUNT}`);
  await w.getByRole('button', { name: 'Tout effacer', exact: true }).click();
  await assertStatus(w, ALL);
  assert.equal(await status.evaluate((el) => el.__marked === true), true);
});

// WCAG 4.1.3: typing « soli » key by key updates the list at each keystroke, but the live region says the count
// once, when the typing pauses (not three times); a checkbox's count is said at once. Every text the region takes is
// recorded in the page; an empty region (while typing) says nothing.
pageTest(env, 'the live region says a search\'s count once the typing pauses, a checkbox\'s at once', async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  await w.evaluate((el) => {
    const r = el.shadowRoot;
    const status = r.querySelector('.es-main > p[role=status]');
    window.__said = [];
    window.__events = [];
    new MutationObserver(() => window.__said.push({ text: status.textContent.trim(), at: performance.now() }))
      .observe(status, { childList: true, characterData: true, subtree: true });
    for (const type of ['input', 'change']) r.addEventListener(type, () => window.__events.push({ type, at: performance.now() }), true);
  });
  const heading = w.locator('h3.es-results-title');
  const box = w.getByRole('searchbox', { name: 'Rechercher' });
  await box.focus();
  const shown = [];
  for (const key of 'soli') {
    await box.press(key);
    await page.waitForTimeout(120);
    shown.push((await heading.innerText()).trim());
  }
  const final = shown.at(-1).replace(/ — .*/, '');
  await assertStatus(w, final);
  await page.waitForTimeout(1000);
  const typed = await page.evaluate(() => ({ said: window.__said, events: window.__events }));
  assert.ok(new Set(shown).size >= 2, `the list follows each keystroke: ${JSON.stringify(shown)}`);
  const said = typed.said.filter((s) => s.text);
  assert.deepEqual(said.map((s) => s.text), [final], `one announcement, the final count: ${JSON.stringify(typed.said)}`);
  const lastKey = typed.events.filter((e) => e.type === 'input').at(-1).at;
  assert.ok(said[0].at - lastKey >= 500, `said ${Math.round(said[0].at - lastKey)} ms after the last keystroke`);

  await page.evaluate(() => { window.__said = []; window.__events = []; });
  await w.getByRole('button', { name: 'Tout effacer', exact: true }).click();
  await assertStatus(w, ALL);
  await w.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  const n = DEMO.innovations.filter((r) => r.themes.includes('habitat')).length;
  await assertStatus(w, statusText(n, DEMO_COUNT));
  const checked = await page.evaluate(() => ({ said: window.__said, events: window.__events }));
  assert.deepEqual(checked.said.map((s) => s.text), [ALL, statusText(n, DEMO_COUNT)], 'each filter change said once');
  const change = checked.events.filter((e) => e.type === 'change').at(-1).at;
  assert.ok(checked.said.at(-1).at - change < 400, `a checkbox's count said ${Math.round(checked.said.at(-1).at - change)} ms after the change`);
});

// WCAG 2.4.3 Focus Order: closing a detail opened from a shared link (#e1.open=<id>) whose record is not on the
// list page shown turns the list to that record's page and focuses its link (regression: focus fell to <body>).
pageTest(env, 'closing a detail opened from a link turns the list to its page and focuses its link', async ({ page, server }) => {
  await page.goto(server.url + PAGE + '#e1.open=tzcld-pipriac-saint-ganton');
  const w = widget(page);
  await waitForWidget(w, ALL);
  await w.locator('.es-detail').waitFor();
  await w.getByRole('button', { name: 'Retour à la liste' }).click();
  await w.locator('.es-detail').waitFor({ state: 'detached' });
  await waitForFocus(page, (el) => !!el && el.getAttribute('href') === '#e1.open=tzcld-pipriac-saint-ganton',
    null, "focus on the record's link after closing the detail");
});

// WCAG 2.4.3 Focus Order: removing an active-filter chip (or « Tout effacer ») with the keyboard keeps focus in the
// widget — on the chip now at its place, or on the results heading (« N innovations ») when none is left
// (regression: focus fell to <body>, sending keyboard users back to the top of the page).
pageTest(env, 'removing a filter chip with the keyboard keeps focus in the widget', async ({ page, server }) => {
  const w = widget(page);
  const inWidget = (el) => !!el && (el.matches('.es-chip') || el.matches('h3.es-results-title'));
  // The first of several chips (territory), then the only chip left.
  for (const [hash, name] of [
    ['#e1.t=r53&e1.theme=habitat,lien-social', 'Retirer le filtre Territoire : Bretagne'],
    ['#e1.theme=habitat', 'Retirer le filtre Thématique : Habitat et logement'],
  ]) {
    await page.goto(server.url + PAGE + hash);
    await page.reload();
    await waitForWidget(w);
    const chip = w.getByRole('button', { name, exact: true });
    await chip.focus();
    await page.keyboard.press('Enter');
    await chip.waitFor({ state: 'detached' });
    await waitForFocus(page, inWidget, null, `after « ${name} » (${hash}), focus on another chip or the results heading`);
  }
});

pageTest(env, '« Tout effacer » used with the keyboard puts focus on the results heading', async ({ page, server }) => {
  await page.goto(server.url + PAGE + '#e1.theme=habitat');
  const w = widget(page);
  await waitForWidget(w);
  await w.locator('.es-chips').getByRole('button', { name: 'Tout effacer' }).focus();
  await page.keyboard.press('Enter');
  await assertStatus(w, ALL);
  await waitForFocus(page, (el) => !!el && el.matches('h3.es-results-title'), null,
    'focus on the results heading (« 65 innovations ») after « Tout effacer »');
});

// ---- The map by the keyboard (RGAA 10.7, 12.8 / WCAG 2.4.3, 2.4.7, 2.4.11) --------------------------------------

/** The focused element (through the shadow root): its box, the map viewport's box, and what it is. */
const focusOnMap = (page) => page.evaluate(() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  const viewport = el && el.closest && el.closest('.es-map-viewport');
  if (!viewport || el === viewport) return null;
  const [b, v] = [el.getBoundingClientRect(), viewport.getBoundingClientRect()];
  return { label: el.getAttribute('aria-label') || (el.querySelector(':scope > title') || {}).textContent, b: [b.left, b.top, b.right, b.bottom], v: [v.left, v.top, v.right, v.bottom] };
});

for (const zooms of [1, 2]) {
  pageTest(env, `map zoomed ×${2 ** zooms}: every Tab stop in the map is on screen`, async ({ page, server }) => {
    await page.goto(server.url + PAGE);
    const w = widget(page);
    await waitForWidget(w, ALL);
    await w.locator('.es-map-viewport').focus();
    for (let i = 0; i < zooms; i++) await page.keyboard.press('+');
    await page.keyboard.press('ArrowLeft');
    const transform = await w.locator('.es-map-svg > g').getAttribute('transform');
    const offScreen = await w.locator('.es-map-svg [role=button]').evaluateAll((els) => {
      const v = els[0].closest('.es-map-viewport').getBoundingClientRect();
      return els.filter((e) => { const b = e.getBoundingClientRect(); return b.width && (b.right < v.left || b.left > v.right || b.bottom < v.top || b.top > v.bottom); })
        .map((e) => e.getAttribute('tabindex'));
    });
    assert.ok(offScreen.length > 0, 'some map buttons are rendered off screen at this zoom');
    assert.deepEqual([...new Set(offScreen)], ['-1'], 'no map button off screen is in the tab order');
    let stops = 0;
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      // Focus may move the map to show its node whole: let it settle.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const f = await focusOnMap(page);
      if (!f) break;
      stops++;
      const inside = f.b[0] >= f.v[0] - 1 && f.b[1] >= f.v[1] - 1 && f.b[2] <= f.v[2] + 1 && f.b[3] <= f.v[3] + 1;
      const larger = f.b[2] - f.b[0] >= f.v[2] - f.v[0] || f.b[3] - f.b[1] >= f.v[3] - f.v[1];
      if (larger) assert.ok(f.b[0] < f.v[2] && f.b[2] > f.v[0] && f.b[1] < f.v[3] && f.b[3] > f.v[1], `« ${f.label} » is on screen`);
      else assert.ok(inside, `« ${f.label} » focused at zoom ×${2 ** zooms} is shown whole: ${JSON.stringify(f)}`);
    }
    assert.ok(stops > 0, 'the map has Tab stops');
    assert.ok(transform, 'the map moved');
  });
}

pageTest(env, 'keyboard on the map: Escape closes the cluster list and focus goes back to its cluster', async ({ page, server }) => {
  await page.goto(server.url + PAGE + '#e1.t=r11');
  const w = widget(page);
  await waitForWidget(w);
  let label = null;
  for (let i = 0; i < 12 && !(await w.locator('.es-cluster-list').count()); i++) {
    const cluster = w.locator('g.es-cluster').first();
    label = await cluster.locator('title').textContent();
    await cluster.focus();
    await page.keyboard.press('Enter');
  }
  await w.locator('.es-cluster-list').waitFor();
  await waitForFocus(page, (el) => !!el && el.matches('.es-cluster-list h4'), null, 'the list takes focus on its heading');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await w.locator('.es-cluster-list').waitFor({ state: 'detached' });
  await waitForFocus(page, (el, label) => !!el && (el.getAttribute('aria-label') || (el.querySelector(':scope > title') || {}).textContent) === label, label, 'focus back on the cluster');
});

pageTest(env, 'keyboard on the map: a detail opened from a marker gives focus back to that marker', async ({ page, server }) => {
  await page.goto(server.url + PAGE + '#e1.t=d35');
  const w = widget(page);
  await waitForWidget(w);
  const marker = w.locator('g.es-marker').first();
  for (let i = 0; i < 8 && !(await marker.count()); i++) {
    await w.locator('g.es-cluster').first().focus();
    await page.keyboard.press('Enter');
  }
  const record = await marker.getAttribute('data-r');
  await marker.focus();
  await page.keyboard.press('Enter');
  await w.locator('.es-detail').waitFor();
  await page.keyboard.press('Escape');
  await w.locator('.es-detail').waitFor({ state: 'detached' });
  await waitForFocus(page, (el, r) => !!el && el.getAttribute('data-r') === r, record, 'focus back on the marker');
});

// RGAA 9.1: under a host's h2, the widget's title is an h3 and every heading follows (headingLevel / data-heading-level).
pageTest(env, 'headingLevel 3: the title is an h3, the results, map and detail titles h4, an item h5', async ({ page, server }) => {
  await page.goto(server.url + 't/mount.html?dataset=/innovations-demo.json&headingLevel=3');
  const host = page.locator('#widget');
  await waitForWidget(host);
  const levels = await host.evaluate((el) => {
    const r = el.shadowRoot;
    const tag = (sel) => (r.querySelector(sel) || {}).tagName;
    return { title: tag('.es-title'), results: tag('.es-results-title'), map: tag('.es-map-title'), item: tag('.es-item-title'), credits: tag('.es-credits .es-visually-hidden') };
  });
  assert.deepEqual(levels, { title: 'H3', results: 'H4', map: 'H4', item: 'H5', credits: 'H4' });
  await host.locator('.es-item-title a').first().click();
  await host.locator('h4.es-detail-title').waitFor();
  await assertNoAxeViolations(page, 'the widget at heading level 3');
});

// Forced colours (Windows high contrast): the pressed view switch differs from the others, and the legend's
// swatches keep the colours of the territories they explain.
pageTest(env, 'forced colours: pressed switch distinct, legend swatches as coloured as the territories', { contextOptions: { forcedColors: 'active' } }, async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  const bg = (loc) => loc.evaluate((el) => getComputedStyle(el).backgroundColor);
  const pressed = await bg(w.locator('.es-switch[aria-pressed=true]').first());
  const other = await bg(w.locator('.es-switch[aria-pressed=false]').first());
  assert.notEqual(pressed, other, 'the pressed switch has another background');
  const swatch = await bg(w.locator('.es-swatch[data-q="5"]').first());
  const fill = await w.locator('.es-dep[data-q="5"]').first().evaluate((el) => getComputedStyle(el).fill);
  assert.equal(swatch, fill, 'the darkest swatch is the darkest territory\'s colour');
});

// RGAA 12.8 / WCAG 2.4.3: the screen's order of the list and the map is the DOM's (the keyboard's) at every width:
// side by side (list on the left) or the map after the list, never the map drawn above a list reached first.
for (const width of [1280, 1024, 800, 375]) {
  pageTest(env, `${width} px: the list and the map are on screen in their DOM (tab) order`, { viewport: { width, height: 900 } }, async ({ page, server }) => {
    await page.goto(server.url + PAGE);
    const w = widget(page);
    await waitForWidget(w, ALL);
    await w.locator('.es-map-svg').waitFor({ state: 'attached' });
    const o = await w.evaluate((el) => {
      const r = el.shadowRoot;
      // The first tab stop of each pane (a result's link, the map's first tool).
      const list = r.querySelector('.es-list-pane a[href]');
      const map = r.querySelector('.es-map-pane button');
      const box = (e) => { const b = e.getBoundingClientRect(); return { top: b.top, left: b.left, shown: b.width > 0 }; };
      return { dom: list.compareDocumentPosition(map) & Node.DOCUMENT_POSITION_FOLLOWING ? 'list, map' : 'map, list', list: box(list), map: box(map), width: r.querySelector('.es').getBoundingClientRect().width };
    });
    assert.equal(o.dom, 'list, map');
    if (!o.map.shown) return; // a phone: one of the two at a time (the « Liste / Carte » switch)
    // The list's first link comes first on screen: above the map's tools, or level with them and to their left.
    const first = o.list.top < o.map.top - 1 || (Math.abs(o.list.top - o.map.top) < o.map.top && o.list.left < o.map.left);
    assert.ok(first, `the map is drawn before the list on screen: ${JSON.stringify(o)}`);
  });
}

// WCAG 1.4.4 / RGAA 10.4: with the reader's text size doubled (32 px), closed selects show their whole text (the
// layout takes its one-column form), and the map's labels grow too.
pageTest(env, 'text size doubled: closed selects are not cut; map labels grow', { viewport: { width: 1280, height: 900 } }, async ({ page, server }) => {
  await page.goto(server.url + PAGE);
  const w = widget(page);
  await waitForWidget(w, ALL);
  await w.locator('.es-cluster').first().waitFor();
  const sizes = () => w.evaluate((el) => {
    const r = el.shadowRoot;
    const px = (sel) => parseFloat(getComputedStyle(r.querySelector(sel)).fontSize);
    // An inset's name: in the map's zoomed units, in em of the widget's text.
    return { cluster: px('.es-cluster text'), inset: px('.es-inset text') };
  });
  const before = await sizes();
  // The reader's text size: the widget's text follows `medium`, which the browser's setting changes; the widget's
  // --essaimage-font-size stands for it here.
  await page.addStyleTag({ content: 'div.essaimage { --essaimage-font-size: 32px }' });
  await page.waitForFunction(() => getComputedStyle(document.querySelector('div.essaimage')).fontSize === '32px');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const cut = await w.evaluate((el) => {
    const r = el.shadowRoot;
    const out = [];
    for (const s of r.querySelectorAll('select')) {
      if (!s.getBoundingClientRect().width) continue;
      const probe = document.createElement('span');
      probe.style.font = getComputedStyle(s).font;
      probe.style.whiteSpace = 'pre';
      probe.textContent = s.options[s.selectedIndex].text;
      r.append(probe);
      const text = probe.getBoundingClientRect().width;
      probe.remove();
      const cs = getComputedStyle(s);
      // The room for the text: the box less its padding and the arrow (about 1.5 em).
      const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 1.5 * parseFloat(cs.fontSize);
      if (text > room) out.push(`${s.options[s.selectedIndex].text}: ${Math.round(text)} px in ${Math.round(room)} px`);
    }
    return out;
  });
  assert.deepEqual(cut, [], 'selects whose text is cut');
  const after = await sizes();
  assert.ok(after.cluster >= before.cluster * 1.9, `cluster counts grow: ${JSON.stringify([before, after])}`);
  assert.ok(after.inset >= before.inset * 1.9, `inset names grow: ${JSON.stringify([before, after])}`);
});

// WCAG 1.4.4 / RGAA 10.4: with the reader's text size doubled, words wrap at spaces (or after a hyphen); a word is
// broken only when it alone is wider than its box (a long address still wraps rather than overflowing).
for (const width of [375, 1280]) {
  pageTest(env, `text size doubled at ${width} px: no word broken that fits its box`, { viewport: { width, height: 900 } }, async ({ page, server }) => {
    await page.goto(server.url + PAGE + '#e1.open=' + DEMO.innovations[0].id);
    const w = widget(page);
    await waitForWidget(w, ALL);
    await page.addStyleTag({ content: 'div.essaimage { --essaimage-font-size: 32px }' });
    await page.waitForFunction(() => getComputedStyle(document.querySelector('div.essaimage')).fontSize === '32px');
    const faults = [];
    for (const state of ['detail', 'list', 'filters', 'map', 'synthesis']) {
      if (state === 'list') await w.getByRole('button', { name: /^Retour à la liste/ }).first().click();
      if (state === 'filters' && width < 600) await w.getByRole('button', { name: /^Afficher les filtres/ }).click();
      if (state === 'map' && width < 600) await w.getByRole('button', { name: 'Carte', exact: true }).click();
      if (state === 'synthesis') await w.getByRole('button', { name: 'Synthèse', exact: true }).click();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const broken = await w.evaluate((el) => {
        const r = el.shadowRoot;
        const out = [];
        const walker = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
        const probe = document.createElement('span');
        probe.style.whiteSpace = 'pre';
        probe.style.position = 'absolute';
        let n;
        while ((n = walker.nextNode())) {
          const parent = n.parentElement;
          if (!parent || parent.closest('svg, select, .es-visually-hidden') || !parent.getClientRects().length) continue;
          let box = parent;
          while (getComputedStyle(box).display.startsWith('inline')) box = box.parentElement;
          const bs = getComputedStyle(box);
          const room = box.clientWidth - parseFloat(bs.paddingLeft) - parseFloat(bs.paddingRight);
          const lines = (start, end) => {
            const range = document.createRange();
            range.setStart(n, start);
            range.setEnd(n, end);
            return new Set([...range.getClientRects()].filter((b) => b.width > 0).map((b) => Math.round(b.top))).size;
          };
          const cs = getComputedStyle(parent);
          for (const m of n.data.matchAll(/\S+/g)) {
            if (lines(m.index, m.index + m[0].length) < 2) continue;
            // A line may end after a hyphen: a word is broken if one of its parts is.
            const parts = [...m[0].matchAll(/[^-\u2010-\u2014]+[-\u2010-\u2014]*/g)];
            if (parts.every((p) => lines(m.index + p.index, m.index + p.index + p[0].length) < 2)) continue;
            probe.style.font = cs.font;
            probe.style.letterSpacing = cs.letterSpacing;
            probe.textContent = m[0];
            parent.append(probe);
            const wide = probe.getBoundingClientRect().width;
            probe.remove();
            if (wide <= room) out.push(`« ${m[0]} » (${Math.round(wide)} px) in <${box.localName} class="${box.getAttribute('class') || ''}"> (${Math.round(room)} px)`);
          }
        }
        return out;
      });
      faults.push(...broken.map((b) => `${state}: broken though it fits: ${b}`));
      // Nor does a whole word widen the widget past the page (a wide table scrolls in its own box).
      const wide = await w.evaluate((el) => {
        const right = el.getBoundingClientRect().right + 1;
        const scrolls = (e) => { for (; e; e = e.parentElement) if (/auto|scroll/.test(getComputedStyle(e).overflowX)) return true; return false; };
        return [...el.shadowRoot.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > right && !scrolls(e.parentElement))
          .map((e) => `<${e.localName} class="${e.getAttribute('class') || ''}"> ${Math.round(e.getBoundingClientRect().right)} px`);
      });
      faults.push(...wide.map((e) => `${state}: past the widget's right edge: ${e}`));
    }
    assert.deepEqual(faults, []);
  });
}
