// Large datasets: the widget shows the first 2,000 records as soon as they have arrived, while the file downloads,
// then reads 2,000 records at a time between browser tasks with a progress banner, then shows the whole dataset
// (src/embed.rs, `load`; json::Scanner::partial, schema::Reading).
//
// The dataset is /fault/many.json?n=30000: the demo's records over and over with unique ids (about 42 MB).

import assert from 'node:assert/strict';

import { setupSuite, pageTest, assertStatus, statusOf, statusText, assertNoAxeViolations, DEMO } from './helpers.mjs';

const env = setupSuite();
const N = 30_000;
const HABITAT_SHARE = DEMO.innovations.filter((r) => (r.themes || []).includes('habitat')).length;

pageTest(env, 'a large dataset shows its first records with a progress banner, then all of them', { timeout: 120_000 }, async ({ page, server }) => {
  await page.goto(server.url + `t/mount.html?dataset=/fault/many.json%3Fn%3D${N}`);
  const host = page.locator('#widget');

  // While reading: the first 2,000 records, listed and counted, the region marked busy, the banner saying how far.
  const banner = host.locator('.es-progress');
  await host.locator('.es-progress', { hasText: 'Chargement : lecture de' }).waitFor({ timeout: 60_000 });
  const partial = await host.evaluate((el) => {
    const r = el.shadowRoot;
    return {
      busy: r.querySelector('.es').getAttribute('aria-busy'),
      banner: (r.querySelector('.es-progress') || {}).textContent,
      status: (r.querySelector('p[role=status].es-status') || {}).textContent,
      rows: r.querySelectorAll('ol.es-list > li').length,
    };
  });
  assert.equal(partial.busy, 'true', 'the region is busy while the dataset is read');
  assert.match(partial.banner, /^Chargement : lecture de \d[\d\u202F]* innovations sur 30\u202F000\. Liste, nombres et carte seront complets à la fin\.$/);
  assert.equal(partial.status, statusText(2000), 'the records read first are counted');
  assert.ok(partial.rows > 0, 'and listed');

  // Then everything, and no trace of the reading.
  await assertStatus(host, statusText(N));
  await banner.waitFor({ state: 'detached' });
  assert.equal(await host.evaluate((el) => el.shadowRoot.querySelector('.es').getAttribute('aria-busy')), null);
  // The filters count the whole dataset (each demo record is there N / 65 times, or once more).
  await host.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  const status = (await statusOf(host).innerText()).trim();
  const shown = Number(status.split(' innovations')[0].replace(/\u202F/g, ''));
  const perCopy = Math.floor(N / DEMO.innovations.length);
  assert.ok(shown >= HABITAT_SHARE * perCopy && shown <= HABITAT_SHARE * (perCopy + 1), `${status}`);
  await assertNoAxeViolations(page, 'large dataset, filtered');
});

pageTest(env, 'the first records are shown while the file is still downloading, and usable', { timeout: 120_000 }, async ({ page, server }) => {
  // The server sends 2,500 records, then waits: the rest of the file arrives only once released.
  await page.goto(server.url + `t/mount.html?dataset=${encodeURIComponent(`/fault/many.json?n=${N}&hold=partiel&after=2500`)}`);
  const host = page.locator('#widget');
  const banner = host.locator('.es-progress');
  await banner.waitFor({ timeout: 60_000 });
  assert.equal(
    (await banner.innerText()).trim(),
    'Chargement : 2\u202F000 innovations à l\'écran pendant que la suite du fichier arrive. Liste, nombres et carte seront complets à la fin.',
  );
  await assertStatus(host, statusText(2000));
  assert.equal(await host.evaluate((el) => el.shadowRoot.querySelector('.es').getAttribute('aria-busy')), 'true');
  const first = await host.evaluate((el) => [...el.shadowRoot.querySelectorAll('ol.es-list > li h4')].map((h) => h.textContent));
  assert.equal(first.length, 20, 'a first page of results');
  // Usable meanwhile: a filter narrows the first records.
  await host.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  const narrowed = Number((await statusOf(host).innerText()).split(' innovations')[0].replace(/\u202F/g, ''));
  assert.ok(narrowed > 0 && narrowed < 2000, `${narrowed} of the first 2,000`);
  await host.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).uncheck();
  await assertStatus(host, statusText(2000));

  server.release('partiel');
  await assertStatus(host, statusText(N));
  await banner.waitFor({ state: 'detached' });
  assert.equal(await host.evaluate((el) => el.shadowRoot.querySelector('.es').getAttribute('aria-busy')), null);
  await assertNoAxeViolations(page, 'large dataset, loaded after a pause');
});

pageTest(env, 'a download that fails after the first records were shown: the error box, and the region no longer busy', { allowConsoleErrors: true, timeout: 120_000 }, async ({ page, server }) => {
  // 30,000 records are about 42 MB: over a 5 MB limit, found once the server sends the rest (no Content-Length).
  const dataset = `/fault/many.json?n=${N}&hold=partiel-trop-gros&after=2500`;
  await page.goto(server.url + `t/mount.html?${new URLSearchParams({ dataset, maxMb: '5' })}`);
  const host = page.locator('#widget');
  await host.locator('.es-progress').waitFor({ timeout: 60_000 });
  await assertStatus(host, statusText(2000));
  server.release('partiel-trop-gros');
  const alert = host.locator('.es-error[role=alert]');
  await alert.waitFor({ timeout: 60_000 });
  assert.match(await alert.innerText(), /trop volumineux/);
  assert.equal(await host.evaluate((el) => el.shadowRoot.querySelectorAll('[aria-busy]').length), 0, 'nothing marked busy');
  assert.equal(await host.locator('.es-progress').count(), 0);
  await assertNoAxeViolations(page, 'error after the first records');
});

pageTest(env, 'a dataset that fits in one slice shows no banner and no partial state', async ({ page, server }) => {
  await page.addInitScript(() => {
    // Looks for the banner at every frame, from the start (a shadow root is out of a MutationObserver's reach).
    const poll = () => {
      const host = document.getElementById('widget');
      if (host && host.shadowRoot && host.shadowRoot.querySelector('.es-progress')) window.__sawBanner = true;
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
  await page.goto(server.url + 't/mount.html?dataset=/fault/many.json%3Fn%3D1500');
  const host = page.locator('#widget');
  await assertStatus(host, statusText(1500));
  assert.equal(await page.evaluate(() => window.__sawBanner || false), false);
});
