// Themes (data-theme: dsfr, dark, auto and their mixes) and the compact layout, on the iframe page embed.html, which
// is the widget alone under the strict CSP (its <meta>): AA contrast in the list, the detail and the map; forced
// colours; auto following the reader's colour scheme; unknown values warned about.

import assert from 'node:assert/strict';

import {
  setupSuite, pageTest, waitForWidget, assertNoAxeViolations, assertVisibleFocus, focusInfo, statusText, DEMO_COUNT,
  territorySelect } from './helpers.mjs';

const env = setupSuite();
const ALL = statusText(DEMO_COUNT);
const OPEN = 'tzcld-pipriac-saint-ganton';

// embed.html is a frame's document, not a page: its landmarks and headings join those of the page that frames it,
// which has its own <main> and <h1> (a frame's own would be a second of each).
const FRAME = { off: ['landmark-one-main', 'page-has-heading-one'] };

function embedUrl(server, query = '') {
  return `${server.url}embed.html?dataset=/innovations-demo.json${query}`;
}

/** The widget's computed colours: the box's background, its text, the first result link, the map's sea. */
async function colours(page) {
  return page.evaluate(() => {
    const root = document.getElementById('essaimage').shadowRoot;
    const cs = (sel, prop) => { const el = root.querySelector(sel); return el ? getComputedStyle(el)[prop] : null; };
    return {
      theme: root.querySelector('.es-root').dataset.theme || null,
      bg: cs('.es', 'backgroundColor'),
      text: cs('.es', 'color'),
      sea: cs('.es-map-viewport', 'backgroundColor'),
    };
  });
}

for (const theme of ['', 'dark', 'dsfr', 'dsfr dark']) {
  const name = theme || 'light (default)';
  pageTest(env, `theme ${name}: no axe violation (colour contrast included) in the list, the map, a filter and the detail`, async ({ page, server }) => {
    await page.goto(embedUrl(server, theme ? `&theme=${encodeURIComponent(theme)}` : ''));
    await waitForWidget(page, ALL);
    await page.locator('.es-map .es-dep').first().waitFor();
    const c = await colours(page);
    assert.equal(c.theme, theme || null);
    if (theme.includes('dark')) assert.notEqual(c.bg, 'rgb(255, 255, 255)', 'a dark background');
    await assertNoAxeViolations(page, `the list and the map (${name})`, FRAME);
    await (await territorySelect(page, 'Région')).selectOption('53');
    await page.getByRole('group', { name: 'Thématique' }).getByRole('checkbox').first().check();
    await page.getByRole('button', { name: /^Retirer le filtre/ }).first().waitFor();
    await assertNoAxeViolations(page, `a filtered list with chips (${name})`, FRAME);
    await page.goto(embedUrl(server, `${theme ? `&theme=${encodeURIComponent(theme)}` : ''}#essaimage.open=${OPEN}`));
    await page.locator('.es-detail').waitFor();
    await assertNoAxeViolations(page, `the detail (${name})`, FRAME);
  });
}

pageTest(env, 'theme auto follows the emulated prefers-color-scheme, map included', async ({ page, server }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(embedUrl(server, '&theme=auto'));
  await waitForWidget(page, ALL);
  await page.locator('.es-map .es-dep').first().waitFor();
  const light = await colours(page);
  assert.equal(light.bg, 'rgb(255, 255, 255)');
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await colours(page);
  assert.equal(dark.bg, 'rgb(22, 25, 29)', 'the dark background');
  assert.equal(dark.sea, 'rgb(14, 18, 22)', 'the dark sea');
  await assertNoAxeViolations(page, 'auto in a dark colour scheme', FRAME);
  // Forced dark stays dark in a light scheme; light stays light in a dark one.
  await page.goto(embedUrl(server, '&theme=light'));
  await waitForWidget(page, ALL);
  assert.equal((await colours(page)).bg, 'rgb(255, 255, 255)');
});

pageTest(env, 'an unknown theme or layout word is warned about in the console and the rest is kept', async ({ page, server, capture }) => {
  await page.goto(embedUrl(server, '&theme=dsfr%20sepia&layout=tiny'));
  await waitForWidget(page, ALL);
  assert.equal((await colours(page)).theme, 'dsfr');
  const warnings = capture.consoleMessages.filter((m) => m.startsWith('[warning] Essaimage:'));
  assert.ok(warnings.some((m) => /theme "sepia" is unknown/.test(m)), warnings.join('\n'));
  assert.ok(warnings.some((m) => /layout "tiny" is unknown/.test(m)), warnings.join('\n'));
  // The widget does not warn about the loader's own options.
  assert.ok(!warnings.some((m) => /option "(theme|layout)"/.test(m)), warnings.join('\n'));
});

for (const theme of ['', 'dsfr', 'dark']) {
  pageTest(env, `forced colours (${theme || 'light'}): focus visible at every stop of a keyboard path, every territory and control drawn`, async ({ page, server }) => {
    await page.emulateMedia({ forcedColors: 'active' });
    await page.goto(embedUrl(server, theme ? `&theme=${theme}` : ''));
    await waitForWidget(page, ALL);
    await page.locator('.es-map .es-dep').first().waitFor();
    await page.getByRole('group', { name: 'Thématique' }).getByRole('checkbox').first().check();
    const kinds = new Set();
    await page.locator('body').focus();
    for (let i = 0; i < 90; i++) {
      await page.keyboard.press('Tab');
      const f = await focusInfo(page);
      if (f.body) break;
      await assertVisibleFocus(page, `Tab stop ${i + 1}`);
      kinds.add(f.tag === 'path' || f.tag === 'g' ? 'territory' : f.tag);
    }
    for (const kind of ['input', 'select', 'button', 'a', 'territory']) assert.ok(kinds.has(kind), `the path reached a ${kind}: ${[...kinds]}`);
    // Every territory has an outline of another colour than its fill; checked boxes and the chosen switch show.
    const drawn = await page.evaluate(() => {
      const root = document.getElementById('essaimage').shadowRoot;
      const deps = [...root.querySelectorAll('.es-dep')].filter((p) => !p.closest('[hidden], [display=none]'));
      const bad = deps.filter((p) => { const s = getComputedStyle(p); return s.stroke === s.fill || s.stroke === 'none' || parseFloat(s.strokeWidth) <= 0; });
      const box = root.querySelector('.es-options input:checked');
      return { deps: deps.length, bad: bad.length, checkbox: getComputedStyle(box).appearance };
    });
    assert.ok(drawn.deps > 10 && drawn.bad === 0, JSON.stringify(drawn));
  });
}

pageTest(env, 'layout compact: one column, filters behind their button, the list with the map behind the switch', async ({ page, server }) => {
  await page.goto(embedUrl(server, '&layout=compact'));
  await waitForWidget(page, ALL);
  assert.equal(await page.getByLabel('Région', { exact: true }).isVisible(), false, 'filters folded at 1280 px');
  assert.equal(await page.locator('.es-map').isVisible(), false, 'the map is behind its button');
  await page.locator('.es-list .es-item').first().waitFor();
  await page.getByRole('button', { name: 'Carte', exact: true }).click();
  await page.locator('.es-map .es-dep').first().waitFor({ state: 'visible' });
  assert.equal(await page.locator('.es-list').isVisible(), false);
  await page.getByRole('button', { name: 'Liste', exact: true }).click();
  await page.getByRole('button', { name: 'Afficher les filtres' }).click();
  await page.getByLabel('Région', { exact: true }).waitFor({ state: 'visible' });
  await assertNoAxeViolations(page, 'the compact card', FRAME);
});
