// The « Synthèse » view, the exports, the citation and print: figures equal to those computed from the JSON, a cell
// that filters the list, a CSV read back with the same ids and intact texts, a citation holding the permalink, a
// printed page with every result and no control, and no accessibility violation.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { setupSuite, pageTest, waitForWidget, assertStatus, assertNoAxeViolations, statusText, DEMO, DEMO_COUNT, territorySelect } from './helpers.mjs';
import { FIXTURES } from './server.mjs';

const env = setupSuite();
const STAGES = ['amorcage', 'experimentation', 'consolidation', 'essaimage', 'changement-echelle', 'generalisation'];
const QUOTES = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'quotes.json'), 'utf8'));

/** The department of a demo place: given, or the first two characters of its commune code. */
const depOf = (p) => p && (p.department || (p.commune_insee || '').slice(0, 2));
const inDep = (r, d) => [r.origin, ...(r.replicas || [])].some((p) => depOf(p) === d);

/** RFC 4180 reader (quoted cells, doubled quotes, CRLF), the BOM dropped. */
function readCsv(text) {
  const rows = []; let row = []; let cell = ''; let q = false;
  text = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r') continue;
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function demo(page, server) {
  await page.goto(server.url);
  await waitForWidget(page, statusText(DEMO_COUNT));
  return page.locator('.es').first();
}

// The department with most demo records, for figures that mean something.
const DEP = (() => {
  const counts = {};
  for (const r of DEMO.innovations) for (const d of new Set([r.origin, ...(r.replicas || [])].map(depOf))) if (d) counts[d] = (counts[d] || 0) + 1;
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
})();

pageTest(env, 'the synthesis of a department shows the stage counts computed from the JSON, a cell filters the list, the URL restores it', async ({ page, server }) => {
  const w = await demo(page, server);
  const here = DEMO.innovations.filter((r) => inDep(r, DEP));
  const dep = await territorySelect(w, 'Département');
  const value = await dep.locator(`option[value="${DEP}"]`).count() ? DEP : null;
  assert.ok(value, `department ${DEP} listed`);
  await dep.focus();
  await dep.selectOption(DEP);
  await assertStatus(w, statusText(here.length, DEMO_COUNT));
  await w.getByRole('button', { name: 'Synthèse', exact: true }).click();
  const funnel = w.locator('table', { has: page.locator('caption', { hasText: 'Stades atteints' }) });
  await funnel.waitFor();
  for (const [i, id] of STAGES.entries()) {
    const expected = here.filter((r) => r.stage === id).length;
    const cell = funnel.locator(`tr[data-row="${i}"] td`).first().locator('.es-figure');
    const text = (await cell.innerText()).replace(/\s*\(.*$/, '').replace(/\u202F/g, '');
    assert.equal(Number(text), expected, `stage ${id}`);
  }
  assert.match(page.url(), /view=synthesis/);
  await assertNoAxeViolations(page, 'synthesis of a department');
  // A link restores the view.
  await page.reload();
  await w.locator('.es-synthesis').waitFor();
  // A cell: its territory and stage, in the list.
  const cell = w.locator('table[data-cross] button.es-cell').first();
  const n = Number((await cell.innerText()).replace(/\u202F/g, ''));
  await cell.click();
  await assertStatus(w, statusText(n, DEMO_COUNT));
  assert.equal(await w.locator('.es-synthesis').count(), 0, 'the list is shown');
  assert.ok(await w.locator('.es-chip').count() >= 2, 'territory and stage chips');
});

pageTest(env, 'the map draws the replicas of the selection from their origins: a department with replicas, then one without', async ({ page, server }) => {
  const w = await demo(page, server);
  const links = w.locator('.es-replica-link');
  // Every demo replica is placed (a commune code or a department), and no selection reaches the drawing cap.
  const expected = (d) => DEMO.innovations.filter((r) => inDep(r, d) && r.origin).reduce((n, r) => n + (r.replicas || []).length, 0);
  const withReplicas = DEMO.innovations.find((r) => (r.replicas || []).length && r.origin);
  const d = depOf(withReplicas.replicas[0]);
  const dep = await territorySelect(w, 'Département');
  await dep.focus();
  await dep.selectOption(d);
  await assertStatus(w, statusText(DEMO.innovations.filter((r) => inDep(r, d)).length, DEMO_COUNT));
  assert.ok(expected(d) > 0, `department ${d} has results with replicas`);
  await links.first().waitFor();
  assert.equal(await links.count(), expected(d), `replica links in ${d}`);
  // Another department of the same region (the department control lists the chosen region's).
  const region = withReplicas.replicas[0].region;
  const none = DEMO.innovations.filter((r) => r.origin && r.origin.region === region).map((r) => depOf(r.origin))
    .find((x) => x !== d && expected(x) === 0);
  assert.ok(none, `a department of region ${region} without replicas`);
  await dep.selectOption(none);
  await assertStatus(w, statusText(DEMO.innovations.filter((r) => inDep(r, none)).length, DEMO_COUNT));
  assert.equal(await links.count(), 0, `no replica link in ${none}`);
});

pageTest(env, 'each stage, strategy and public role has a definition, from its facet and from the synthesis, in both languages', async ({ page, server }) => {
  const w = await demo(page, server);
  // From the facet: a disclosure inside the group, closed until asked, reachable by the keyboard.
  const stage = w.getByRole('group', { name: /^Stade/ });
  const summary = stage.locator('.es-defs summary');
  assert.equal(await stage.locator('.es-defs dd').first().isVisible(), false, 'closed at first');
  await summary.focus();
  await page.keyboard.press('Enter');
  const terms = await stage.locator('.es-defs dt').allInnerTexts();
  assert.deepEqual(terms, ['Amorçage', 'Expérimentation', 'Consolidation', 'Essaimage', 'Diffusion à grande échelle', 'Généralisation']);
  assert.match(await stage.locator('.es-defs dd').first().innerText(), /^Le projet naît/);
  assert.equal(await w.getByRole('group', { name: /^Stratégie/ }).locator('.es-defs dt').count(), 6);
  assert.equal(await w.getByRole('group', { name: /^Rôle/ }).locator('.es-defs dt').count(), 5);
  assert.equal(await w.getByRole('group', { name: /^Thématique/ }).locator('.es-defs').count(), 0, 'themes have none');
  await assertNoAxeViolations(page, 'definitions open in the stage facet');
  // From the synthesis: below the funnel.
  await w.getByRole('button', { name: 'Synthèse', exact: true }).click();
  const defs = w.locator('.es-synthesis .es-defs').first();
  await defs.locator('summary').click();
  assert.match(await defs.locator('dd').nth(3).innerText(), /reproduite sur d'autres territoires/);
  await assertNoAxeViolations(page, 'definitions open in the synthesis');
  // In English.
  await page.goto(server.url + 't/div-en.html');
  const en = page.locator('.es').first();
  await en.getByRole('group', { name: /^Scaling stage/ }).locator('.es-defs summary').click();
  assert.match(await en.getByRole('group', { name: /^Scaling stage/ }).locator('.es-defs dd').first().innerText(), /^The project is born/);
});

pageTest(env, 'the CSV export holds every result with accents, quotes and line breaks intact; JSON too', async ({ page, server }) => {
  await page.goto(server.url + 't/fault-page.html?dataset=/f/quotes.json');
  const w = page.locator('#faulty');
  await waitForWidget(w, '3 innovations');
  const [download] = await Promise.all([page.waitForEvent('download'), w.getByRole('button', { name: 'Télécharger (CSV)' }).click()]);
  assert.match(download.suggestedFilename(), /^innovations_\d{4}-\d{2}-\d{2}\.csv$/);
  const text = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\uFEFF'), 'BOM');
  const rows = readCsv(text);
  const [head, ...body] = rows;
  const col = (name) => head.indexOf(name);
  assert.deepEqual(body.map((r) => r[col('id')]).sort(), QUOTES.innovations.map((r) => r.id).sort());
  for (const r of QUOTES.innovations) {
    const row = body.find((b) => b[col('id')] === r.id);
    assert.equal(row[col('name')], r.name);
    assert.equal(row[col('summary')], r.summary || '');
  }
  const [json] = await Promise.all([page.waitForEvent('download'), w.getByRole('button', { name: 'Télécharger (JSON)' }).click()]);
  const doc = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  assert.equal(doc.schema, 'essaimage/1');
  assert.deepEqual(doc.innovations.map((r) => r.name).sort(), QUOTES.innovations.map((r) => r.name).sort());
});

pageTest(env, 'the CSV of filtered demo results has the ids of the results, and the file name says the filters', async ({ page, server }) => {
  const w = await demo(page, server);
  await w.getByRole('group', { name: /^Stade/ }).getByRole('checkbox', { name: /^Essaimage/ }).check();
  const expected = DEMO.innovations.filter((r) => r.stage === 'essaimage');
  assert.ok(expected.length > 0);
  await assertStatus(w, statusText(expected.length, DEMO_COUNT));
  const [download] = await Promise.all([page.waitForEvent('download'), w.getByRole('button', { name: 'Télécharger (CSV)' }).click()]);
  assert.match(download.suggestedFilename(), /^innovations_essaimage_\d{4}-\d{2}-\d{2}\.csv$/);
  const [head, ...body] = readCsv(fs.readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(body.map((r) => r[head.indexOf('id')]).sort(), expected.map((r) => r.id).sort());
});

pageTest(env, 'the citation holds the permalink; a refused clipboard shows the text to copy', { contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } }, async ({ page, server }) => {
  const w = await demo(page, server);
  await w.getByRole('button', { name: 'Synthèse', exact: true }).click();
  await w.getByRole('button', { name: 'Citer' }).click();
  await w.getByText('Copié dans le presse-papiers.').waitFor();
  const text = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(text.includes(page.url()), `${text} holds ${page.url()}`);
  assert.match(text, /Consulté le/);
  // Refused: a read-only field with the link.
  await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('refused')); });
  await w.getByRole('button', { name: 'Copier le lien' }).click();
  const field = w.getByLabel('Lien de cette vue');
  await field.waitFor();
  assert.equal(await field.inputValue(), page.url());
  assert.notEqual(await field.getAttribute('readonly'), null);
});

