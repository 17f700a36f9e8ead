// Packed datasets (`essaimage pack`): the same `data-dataset` attribute, the loader chooses the widget's build for
// packs from the file's first byte, and the widget shows exactly what the JSON gives: counts, facets, results,
// synthesis, data report. A pack of another format version or cut short is refused with a message that says what
// to do.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before } from 'node:test';
import { fileURLToPath } from 'node:url';

import { setupSuite, pageTest, waitForAlert, statusOf, resultNames, TIMEOUT } from './helpers.mjs';
import { DIST, FIXTURES, WRITTEN } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const TOOL = process.env.ESSAIMAGE_TOOL || path.join(ROOT, 'target', 'debug', 'essaimage');
const MAGIC_LENGTH = 14;

// Each dataset, as JSON (its URL) and as the pack the tool makes of it.
const DATASETS = {
  demo: { json: '/innovations-demo.json', file: path.join(DIST, 'innovations-demo.json') },
  sparse: { json: '/f/sparse.json', file: path.join(FIXTURES, 'sparse.json') },
  places: { json: '/f/places.json', file: path.join(FIXTURES, 'places.json') },
  types: { json: '/f/hostile/types.json', file: path.join(FIXTURES, 'hostile', 'types.json') },
};

before(() => {
  if (!process.env.ESSAIMAGE_TOOL) {
    execFileSync('cargo', ['build', '--quiet', '--features', 'import', '--bin', 'essaimage'], { cwd: ROOT, stdio: 'inherit' });
  }
  fs.mkdirSync(WRITTEN, { recursive: true });
  for (const [name, { file }] of Object.entries(DATASETS)) {
    const r = spawnSync(TOOL, ['pack', file, '-o', path.join(WRITTEN, `${name}.pack`)], { encoding: 'utf8' });
    assert.ok([0, 1].includes(r.status), `essaimage pack ${file}: exit ${r.status}\n${r.stderr}`);
  }
  // The demo's pack, altered: another format version (bytes 14–15, little-endian), and cut short.
  const demo = fs.readFileSync(path.join(WRITTEN, 'demo.pack'));
  const withVersion = (v) => Buffer.concat([demo.subarray(0, MAGIC_LENGTH), Buffer.from([v, 0]), demo.subarray(MAGIC_LENGTH + 2)]);
  fs.writeFileSync(path.join(WRITTEN, 'version0.pack'), withVersion(0));
  fs.writeFileSync(path.join(WRITTEN, 'version2.pack'), withVersion(2));
  fs.writeFileSync(path.join(WRITTEN, 'cut.pack'), demo.subarray(0, demo.length >> 1));
});

const env = setupSuite();

/** What a visitor sees of the widget: the status, every facet option with its count, the page of results. */
async function seen(w) {
  return {
    status: await statusOf(w).innerText(),
    options: await w.locator('.es-filters label').allInnerTexts(),
    results: await resultNames(w),
  };
}

// The filters compared, as the widget's own link parts (its namespace is `w`).
const FILTERS = ['', '#w.theme=emploi-insertion', '#w.stage=essaimage,generalisation', '#w.t=r11', '#w.t=d75',
  '#w.q=insertion', '#w.sort=started', '#w.theme=alimentation&w.t=r84&w.sort=stage'];

/** Waits until the widget in `w` has read its whole dataset (whatever it calls its records), or throws its alert. */
async function loaded(w) {
  const status = w.locator('section.es:not([aria-busy]) p[role=status].es-status').filter({ hasText: /^\d/ });
  const alert = w.locator('.es-error[role=alert]');
  await status.or(alert).first().waitFor({ state: 'attached', timeout: TIMEOUT });
  if (await alert.count()) throw new Error(`alert instead of results: ${await alert.first().innerText()}`);
  return w;
}

async function open(page, server, dataset, hash = '', extra = '') {
  await page.goto(`${server.url}t/mount.html?id=w&dataset=${encodeURIComponent(dataset)}${extra}${hash}`);
  return loaded(page.locator('#widget'));
}

pageTest(env, 'a pack shows what its JSON shows, for every filter, from the build for packs', { timeout: 180_000 }, async ({ page, server }) => {
  for (const [name, { json }] of Object.entries(DATASETS)) {
    for (const hash of FILTERS) {
      const fromJson = await seen(await open(page, server, json, hash));
      server.clearRequests();
      const fromPack = await seen(await open(page, server, `/p/${name}.pack`, hash));
      if (!hash) assert.ok(fromJson.results.length && fromJson.options.length, `${name}: something to compare`);
      assert.deepEqual(fromPack, fromJson, `${name} ${hash || '(no filter)'}`);
      assert.ok(server.requests.includes('/essaimage_packed_bg.wasm'), `${name}: the build for packs is loaded`);
    }
  }
  // The synthesis too.
  const synthesis = async (dataset) => (await open(page, server, dataset, '#w.view=synthesis')).locator('.es-synthesis').innerText();
  assert.equal(await synthesis('/p/demo.pack'), await synthesis('/innovations-demo.json'), 'the synthesis');
});

pageTest(env, 'a JSON dataset never loads the build for packs', async ({ page, server }) => {
  server.clearRequests();
  await open(page, server, '/innovations-demo.json');
  assert.ok(server.requests.includes('/essaimage_wasm_bg.wasm'));
  assert.ok(!server.requests.some((r) => r.startsWith('/essaimage_packed')), server.requests.join(' '));
});

pageTest(env, 'a page with a packed and a JSON dataset shows both', async ({ page, server }) => {
  await page.goto(`${server.url}t/fault-page.html?dataset=/p/demo.pack`);
  const total = JSON.parse(fs.readFileSync(DATASETS.demo.file, 'utf8')).innovations.length;
  for (const id of ['#faulty', '#healthy']) {
    await loaded(page.locator(id));
    assert.match(await statusOf(page.locator(id)).innerText(), new RegExp(`^${total} innovations`), id);
  }
});

pageTest(env, 'the data report of a pack (debug) is its JSON\'s', async ({ page, server }) => {
  const report = async (dataset) => {
    const w = await open(page, server, dataset, '', '&debug=true');
    const details = w.locator('details.es-report');
    await details.locator('summary').waitFor();
    return details.innerText();
  };
  const fromJson = await report(DATASETS.types.json);
  assert.match(fromJson, /avertissement/, 'the fixture has problems to report');
  assert.equal(await report('/p/types.pack'), fromJson);
});

pageTest(env, 'a pack of another format version, or cut short, is refused with what to do', { allowConsoleErrors: true }, async ({ page, server }) => {
  const cases = [
    ['version0', '', /ancienne version.*« essaimage pack »/s],
    ['version2', '', /plus récente.*Mettez le widget à jour/s],
    ['cut', '', /incomplet.*publiez à nouveau le fichier entier/s],
    ['version0', '&lang=en', /older version.*« essaimage pack »/s],
  ];
  for (const [name, extra, expected] of cases) {
    await page.goto(`${server.url}t/mount.html?dataset=/p/${name}.pack${extra}`);
    const text = await waitForAlert(page.locator('#widget'));
    assert.match(text, expected, name + extra);
    assert.ok(text.includes(`/p/${name}.pack`), `${name}: the file is named`);
  }
});
