// The same report everywhere: the command-line tool (`essaimage check --format json`, `essaimage import -o
// --report`), the widget's data report (data-debug, the dataset given by URL or in memory: made by the check page's
// module, which the loader loads for it) and the « Vérifier mon fichier » page (verifier.html, its own wasm) say the
// same about each file: what is rejected and dropped, and why, word for word; a table converts to the same JSON and
// row report CSV. Then the page itself under its strict CSP: a CSV chosen, the preview, the download, no request
// but the page's own files, axe.
//
// The tool is ESSAIMAGE_TOOL (`make test-e2e` gives target/debug/essaimage), else built here with cargo.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { setupSuite, pageTest, waitForWidget, statusText, assertNoAxeViolations } from './helpers.mjs';
import { FIXTURES, DIST } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const TABLES = path.join(ROOT, 'tests', 'fixtures', 'tables');
const TOOL = process.env.ESSAIMAGE_TOOL || path.join(ROOT, 'target', 'debug', 'essaimage');
// The tool takes the year from the clock, as the widget and the page take the browser's.
const TOOL_ENV = { ...process.env };
delete TOOL_ENV.ESSAIMAGE_YEAR;

// Datasets: the e2e fixtures, the hostile corpus (problems of every kind) and unreadable files.
const DATASETS = [
  'small.json', 'places.json', 'sparse.json', 'unsafe-links.json',
  ...['bom', 'deep-ok', 'duplicates', 'invisible', 'long', 'markup', 'types', 'unicode', 'urls'].map((n) => `hostile/${n}.json`),
  ...['empty', 'binary', 'invalid-utf8', 'truncated-in-string', 'deep-array'].map((n) => `hostile/fatal/${n}.json`),
];
// Tables of tests/fixtures/tables/ (the tool's golden tests), read without a mapping file.
const TABLE_FILES = ['projets.xlsx', 'projets-1252.csv', 'avertissements.csv', 'points.geojson'];

before(() => {
  if (!process.env.ESSAIMAGE_TOOL) {
    execFileSync('cargo', ['build', '--quiet', '--features', 'import', '--bin', 'essaimage'], { cwd: ROOT, stdio: 'inherit' });
  }
  assert.ok(fs.existsSync(TOOL), `${TOOL} (the essaimage tool) is missing`);
});