pageTest(env, 'print shows every result, the synthesis and the map, and no filter control', async ({ page, server }) => {
  const w = await demo(page, server);
  await page.emulateMedia({ media: 'print' });
  // The list itself, every result on one page (no second markup for print).
  const items = w.locator('.es-list-pane .es-item');
  await items.nth(DEMO_COUNT - 1).waitFor();
  assert.equal(await items.count(), DEMO_COUNT);
  assert.ok(await items.nth(DEMO_COUNT - 1).isVisible());
  assert.ok(await w.locator('.es-synthesis').isVisible());
  assert.ok(!(await w.locator('.es-filters').isVisible()), 'no filter panel');
  assert.ok(!(await w.locator('.es-export').isVisible()), 'no export buttons');
  await page.emulateMedia({ media: 'screen' });
  await items.nth(DEMO_COUNT - 1).waitFor({ state: 'detached' });
});

pageTest(env, 'at 320 px the synthesis does not scroll sideways: each table scrolls in its own box, the view switches keep their words (RGAA 10.11, 10.4)', { viewport: { width: 320, height: 640 } }, async ({ page, server }) => {
  const w = await demo(page, server);
  await w.getByRole('button', { name: 'Synthèse', exact: true }).click();
  await w.locator('.es-synthesis table').first().waitFor();
  const widths = await w.evaluate((el) => ({
    page: document.documentElement.scrollWidth,
    tables: [...el.getRootNode().querySelectorAll('.es-synthesis table')]
      .map((t) => [t.getBoundingClientRect().right, getComputedStyle(t).overflowX]),
  }));
  assert.ok(widths.page <= 320, `the page is ${widths.page} px wide`);
  // The view switches keep their words whole (one line each).
  const lines = await w.evaluate((el) => [...el.getRootNode().querySelectorAll('.es-switch')].filter((b) => b.getClientRects().length)
    .map((b) => { const r = document.createRange(); r.selectNodeContents(b); return [b.textContent, r.getClientRects().length]; }));
  assert.deepEqual(lines.filter(([, n]) => n !== 1), [], 'switch labels on one line');
  for (const [right, overflow] of widths.tables) {
    assert.ok(right <= 320.5, `a table ends at ${right} px`);
    assert.equal(overflow, 'auto');
  }
  await assertNoAxeViolations(page, 'synthesis at 320 px');
});

