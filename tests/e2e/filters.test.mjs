// Filtering, searching, sorting and paging the demo dataset, as a visitor does (form (a) page).

import assert from 'node:assert/strict';

import {
  setupSuite, pageTest, waitForWidget, assertStatus, statusText, resultNames, focusedElement, fold, DEMO, DEMO_COUNT, territorySelect } from './helpers.mjs';

const env = setupSuite();
const ALL = statusText(DEMO_COUNT);
const STAGES = ['amorcage', 'experimentation', 'consolidation', 'essaimage', 'changement-echelle', 'generalisation'];
const STAGE_LABELS = ['Amorçage', 'Expérimentation', 'Consolidation', 'Essaimage', 'Diffusion à grande échelle', 'Généralisation'];
const BRETAGNE_DEPARTMENTS = ['22', '29', '35', '56'];

async function open(page, server) {
  await page.goto(server.url + 't/script-tag.html');
  const w = page.locator('div.essaimage');
  await waitForWidget(w, ALL);
  return w;
}

/** Reads « Label (N) » into N. */
function countIn(text) {
  const m = /\((\d[\d\u202F]*)\)\s*$/.exec(text.trim());
  assert.ok(m, `no count in « ${text} »`);
  return Number(m[1].replace(/\u202F/g, ''));
}

function themeBox(w, name) {
  return w.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: new RegExp(`^${name} \\(`) });
}

