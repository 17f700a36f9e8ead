// The detail of one innovation shows every field of the record, and only safe links.

import assert from 'node:assert/strict';

import { setupSuite, pageTest, waitForWidget, statusText, DEMO, DEMO_COUNT } from './helpers.mjs';

const env = setupSuite();
const ID = 'tzcld-pipriac-saint-ganton';
const RECORD = DEMO.innovations.find((r) => r.id === ID);

/** The detail's fields as { label: value text } and { label: [link {text, href}] }. */
async function fields(detail) {
  return detail.locator('dl.es-fields > .es-row').evaluateAll((rows) => Object.fromEntries(rows.map((row) => {
    const dd = row.querySelector('dd');
    return [row.querySelector('dt').textContent.trim(), {
      text: dd.innerText.replace(/\s+/g, ' ').trim(),
      items: [...dd.querySelectorAll('li')].map((li) => li.textContent.trim()),
      links: [...dd.querySelectorAll('a')].map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })),
    }];
  })));
}

pageTest(env, `the detail of « ${ID} » shows every field of the record`, async ({ page, server }) => {
  assert.ok(RECORD, 'the demo dataset still has the reference record');
  await page.goto(server.url + `t/script-tag.html#e1.open=${ID}`);
  const w = page.locator('div.essaimage');
  await waitForWidget(w, statusText(DEMO_COUNT));
  const detail = w.locator('article.es-detail');
  await detail.waitFor();
  assert.equal(await detail.getByRole('heading', { level: 3 }).innerText(), RECORD.name);
  assert.equal(await detail.getAttribute('aria-labelledby'), await detail.locator('h3').getAttribute('id'));
  await detail.getByText("Stade de changement d'échelle : Généralisation", { exact: true }).waitFor();
  assert.equal(await detail.locator('.es-detail-summary').innerText(), RECORD.summary, 'the summary is shown whole');

  const f = await fields(detail);
  assert.equal(f["Lieu d'origine"].text, 'Pipriac (35)');
  assert.deepEqual(f['Thématique'].items, ['Emploi et insertion', 'Lien social']);
  assert.deepEqual(f["Stratégie de changement d'échelle"].items, ['Essaimage en réseau', 'Reprise par les pouvoirs publics']);
  assert.deepEqual(f["Rôle de l'acteur public"].items, ['Financement', "Animation de l'écosystème", 'Reprise institutionnelle']);
  assert.equal(f['Porteur'].text, 'Groupement');
  assert.equal(f['Démarrage'].text, String(RECORD.started));
  assert.equal(f['Démarrage'].text, '2014');
  assert.ok(!('Sites ou territoires' in f), 'no row for a field the record leaves empty (sites: null)');
  assert.deepEqual(f['Site officiel'].links, [{ text: 'tezea.fr', href: 'https://tezea.fr' }]);
  // Each replica: its place, then its year when the record gives one.
  assert.deepEqual(f['Essaimage (autres sites)'].items,
    RECORD.replicas.map((p) => `${p.commune} (${p.department})${p.started ? ` · ${p.started}` : ''}`));

  const sources = f['Sources'].links;
  assert.equal(sources.length, RECORD.sources.length);
  assert.deepEqual(sources.map((s) => s.href), RECORD.sources, 'every source, in order, with its full address');
  for (const s of sources) {
    assert.match(s.href, /^https?:\/\//, `source href ${s.href}`);
    assert.ok(!/^https?:/.test(s.text), 'link texts drop the scheme');
    assert.ok(s.text.length <= 71, `link text shortened: ${s.text}`);
  }
  // Every label the detail shows is one of these (nothing unexpected, nothing missing).
  assert.deepEqual(Object.keys(f).sort(), ['Démarrage', 'Essaimage (autres sites)', "Lieu d'origine", 'Porteur', "Rôle de l'acteur public",
    'Site officiel', 'Sources', "Stratégie de changement d'échelle", 'Thématique'].sort());
});

pageTest(env, 'the detail in English translates labels and vocabulary; the dataset\'s French texts are marked French', async ({ page, server }) => {
  await page.goto(server.url + `t/div-en.html#explorer.open=${ID}`);
  const w = page.locator('#explorer');
  await waitForWidget(w, statusText(DEMO_COUNT, DEMO_COUNT, 'en'));
  const detail = w.locator('article.es-detail');
  await detail.getByText('Scaling stage : Mainstreamed into public policy').or(detail.getByText('Scaling stage: Mainstreamed into public policy')).waitFor();
  const f = await fields(detail);
  assert.equal(f['Place of origin'].text, 'Pipriac (35)');
  assert.deepEqual(f['Theme'].items, ['Employment and inclusion', 'Social ties']);
  assert.equal(f['Started'].text, '2014');
  assert.equal(f['Carried by'].text, 'Partnership');
  await w.getByRole('button', { name: 'Back to the list' }).waitFor();
  // The dataset's French texts are marked French in the English widget (RGAA 8.7), its interface words are not.
  const langOf = (sel) => w.locator(sel).evaluateAll((els) => els.map((e) => e.closest('[lang]').getAttribute('lang')));
  assert.deepEqual(await langOf('.es-detail-title span, .es-detail-summary, .es-title span, .es-description'), ['fr', 'fr', 'fr', 'fr']);
  assert.deepEqual([...new Set(await langOf('.es-detail .es-row dt, .es-back'))], ['en']);
  await w.getByRole('button', { name: 'Back to the list' }).click();
  const items = await langOf('.es-item-title a, .es-item-summary');
  assert.ok(items.length >= 20);
  assert.deepEqual([...new Set(items)], ['fr'], 'names and summaries');
  assert.deepEqual([...new Set(await langOf('.es-item-meta .es-stage'))], ['en']);
  // In French, nothing to mark: the widget's own `lang` is the only one.
  await page.goto(server.url + `t/script-tag.html#e1.open=${ID}`);
  const fr = page.locator('div.essaimage');
  await waitForWidget(fr, statusText(DEMO_COUNT));
  await fr.locator('article.es-detail').waitFor();
  assert.deepEqual(await fr.evaluate((el) => [...el.shadowRoot.querySelectorAll('[lang] [lang]')].map((e) => e.outerHTML.slice(0, 80))), []);
});

pageTest(env, 'only absolute http(s) addresses become links (javascript:, data:, relative ones are dropped)', async ({ page, server }) => {
  await page.goto(server.url + `t/mount.html?dataset=/f/unsafe-links.json#widget.open=liens-mixtes`);
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(1));
  const detail = w.locator('article.es-detail');
  await detail.waitFor();
  const hrefs = await w.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of hrefs) {
    assert.match(href, /^(https?:\/\/|#)/, `unsafe href rendered: ${href}`);
  }
  const f = await fields(detail);
  assert.deepEqual(f['Sources'].links.map((l) => l.href), ['https://exemple.fr/a', 'http://exemple.org/b']);
  assert.ok(!('Site officiel' in f), 'a javascript: website is not shown at all');
});

pageTest(env, 'each result links to its own detail (href with open=<id>) and opens it in place', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  const w = page.locator('div.essaimage');
  await waitForWidget(w, statusText(DEMO_COUNT));
  const hrefs = await w.locator('.es-item h4 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(hrefs.length, 20);
  for (const href of hrefs) assert.match(href, /^#e1\.open=[a-z0-9-]+$/);
  assert.equal(new Set(hrefs).size, hrefs.length);
  const first = w.locator('.es-item h4 a').first();
  const name = await first.innerText();
  await first.click();
  await w.locator('.es-detail h3').filter({ hasText: name }).waitFor();
  assert.equal(page.url().split('#')[0], server.url + 't/script-tag.html', 'no navigation away from the page');
});
