// Real open data is sparse: names, places, one category and a link, rarely a stage or a year. A dataset shaped like
// a national list of tiers-lieux (tests/e2e/fixtures/sparse.json, which names what it lists) must look right: no
// facet of zeros, the values no record has folded away but reachable, the records without a value counted so that
// counts add up, no empty stage badge, its own noun in the texts, and no accessibility violation.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { setupSuite, pageTest, assertStatus, assertNoAxeViolations, hashParts } from './helpers.mjs';
import { FIXTURES } from './server.mjs';

const env = setupSuite();
// fault-page.html holds two widgets: the same landmarks, named alike (`landmark-unique`), each instance's landmarks
// not yet carrying its name.
const TWO_WIDGETS = { off: ['landmark-unique'] };
const SPARSE = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sparse.json'), 'utf8'));
const N = SPARSE.innovations.length;
const themed = (id) => SPARSE.innovations.filter((r) => (r.themes || []).includes(id)).length;
const unthemed = SPARSE.innovations.filter((r) => !(r.themes || []).length).length;

async function open(page, server) {
  await page.goto(server.url + 't/fault-page.html?dataset=/f/sparse.json');
  const w = page.locator('#faulty');
  await assertStatus(w, `${N} tiers-lieux`);
  return w;
}

function count(text) {
  const m = /\((\d+)\)\s*$/.exec(text.trim());
  assert.ok(m, `no count in « ${text} »`);
  return Number(m[1]);
}

pageTest(env, 'sparse data: only the facets the data fills, counts that add up, unused values folded but reachable', async ({ page, server }) => {
  const w = await open(page, server);
  assert.ok(unthemed > 0 && themed('numerique') > 0, 'the fixture has records with and without a theme');
  // The facets no record fills are not shown: no « Stade (0) » … « Généralisation (0) ».
  const legends = await w.locator('.es-filters legend').allInnerTexts();
  assert.ok(legends.includes('Thématique'), legends.join(' | '));
  for (const absent of ['Stade de changement d\'échelle', 'Stratégie de changement d\'échelle', 'Rôle de l\'acteur public']) {
    assert.ok(!legends.some((l) => l.startsWith(absent.slice(0, 10))), `« ${absent} » is not shown: ${legends.join(' | ')}`);
  }
  const themes = w.getByRole('group', { name: 'Thématique' });
  const shown = await themes.locator('.es-option:visible label').allInnerTexts();
  // Three themes used, then « Non renseigné »; the others behind the button.
  assert.deepEqual(shown.map((l) => l.replace(/\s*\(\d+\)$/, '')), ['Emploi et insertion', 'Culture', 'Numérique', 'Non renseigné']);
  assert.equal(shown.reduce((sum, l) => sum + count(l), 0), N, 'counts add up to the results');
  assert.equal(count(shown.find((l) => l.startsWith('Non renseigné'))), unthemed);
  assert.equal(count(shown.find((l) => l.startsWith('Numérique'))), themed('numerique'));
  const more = themes.getByRole('button', { name: /^Afficher les 12 autres valeurs/ });
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  await assertNoAxeViolations(page, 'sparse data, values folded', TWO_WIDGETS);
  await more.click();
  await themes.getByRole('button', { name: 'Masquer les valeurs sans résultat' }).waitFor();
  const all = await themes.locator('.es-option:visible label').allInnerTexts();
  assert.equal(all.length, 16, 'every theme and « Non renseigné »');
  assert.ok(all.filter((l) => count(l) === 0).length === 12, 'the unfolded values have no result');
  await assertNoAxeViolations(page, 'sparse data, values unfolded', TWO_WIDGETS);
  // No empty stage badge on a record without stage; the noun in the texts.
  assert.equal(await w.locator('.es-item .es-stage').count(), 0);
  assert.equal(await w.locator('.es-stage-legend').count(), 0, 'no stage legend when no record has a stage');
  assert.equal((await w.locator('.es-title').innerText()).trim(), 'Tiers-lieux');
  assert.equal((await w.locator('.es-map-title').innerText()).trim(), 'Carte des tiers-lieux');
});

pageTest(env, 'sparse data: « Non renseigné » filters the records without a value, in a shareable link', async ({ page, server }) => {
  const w = await open(page, server);
  await w.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Non renseigné \(/ }).check();
  await assertStatus(w, `${unthemed} tiers-lieux sur ${N}`);
  await w.getByRole('button', { name: 'Retirer le filtre Thématique : Non renseigné' }).waitFor();
  await page.waitForFunction(() => /theme=-/.test(location.hash));
  const hash = (await hashParts(page)).join('&');
  await page.reload();
  await assertStatus(page.locator('#faulty'), `${unthemed} tiers-lieux sur ${N}`);
  assert.equal((await hashParts(page)).join('&'), hash, 'the link restores the filter');
});