pageTest(env, 'choosing region « Bretagne » updates the count to the number its option announced', async ({ page, server }) => {
  const w = await open(page, server);
  const region = await territorySelect(w, 'Région');
  const option = await region.locator('option', { hasText: /^Bretagne \(/ }).innerText();
  const n = countIn(option);
  assert.ok(n > 0 && n < DEMO_COUNT, option);
  await region.selectOption({ label: option });
  await assertStatus(w, statusText(n, DEMO_COUNT));
  assert.equal(await w.locator('.es-item').count(), Math.min(n, 20));
  // Every result starts in a Breton department.
  for (const place of await w.locator('.es-item-place').allInnerTexts()) {
    assert.ok(BRETAGNE_DEPARTMENTS.some((d) => place.endsWith(`(${d})`)), `« ${place} » is not in Bretagne`);
  }
  // The department list narrows to Bretagne's departments.
  const deps = (await (await territorySelect(w, 'Département')).locator('option').allInnerTexts()).slice(1);
  assert.deepEqual(deps.map((d) => d.split(' ')[0]).sort(), BRETAGNE_DEPARTMENTS);
  // A chip shows the active territory.
  await w.getByRole('button', { name: 'Retirer le filtre Territoire : Bretagne' }).waitFor();
});

pageTest(env, 'a theme checkbox filters, shows a removable chip, and removing the chip restores everything', async ({ page, server }) => {
  const w = await open(page, server);
  const box = themeBox(w, 'Habitat et logement');
  const n = countIn(await w.getByRole('group', { name: 'Thématique' }).locator('label').filter({ hasText: /^Habitat et logement/ }).innerText());
  const expected = DEMO.innovations.filter((r) => (r.themes || []).includes('habitat')).length;
  assert.equal(n, expected, 'the count next to the checkbox matches the data');
  await box.check();
  await assertStatus(w, statusText(n, DEMO_COUNT));
  const chip = w.getByRole('button', { name: 'Retirer le filtre Thématique : Habitat et logement', exact: true });
  await chip.waitFor();
  assert.equal(await w.locator('.es-item').count(), n);
  for (const tags of await w.locator('.es-item .es-tags').allInnerTexts()) {
    assert.match(tags, /Habitat et logement/);
  }
  await chip.click();
  await assertStatus(w, ALL);
  await chip.waitFor({ state: 'detached' });
  assert.equal(await box.isChecked(), false);
  assert.equal(await w.locator('.es-chips').count(), 0);
});

pageTest(env, '« Tout effacer » clears territory, themes and search at once', async ({ page, server }) => {
  const w = await open(page, server);
  await (await territorySelect(w, 'Région')).selectOption('11');
  await themeBox(w, 'Emploi et insertion').check();
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('a');
  await w.getByRole('button', { name: /^Retirer le filtre Rechercher/ }).waitFor();
  assert.equal(await w.locator('.es-chip').count(), 3);
  await w.getByRole('button', { name: 'Tout effacer', exact: true }).click();
  await assertStatus(w, ALL);
  assert.equal(await w.locator('.es-chip').count(), 0);
  assert.equal(await w.getByLabel('Région', { exact: true }).inputValue(), '');
  assert.equal(await themeBox(w, 'Emploi et insertion').isChecked(), false);
  assert.equal(await w.getByRole('searchbox', { name: 'Rechercher' }).inputValue(), '');
});

pageTest(env, 'searching « economie » without accent finds the records that say « économie »', async ({ page, server }) => {
  const w = await open(page, server);
  const haystack = (r) => [r.name, r.summary, r.origin && r.origin.commune, ...(r.replicas || []).map((p) => p.commune)].join(' ');
  const expected = DEMO.innovations.filter((r) => fold(haystack(r)).includes('economie'));
  assert.ok(expected.length > 0 && expected.every((r) => /[ée]conomie/i.test(haystack(r))));
  assert.ok(expected.some((r) => /économie/i.test(haystack(r))), 'the data has the accented spelling');
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('economie');
  await assertStatus(w, statusText(expected.length, DEMO_COUNT));
  assert.deepEqual((await resultNames(w)).sort(), expected.map((r) => r.name).sort());
  // Upper case with accents gives the same results.
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('ÉCONOMIE');
  await assertStatus(w, statusText(expected.length, DEMO_COUNT));
  assert.deepEqual((await resultNames(w)).sort(), expected.map((r) => r.name).sort());
});

pageTest(env, 'a search with no result shows the empty state and a way out', async ({ page, server }) => {
  const w = await open(page, server);
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('xylophoneinexistant');
  await assertStatus(w, statusText(0, DEMO_COUNT));
  await w.getByText('Aucun résultat ne correspond à ces critères.', { exact: true }).waitFor();
  assert.equal(await w.locator('.es-list').count(), 0);
  await w.locator('.es-chips').getByRole('button', { name: 'Tout effacer' }).click();
  await assertStatus(w, ALL);
  assert.equal(await w.locator('.es-empty').count(), 0);
});

pageTest(env, 'sorting by stage puts the most advanced stages first', async ({ page, server }) => {
  const w = await open(page, server);
  const firstByName = (await resultNames(w))[0];
  await w.getByLabel('Trier par').selectOption({ label: 'Stade (du plus avancé)' });
  await w.locator('.es-item').first().locator('.es-stage', { hasText: 'Généralisation' }).waitFor();
  const names = await resultNames(w);
  assert.notEqual(names[0], firstByName, 'the first item changed');
  const stages = (await w.locator('.es-item .es-stage').allInnerTexts()).map((s) => STAGE_LABELS.indexOf(s.trim()));
  assert.ok(stages.every((s) => s >= 0), `unknown stage labels: ${stages}`);
  for (let i = 1; i < stages.length; i++) assert.ok(stages[i] <= stages[i - 1], `stage order broken at item ${i + 1}: ${stages}`);
  const top = Math.max(...DEMO.innovations.map((r) => STAGES.indexOf(r.stage)));
  assert.equal(stages[0], top);
  // Within a stage, items keep the name order.
  const demoByName = new Map(DEMO.innovations.map((r) => [r.name, r]));
  const sameStage = names.filter((n) => demoByName.get(n).stage === 'generalisation').map(fold);
  assert.deepEqual(sameStage, [...sameStage].sort());
  await assertStatus(w, ALL);
});

pageTest(env, 'the next page shows items 21–40 and moves focus to the results heading', async ({ page, server }) => {
  const w = await open(page, server);
  const page1 = await resultNames(w);
  assert.equal(page1.length, 20);
  await w.getByText('Page 1 sur 4', { exact: true }).waitFor();
  assert.ok(await w.getByRole('button', { name: 'Page précédente' }).isDisabled());
  await w.getByRole('button', { name: 'Page suivante' }).click();
  await w.getByText('Page 2 sur 4', { exact: true }).waitFor();
  const list = w.locator('ol.es-list');
  assert.equal(await list.getAttribute('start'), '21');
  const page2 = await resultNames(w);
  assert.equal(page2.length, 20);
  assert.ok(!page2.some((n) => page1.includes(n)), 'page 2 repeats items of page 1');
  const sortedAll = DEMO.innovations.map((r) => r.name).sort((a, b) => (fold(a) < fold(b) ? -1 : fold(a) > fold(b) ? 1 : 0));
  assert.deepEqual(page2, sortedAll.slice(20, 40), 'page 2 holds items 21 to 40 of the name order');
  const focused = await focusedElement(page);
  assert.equal(focused && focused.tag, 'h3', `focus is on ${JSON.stringify(focused)}`);
  assert.equal(focused.className, 'es-results-title');
  assert.equal(focused.text, `${ALL} — Page 2 sur 4`, 'the results heading is the count and the page');
  // Page 3 holds items 41–60; the last page the 5 others, numbered from 61; the next button is disabled.
  await w.getByRole('button', { name: 'Page suivante' }).click();
  await w.getByText('Page 3 sur 4', { exact: true }).waitFor();
  assert.equal(await list.getAttribute('start'), '41');
  assert.equal(await w.locator('.es-item').count(), 20);
  await w.getByRole('button', { name: 'Page suivante' }).click();
  await w.getByText('Page 4 sur 4', { exact: true }).waitFor();
  assert.equal(await list.getAttribute('start'), '61');
  assert.equal(await w.locator('.es-item').count(), DEMO_COUNT - 60);
  assert.ok(await w.getByRole('button', { name: 'Page suivante' }).isDisabled());
  // Changing a filter goes back to the first page.
  await themeBox(w, 'Emploi et insertion').check();
  await w.getByText(/^Page 1 sur \d+$/).waitFor();
  assert.equal(await list.getAttribute('start'), '1');
});

pageTest(env, 'facet counts follow the other active filters', async ({ page, server }) => {
  const w = await open(page, server);
  await (await territorySelect(w, 'Région')).selectOption('53');
  const inBzh = DEMO.innovations.filter((r) => r.origin && r.origin.region === '53');
  const box = w.getByRole('group', { name: 'Thématique' }).locator('label').filter({ hasText: /^Emploi et insertion/ });
  const expected = inBzh.filter((r) => (r.themes || []).includes('emploi-insertion')).length;
  await box.filter({ hasText: `(${expected})` }).waitFor();
  assert.equal(countIn(await box.innerText()), expected);
});

pageTest(env, 'a closed territory select lists only its choice; pressed or focused, every option with its count', async ({ page, server }) => {
  const w = await open(page, server);
  const region = w.getByLabel('Région', { exact: true });
  const texts = () => region.locator('option').allInnerTexts();
  assert.deepEqual(await texts(), ['Toutes les régions'], 'closed: only the choice');
  // A pointer press lists every region before the list opens (the press comes before the opening).
  const box = await region.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await region.locator('option').nth(1).waitFor({ state: 'attached' });
  const all = await texts();
  await page.mouse.up();
  await page.keyboard.press('Escape');
  assert.ok(all.length >= 14, `every region is listed: ${all.join(' | ')}`);
  const bretagne = all.find((t) => t.startsWith('Bretagne ('));
  assert.equal(countIn(bretagne), DEMO.innovations.filter((r) => r.origin.region === '53').length);
  await region.selectOption('53');
  await assertStatus(w, statusText(countIn(bretagne), DEMO_COUNT));
  // Focus elsewhere: the closed select keeps « all » and its choice, whose count follows the other filters.
  await themeBox(w, 'Emploi et insertion').check();
  const both = DEMO.innovations.filter((r) => r.origin.region === '53' && (r.themes || []).includes('emploi-insertion')).length;
  await assertStatus(w, statusText(both, DEMO_COUNT));
  assert.deepEqual(await texts(), ['Toutes les régions', `Bretagne (${both})`]);
  assert.equal(await region.inputValue(), '53');
  // Focused (as Tab does): every region again, with the counts of the current filters.
  await region.focus();
  await region.locator('option').nth(2).waitFor({ state: 'attached' });
  const again = await texts();
  assert.equal(again.length, all.length);
  assert.ok(again.includes(`Bretagne (${both})`), again.join(' | '));
});

pageTest(env, 'on a touch screen, a tap on a closed territory select lists every option', { viewport: { width: 375, height: 740 }, contextOptions: { hasTouch: true, isMobile: true } }, async ({ page, server }) => {
  const w = await open(page, server);
  await w.getByRole('button', { name: 'Afficher les filtres' }).tap();
  const region = w.getByLabel('Région', { exact: true });
  assert.equal(await region.locator('option').count(), 1, 'closed: only « Toutes les régions »');
  await region.tap();
  await region.locator('option').nth(1).waitFor({ state: 'attached' });
  assert.ok((await region.locator('option').count()) >= 14, 'every region is listed');
  await region.selectOption('53');
  await assertStatus(w, statusText(DEMO.innovations.filter((r) => r.origin.region === '53').length, DEMO_COUNT));
});

pageTest(env, 'territory is hierarchical: region, then department, then commune', async ({ page, server }) => {
  const w = await open(page, server);
  await (await territorySelect(w, 'Région')).selectOption('53');
  const department = await territorySelect(w, 'Département');
  const option = await department.locator('option', { hasText: /^35 – Ille-et-Vilaine \(/ }).innerText();
  await department.selectOption('35');
  const in35 = DEMO.innovations.filter((r) => r.origin.department === '35');
  assert.equal(countIn(option), in35.length);
  await assertStatus(w, statusText(in35.length, DEMO_COUNT));
  await w.getByRole('button', { name: 'Retirer le filtre Territoire : Ille-et-Vilaine', exact: true }).waitFor();
  // The commune select appears, listing the department's communes of the dataset.
  await w.getByLabel('Commune', { exact: true }).waitFor();
  // Closed, it lists only « Toutes les communes »; in use, every commune of the department.
  assert.deepEqual(await w.getByLabel('Commune', { exact: true }).locator('option').allInnerTexts(), ['Toutes les communes']);
  const commune = await territorySelect(w, 'Commune');
  const communes = (await commune.locator('option').allInnerTexts()).slice(1).map((t) => t.replace(/ \(\d+\)$/, ''));
  assert.deepEqual(communes.sort(), [...new Set(in35.map((r) => r.origin.commune))].sort());
  const pipriac = await commune.locator('option', { hasText: /^Pipriac \(/ }).innerText();
  await commune.selectOption({ label: pipriac });
  await assertStatus(w, statusText(countIn(pipriac), DEMO_COUNT));
  await w.getByRole('button', { name: 'Retirer le filtre Territoire : Pipriac', exact: true }).waitFor();
  // « Tous les départements » goes back up to the region.
  await department.focus();
  await department.selectOption('');
  await assertStatus(w, statusText(DEMO.innovations.filter((r) => r.origin.region === '53').length, DEMO_COUNT));
  assert.equal(await w.getByLabel('Région', { exact: true }).inputValue(), '53');
  await commune.waitFor({ state: 'detached' });
});