function tool(args, cwd) {
  return spawnSync(TOOL, args, { cwd, env: TOOL_ENV, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** `essaimage check --format json FILE` run in the file's folder (so the file is named as the page names it). */
function toolCheck(file, lang = 'fr') {
  const r = tool(['check', '--format', 'json', '--lang', lang, path.basename(file)], path.dirname(file));
  assert.ok([0, 1, 2].includes(r.status), `essaimage check ${file}: exit ${r.status}\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** `essaimage import` of a table into a fresh folder: the JSON, the row report and the summary line, then the check of the JSON. */
function toolImport(table, lang = 'fr') {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'essaimage-check-'));
  const stem = path.basename(table).replace(/\.[^.]*$/, '');
  const json = path.join(out, `${stem}.json`);
  const report = path.join(out, `${stem}-lignes.csv`);
  const r = tool(['import', '--lang', lang, path.basename(table), '-o', json, '--report', report], path.dirname(table));
  assert.ok([0, 1].includes(r.status), `essaimage import ${table}: exit ${r.status}\n${r.stderr}`);
  const summary = r.stderr.split('\n').find((l) => l.startsWith('essaimage import'));
  const result = {
    json: fs.readFileSync(json, 'utf8'),
    csv: fs.readFileSync(report),
    summary,
    check: toolCheck(json, lang),
  };
  fs.rmSync(out, { recursive: true, force: true });
  return result;
}

/** The widget's data report in `scope`: its summary line and problems, or its alert. */
async function widgetReport(scope, expected) {
  if (expected.error) {
    const alert = scope.locator('.es-error[role=alert]');
    await alert.waitFor({ state: 'attached' });
    return { error: { title: await alert.locator('.es-error-what').textContent(), detail: await alert.locator('.es-error-how').textContent() } };
  }
  const summary = scope.locator('details.es-report > summary');
  // The first records may be shown before the whole file is read: wait for the final summary.
  await summary.filter({ hasText: expected.summary }).waitFor({ state: 'attached' });
  // Text content, not innerText: messages quote values with their spaces and control characters.
  const problems = await scope.locator('details.es-report li').allTextContents();
  return { summary: (await summary.textContent()).split(' — ').slice(1).join(' — '), problems };
}

function expectedWidget(check) {
  if (check.error) return { error: check.error };
  return { summary: check.summary, problems: check.problems.map((p) => p.message) };
}

/** Chooses a file on the check page and waits for its report. */
async function choose(page, file, lang = 'fr') {
  const status = page.locator('#etat');
  await page.locator('#fichier').setInputFiles(file);
  const name = path.basename(file);
  await status.filter({ hasText: lang === 'fr' ? `« ${name} » lu` : `"${name}" read` }).waitFor();
}

/** The check page's own report of the dataset. */
async function pageReport(page) {
  const box = page.locator('#donnees');
  if (await box.locator('.alert').count()) {
    const [title, detail] = await box.locator('.alert p').allTextContents();
    return { error: { title, detail } };
  }
  return { summary: await box.locator('.summary').textContent(), problems: await box.locator('.problems li').allTextContents() };
}

function expectedPage(check) {
  if (check.error) return { error: check.error };
  return { summary: check.summary, problems: check.problems.map((p) => p.message) };
}

// Unreadable files: the widget logs the failure as a console error (what the page author needs), nothing else.
function onlyLoadErrors(consoleErrors) {
  const other = consoleErrors.filter((e) => !/^Essaimage \[[^\]]+\]: /.test(e));
  assert.deepEqual(other, [], 'console errors other than the widget reporting an unreadable dataset');
}

const env = setupSuite();

pageTest(env, 'datasets: the tool, the widget given the URL and the check page with its preview give the same report', { allowConsoleErrors: true, timeout: 240_000 }, async ({ page, server, consoleErrors }) => {
  for (const rel of DATASETS) {
    const file = path.join(FIXTURES, rel);
    const check = toolCheck(file);
    // The widget, given the dataset's URL (its report names the URL where the tool names the file).
    const url = `${server.origin}/f/${rel}`;
    await page.goto(`${server.url}t/mount.html?dataset=/f/${rel}&debug=true`);
    const byUrl = await widgetReport(page.locator('#widget'), check);
    if (byUrl.error) byUrl.error.detail = byUrl.error.detail.replaceAll(url, path.basename(rel));
    assert.deepEqual(byUrl, expectedWidget(check), `${rel}: the widget (by URL) and essaimage check`);
    // The check page: its report and the widget it mounts on the file (in memory).
    await page.goto(`${server.url}verifier.html`);
    await choose(page, file);
    assert.deepEqual(await pageReport(page), expectedPage(check), `${rel}: the check page and essaimage check`);
    assert.deepEqual(await widgetReport(page.locator('#widget'), check), expectedWidget(check), `${rel}: the preview and essaimage check`);
  }
  onlyLoadErrors(consoleErrors);
});

pageTest(env, 'a packed dataset chosen on the check page gets the report essaimage check gives it, and its preview', { timeout: 120_000 }, async ({ page, server }) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'essaimage-check-pack-'));
  const packed = path.join(out, 'types.pack');
  const made = tool(['pack', path.join(FIXTURES, 'hostile', 'types.json'), '-o', packed], out);
  assert.equal(made.status, 1, `essaimage pack: problems reported, pack written\n${made.stderr}`);
  const check = toolCheck(packed);
  assert.ok(check.problems.length > 0, 'the fixture has problems to report');
  await page.goto(`${server.url}verifier.html`);
  await choose(page, packed);
  assert.deepEqual(await pageReport(page), expectedPage(check), 'the check page and essaimage check, on the pack');
  assert.deepEqual(await widgetReport(page.locator('#widget'), check), expectedWidget(check), 'the preview of the pack');
});

test('the widget\'s wasm (either build) has no problem message; the check page\'s module, which makes its debug report, has them', () => {
  const check = fs.readFileSync(path.join(DIST, 'check', 'essaimage_check_bg.wasm'));
  for (const build of ['essaimage_wasm_bg.wasm', 'essaimage_packed_bg.wasm']) {
    const widget = fs.readFileSync(path.join(DIST, build));
    for (const text of ['fiche rejetée', 'record rejected', 'écrivez-la AAAA-MM-JJ', 'write it YYYY-MM-DD']) {
      assert.ok(!widget.includes(text), `${build} holds « ${text} »`);
      assert.ok(check.includes(text), `the check module lacks « ${text} »`);
    }
  }
});

pageTest(env, 'tables: the check page converts to the same JSON and row report as essaimage import, and reports as essaimage check', { timeout: 240_000 }, async ({ page, server }) => {
  for (const name of TABLE_FILES) {
    const file = path.join(TABLES, name);
    const expected = toolImport(file);
    await page.goto(`${server.url}verifier.html`);
    await choose(page, file);
    assert.equal(await page.locator('#import-resume').innerText(), expected.summary, `${name}: the import's summary`);
    for (const [link, want] of [['#telecharger-json', expected.json], ['#telecharger-csv', expected.csv]]) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(link).click()]);
      const got = fs.readFileSync(await download.path());
      assert.ok(Buffer.compare(got, Buffer.from(want)) === 0, `${name}: ${download.suggestedFilename()} differs from the tool's:\n${got}`);
    }
    assert.deepEqual(await pageReport(page), expectedPage(expected.check), `${name}: the page's report and essaimage check`);
    assert.deepEqual(await widgetReport(page.locator('#widget'), expected.check), expectedWidget(expected.check), `${name}: the preview and essaimage check`);
  }
  // A workbook whose first sheet is a note: nothing converted, and the same message as the tool's.
  const ods = path.join(TABLES, 'projets.ods');
  const r = tool(['import', 'projets.ods'], TABLES);
  assert.equal(r.status, 2);
  await page.goto(`${server.url}verifier.html`);
  await choose(page, ods);
  const [, detail] = await page.locator('#donnees .alert p').allTextContents();
  assert.equal(`essaimage import : ${detail}`, r.stderr.trim());
  assert.ok(await page.locator('#import').isHidden());
  assert.ok(await page.locator('#apercu').isHidden());
});