pageTest(env, 'a department with more communes than the table shows: the 30 largest by total, then one row summing the others', async ({ page, server }) => {
  await page.goto(server.url + 't/mount.html?dataset=/f/communes-40.json');
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(42));
  const dep = await territorySelect(w, 'Département');
  await dep.focus();
  await dep.selectOption('35');
  await w.getByRole('button', { name: 'Synthèse', exact: true }).click();
  const table = w.locator('table[data-cross]');
  await table.waitFor();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent,
    tr.lastElementChild.textContent.replace(/\D/g, '')]));
  assert.equal(rows.length, 31, 'thirty communes and the others');
  assert.deepEqual(rows[0], ['Broualan', '3'], 'the largest first');
  assert.deepEqual(rows[30], ['10 autres communes', '10']);
  assert.equal(rows.reduce((s, [, n]) => s + Number(n), 0), 42, 'every result counted');
});

pageTest(env, 'from the synthesis, the skip link shows the list and focuses its heading', async ({ page, server }) => {
  const w = await demo(page, server);
  await w.getByRole('button', { name: 'Synthèse', exact: true }).click();
  await w.locator('.es-synthesis').waitFor();
  await w.locator('.es-skip').focus();
  await page.keyboard.press('Enter');
  await w.locator('.es-list').waitFor();
  const focused = await page.evaluate(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return [el.className, el.textContent];
  });
  assert.equal(focused[0], 'es-results-title');
  assert.match(focused[1], new RegExp(`^${DEMO_COUNT} innovations`));
  assert.equal(await w.locator('.es-synthesis').count(), 0);
});

pageTest(env, 'every table and list of the synthesis is in the accessibility tree, in view or not', async ({ page, server }) => {
  const w = await demo(page, server);
  await w.getByRole('button', { name: 'Synthèse', exact: true }).click();
  await w.locator('.es-synthesis table').first().waitFor();
  const dom = await w.evaluate((el) => ({
    tables: el.getRootNode().querySelectorAll('.es-synthesis table').length,
    rows: el.getRootNode().querySelectorAll('.es-synthesis tr').length,
  }));
  // Chromium leaves out of its tree what `content-visibility: auto` skips: the view must not use it.
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const count = (role) => nodes.filter((n) => !n.ignored && n.role && n.role.value === role).length;
  assert.ok(dom.tables >= 4, `${dom.tables} tables`);
  assert.deepEqual({ tables: count('table'), rows: count('row') }, dom);
});