pageTest(env, 'the check page in English words the report as essaimage --lang en', async ({ page, server }) => {
  const file = path.join(TABLES, 'avertissements.csv');
  const expected = toolImport(file, 'en');
  await page.goto(`${server.url}verifier.html?lang=en`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByRole('heading', { level: 1, name: 'Check my file' }).waitFor();
  await choose(page, file, 'en');
  assert.equal(await page.locator('#import-resume').innerText(), expected.summary);
  assert.deepEqual(await pageReport(page), expectedPage(expected.check));
  assert.deepEqual(await widgetReport(page.locator('#widget'), expected.check), expectedWidget(expected.check));
  await page.getByRole('link', { name: 'Français' }).click();
  await page.getByRole('heading', { level: 1, name: 'Vérifier mon fichier' }).waitFor();
});

pageTest(env, 'the check page under its strict CSP: a CSV chosen, its rows in the preview, the JSON downloaded, only the page\'s own files requested, no axe violation', async ({ page, server, requests }) => {
  await page.goto(`${server.url}verifier.html`);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'/);
  await assertNoAxeViolations(page, 'the check page before a file');
  const file = path.join(TABLES, 'projets-1252.csv');
  await choose(page, file);
  const imported = JSON.parse(toolImport(file).json).innovations.length;
  assert.ok(imported > 0);
  const preview = page.locator('#widget');
  await waitForWidget(preview, statusText(imported));
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#telecharger-json').click()]);
  assert.equal(download.suggestedFilename(), 'projets-1252.json');
  const doc = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(doc.innovations.length, imported);
  await assertNoAxeViolations(page, 'the check page with a report and the preview');

  // Nothing leaves the browser: the page's own files only (blob: downloads are made in the page).
  const outside = requests.filter((u) => !u.startsWith(server.origin + '/') && !u.startsWith(`blob:${server.origin}/`));
  assert.deepEqual(outside, [], 'requests outside the page\'s origin');
  const own = new Set(['/verifier.html', '/demo.css', '/verifier.css', '/verifier.js', '/favicon.svg',
    '/essaimage.js', '/essaimage_wasm.js', '/essaimage_wasm_bg.wasm', '/essaimage.css',
    '/check/essaimage_check.js', '/check/essaimage_check_bg.wasm', '/data/france-departments.bin', '/data/communes.csv']);
  const fetched = server.requests.map((r) => r.split('?')[0]);
  assert.deepEqual(fetched.filter((r) => !own.has(r)), [], `requests other than the page's files (${fetched.join(' ')})`);
  for (const f of ['/check/essaimage_check_bg.wasm', '/essaimage_wasm_bg.wasm']) assert.ok(fetched.includes(f), `${f} requested`);
});

test('the check page is linked from the demo page', () => {
  const index = fs.readFileSync(path.join(ROOT, 'index.html'), 'utf8');
  assert.match(index, /href="verifier\.html"/);
});
