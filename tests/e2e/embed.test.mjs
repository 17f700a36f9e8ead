// The three ways a webmaster embeds the widget, several instances per page, relative URLs and CSP.

import assert from 'node:assert/strict';
import fs from 'node:fs';

import {
  setupSuite, pageTest, waitForWidget, waitForAlert, assertStatus, statusText, DEMO, DEMO_COUNT, hashParts, waitForHash, territorySelect,
  collectCspViolations } from './helpers.mjs';

const env = setupSuite();
const SMALL = JSON.parse(fs.readFileSync(new URL('./fixtures/small.json', import.meta.url), 'utf8'));
const ALL = statusText(DEMO_COUNT); // « 65 innovations »

pageTest(env, 'form (a): the script tag mounts the widget where it stands, in French by default', async ({ page, server }) => {
  await page.goto(server.url + 't/script-tag.html');
  const host = page.locator('main > div.essaimage');
  await waitForWidget(host, ALL);
  // The host element comes right after the script tag, inside the page's <main>.
  assert.equal(await page.evaluate(() => document.querySelector('main script[data-dataset]').nextElementSibling.className), 'essaimage');
  // It renders in an open shadow root, labelled as a region, in French.
  const info = await page.evaluate(() => {
    const root = document.querySelector('div.essaimage').shadowRoot;
    const region = root && root.querySelector('[role=region]');
    return { open: !!root, lang: region && region.getAttribute('lang'), label: region && region.getAttribute('aria-label') };
  });
  assert.deepEqual(info, { open: true, lang: 'fr', label: 'Explorateur des innovations sociales' });
  // The results heading is the visible count, and the page when there are several.
  await host.getByRole('heading', { level: 3, name: `${ALL} — Page 1 sur 4`, exact: true }).waitFor();
  await host.getByRole('group', { name: 'Thématique' }).waitFor();
  assert.equal(await host.getByLabel('Région', { exact: true }).inputValue(), '');
});

pageTest(env, 'form (b): a data-essaimage element with data-lang="en" shows English texts', async ({ page, server }) => {
  await page.goto(server.url + 't/div-en.html');
  const host = page.locator('#explorer');
  await waitForWidget(host, statusText(DEMO_COUNT, DEMO_COUNT, 'en'));
  assert.equal(await host.locator('.es-status').innerText(), '65 innovations');
  await host.getByRole('group', { name: 'Theme', exact: true }).waitFor();
  await host.getByRole('group', { name: 'Scaling stage' }).waitFor();
  await host.getByRole('heading', { level: 3, name: '65 innovations — Page 1 of 4', exact: true }).waitFor();
  assert.equal(await host.getByLabel('Region', { exact: true }).inputValue(), '');
  assert.equal(await host.getByLabel('Search', { exact: true }).count(), 1);
  assert.equal(await host.locator('[role=region]').getAttribute('lang'), 'en');
  assert.equal(await host.locator('[role=region]').getAttribute('aria-label'), 'Social innovation explorer');
  // Vocabulary labels are translated too.
  await host.getByRole('checkbox', { name: /^Housing \(\d+\)$/ }).waitFor();
  // No French interface text leaks into the English widget.
  const text = await host.locator('.es').innerText();
  for (const fr of ['Thématique', 'Rechercher', 'Trier par', 'Toutes les régions', 'sur 65', 'Tout effacer']) {
    assert.ok(!text.includes(fr), `English widget shows the French text « ${fr} »`);
  }
  // The element's id (a valid namespace) names the instance in links.
  assert.equal(await page.evaluate(() => document.getElementById('explorer').essaimage.id), 'explorer');
});

pageTest(env, "form (c): Essaimage.mount() from the page's module; handle.destroy() removes the widget", async ({ page, server }) => {
  await page.goto(server.url + 't/mount-api.html');
  const host = page.locator('#carte');
  await waitForWidget(host, ALL);
  const before = await page.evaluate(() => ({
    handleId: window.essaimageHandle.id,
    sameElement: window.essaimageHandle.element === document.getElementById('carte'),
    instances: window.Essaimage.instances().length,
    version: window.Essaimage.version,
    nodes: document.getElementById('carte').shadowRoot.childNodes.length,
  }));
  assert.equal(before.handleId, 'carte');
  assert.ok(before.sameElement);
  assert.equal(before.instances, 1);
  assert.match(before.version, /^\d+\.\d+\.\d+$/);
  assert.ok(before.nodes > 0);

  // The page's own button calls handle.destroy().
  await page.getByRole('button', { name: 'Retirer le widget' }).click();
  await page.waitForFunction(() => document.getElementById('carte').shadowRoot.childNodes.length === 0);
  const after = await page.evaluate(() => ({
    text: document.getElementById('carte').shadowRoot.textContent,
    handleOnElement: 'essaimage' in document.getElementById('carte'),
    instances: window.Essaimage.instances().length,
  }));
  assert.deepEqual(after, { text: '', handleOnElement: false, instances: 0 });
  assert.equal(await page.locator('.es').count(), 0);
  assert.equal(await page.getByRole('status').count(), 0);

  // A destroyed widget no longer reacts to the URL: navigating history must not throw or re-render it.
  await page.evaluate(() => {
    location.hash = 'carte.theme=habitat';
  });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await page.evaluate(() => document.getElementById('carte').shadowRoot.childNodes.length), 0);
  // destroy() is idempotent.
  await page.evaluate(() => window.essaimageHandle.destroy());
});

pageTest(env, 'Essaimage.mount() again on a destroyed element mounts a working widget', async ({ page, server }) => {
  await page.goto(server.url + 't/mount-api.html');
  const host = page.locator('#carte');
  await waitForWidget(host, ALL);
  await page.evaluate(() => window.essaimageHandle.destroy());
  await page.waitForFunction(() => document.getElementById('carte').shadowRoot.childNodes.length === 0);
  await page.evaluate(() => {
    window.essaimageHandle = window.Essaimage.mount(document.getElementById('carte'), { dataset: '/f/small.json' });
  });
  await waitForWidget(host, statusText(SMALL.innovations.length));
});

pageTest(env, 'two instances on one page are independent and namespace their URL keys', async ({ page, server }) => {
  await page.goto(server.url + 't/two.html');
  const first = page.locator('div.premier');
  const second = page.locator('div.second');
  await waitForWidget(first, ALL);
  await waitForWidget(second, statusText(SMALL.innovations.length));
  const ids = await page.evaluate(() => [...document.querySelectorAll('[data-essaimage]')].map((e) => e.essaimage.id));
  assert.deepEqual(ids, ['e1', 'e2']);

  // Filtering the first one changes only the first one's count.
  const region = await territorySelect(first, 'Région');
  const bretagne = await region.locator('option', { hasText: /^Bretagne \(/ }).innerText();
  const n = Number(/\((\d+)\)/.exec(bretagne)[1]);
  await region.selectOption({ label: bretagne });
  await assertStatus(first, statusText(n, DEMO_COUNT));
  await assertStatus(second, statusText(SMALL.innovations.length));
  await waitForHash(page, /(^#|&)e1\.t=r53(&|$)/);
  assert.ok(!(await hashParts(page)).some((p) => p.startsWith('e2.')), 'the second instance wrote nothing');

  // Filtering the second one keeps the first one's filter and count, and both keys live side by side.
  await second.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Emploi et insertion/ }).check();
  await waitForHash(page, /(^#|&)e2\.theme=emploi-insertion(&|$)/);
  await assertStatus(first, statusText(n, DEMO_COUNT));
  const parts = await hashParts(page);
  assert.ok(parts.includes('e1.t=r53'), `e1 part kept: ${parts}`);
  assert.ok(parts.includes('e2.theme=emploi-insertion'), `e2 part written: ${parts}`);
  assert.equal(await second.getByLabel('Région', { exact: true }).inputValue(), '', 'the region choice did not leak to e2');
  // Element ids inside each shadow root are namespaced, so labels stay bound to their own controls.
  const regionIds = await page.evaluate(() => [...document.querySelectorAll('[data-essaimage]')]
    .map((e) => e.shadowRoot.querySelector('select').id));
  assert.equal(new Set(regionIds).size, 2, `ids ${regionIds}`);

  // The WebAssembly module is downloaded once for both instances.
  assert.equal(server.requests.filter((r) => r === '/essaimage_wasm_bg.wasm').length, 1);
  assert.equal(server.requests.filter((r) => r === '/essaimage_wasm.js').length, 1);

  // Reloading restores each instance's own state.
  await page.reload();
  await waitForWidget(first, statusText(n, DEMO_COUNT));
  await assertStatus(second, statusText(SMALL.innovations.filter((r) => r.themes.includes('emploi-insertion')).length, SMALL.innovations.length));
  assert.equal(await first.getByLabel('Région', { exact: true }).inputValue(), '53');
  assert.ok(await second.getByRole('checkbox', { name: /^Emploi et insertion/ }).isChecked());
  assert.ok(!(await first.getByRole('checkbox', { name: /^Emploi et insertion/ }).isChecked()));
});

pageTest(env, 'a relative dataset URL is resolved against the page, not the loader', async ({ page, server }) => {
  await page.goto(server.url + 't/sub/relative.html');
  await waitForWidget(page, statusText(SMALL.innovations.length));
  await page.getByRole('heading', { name: 'Petit jeu de test' }).waitFor();
  assert.ok(server.requests.includes('/f/small.json'), `requests: ${server.requests.join(' ')}`);
  // The widget's own files were found next to the loader (/), not next to the page (/t/sub/).
  assert.ok(server.requests.includes('/essaimage_wasm_bg.wasm'));
  assert.ok(!server.requests.some((r) => r.startsWith('/t/sub/essaimage')), 'no request for the widget files under the page folder');
});

pageTest(env, "strict CSP (header, with 'wasm-unsafe-eval'): the widget works and causes no CSP violation", async ({ page, server, capture }) => {
  await collectCspViolations(page);
  const response = await page.goto(server.url + 't/csp-strict.html');
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'; style-src 'self'/);
  const host = page.locator('div.essaimage');
  await waitForWidget(host, ALL);
  // Use the widget a little: filter, search, open a detail, come back (all of it must stay within the policy).
  await host.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  await host.getByRole('button', { name: /^Retirer le filtre Thématique/ }).waitFor();
  await host.getByRole('searchbox', { name: 'Rechercher' }).fill('logement');
  await host.getByRole('button', { name: /^Retirer le filtre Rechercher/ }).waitFor();
  await host.locator('.es-item a').first().click();
  await host.locator('.es-detail h3').waitFor();
  await host.getByRole('button', { name: 'Retour à la liste' }).click();
  await host.locator('.es-detail').waitFor({ state: 'detached' });
  // The stylesheet applied (a blocked one would leave the widget unstyled).
  const position = await page.evaluate(() => {
    const root = document.querySelector('div.essaimage').shadowRoot;
    return getComputedStyle(root.querySelector('.es-visually-hidden')).position;
  });
  assert.equal(position, 'absolute', 'essaimage.css is applied');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'securitypolicyviolation events');
  assert.deepEqual(capture.consoleErrors, [], 'console errors (CSP refusals are logged there)');

  // Proof that the policy was really enforced all along: an inline script is refused (then forget that refusal).
  await assert.rejects(page.addScriptTag({ content: 'window.__inline = 1;' }));
  assert.equal(await page.evaluate(() => window.__inline), undefined);
  assert.equal((await page.evaluate(() => window.__cspViolations)).length, 1);
  capture.consoleErrors.length = 0;
});

pageTest(env, 'Trusted Types enforced (require-trusted-types-for, no policy allowed): the list, the map, the synthesis and the export work with no violation', async ({ page, server, capture }) => {
  await collectCspViolations(page);
  const response = await page.goto(server.url + 't/csp-trusted-types.html');
  assert.match(response.headers()['content-security-policy'], /require-trusted-types-for 'script'; trusted-types 'none'/);
  const host = page.locator('div.essaimage');
  await waitForWidget(host, ALL);
  await host.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  await host.getByRole('button', { name: /^Retirer le filtre Thématique/ }).waitFor();
  await host.locator('.es-item a').first().click();
  await host.locator('.es-detail h3').waitFor();
  await host.getByRole('button', { name: 'Retour à la liste' }).click();
  await host.getByRole('button', { name: /^Retirer le filtre Thématique/ }).click();
  // The synthesis writes its tables as DOM nodes: a cell lists its results.
  await host.getByRole('button', { name: 'Synthèse', exact: true }).click();
  await host.locator('table[data-cross] button.es-cell').first().waitFor();
  assert.ok(await host.locator('.es-synthesis table').count() >= 3, 'the synthesis tables');
  await host.locator('table[data-cross] button.es-cell').first().click();
  await host.locator('.es-synthesis').waitFor({ state: 'detached' });
  // The copy feedback (clipboard refused in a headless page or not, some text is shown).
  await host.getByRole('button', { name: 'Copier le lien' }).click();
  await host.locator('.es-copy :is(p, textarea)').first().waitFor();
  // No string ever reached an HTML sink: a refusal would be a violation event and a console error.
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'securitypolicyviolation events');
  assert.deepEqual(capture.consoleErrors, [], 'console errors');
  // Proof that Trusted Types were enforced: a string given to innerHTML is refused.
  const refused = await page.evaluate(() => {
    try { document.createElement('div').innerHTML = '<b>x</b>'; return false; } catch (e) { return e instanceof TypeError; }
  });
  assert.ok(refused, 'innerHTML with a string is refused');
  capture.consoleErrors.length = 0;
});

pageTest(env, "strict CSP with Trusted Types enforced: the widget and its debug report (the check page's module) work, with no violation", async ({ page, server, capture }) => {
  await collectCspViolations(page);
  const response = await page.goto(server.url + 't/csp-trusted-types-report.html');
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval';.*require-trusted-types-for 'script'/);
  const host = page.locator('div.essaimage');
  await waitForWidget(host, statusText(1));
  const report = host.locator('details.es-report');
  await report.waitFor();
  assert.match(await report.locator('summary').innerText(), /^Rapport de validation des données — Essaimage : 1 fiche\(s\) lue\(s\)/);
  assert.equal(await report.locator('li').count(), 6);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'securitypolicyviolation events');
  assert.deepEqual(capture.consoleErrors, [], 'console errors (CSP refusals are logged there)');
  // Proof that Trusted Types were enforced: a string given to innerHTML is refused.
  const refused = await page.evaluate(() => {
    try {
      document.body.innerHTML = '<p>x</p>';
      return false;
    } catch (e) {
      return e instanceof TypeError;
    }
  });
  assert.ok(refused, 'innerHTML with a string is refused');
  capture.consoleErrors.length = 0;
});

pageTest(env, "CSP without 'wasm-unsafe-eval': the alert box explains what to add", { allowConsoleErrors: true }, async ({ page, server, consoleErrors }) => {
  const response = await page.goto(server.url + 't/csp-nowasm.html');
  assert.ok(!response.headers()['content-security-policy'].includes('wasm-unsafe-eval'));
  const host = page.locator('div.essaimage');
  const text = await waitForAlert(host);
  assert.match(text, /Le widget Essaimage ne peut pas s'afficher/);
  assert.match(text, /WebAssembly bloqué par la politique de sécurité/);
  assert.match(text, /'wasm-unsafe-eval'/);
  assert.match(text, /script-src/);
  assert.equal(await host.locator('.es-status').count(), 0, 'no count is shown');
  assert.ok(consoleErrors.some((e) => e.includes('Essaimage') && e.includes('wasm-unsafe-eval')), `console: ${consoleErrors}`);
});

pageTest(env, 'options: pageSize sets the page length and debug shows the data report', async ({ page, server, consoleMessages }) => {
  await page.goto(server.url + 't/mount.html?dataset=/innovations-demo.json&pageSize=10&lang=en');
  const w = page.locator('#widget');
  await waitForWidget(w, '65 innovations');
  assert.equal(await w.locator('.es-item').count(), 10);
  await w.getByText('Page 1 of 7', { exact: true }).waitFor();
  await (await territorySelect(w, 'Region')).selectOption('53');
  await assertStatus(w, statusText(DEMO.innovations.filter((r) => r.origin.region === '53').length, DEMO_COUNT, 'en'));

  consoleMessages.length = 0;
  await page.goto(server.url + 't/mount.html?dataset=/f/unsafe-links.json&debug=true');
  await waitForWidget(w, statusText(1));
  // Made by the check page's module, loaded for it only (the widget's wasm has no report messages).
  const report = w.locator('details.es-report');
  await report.waitFor();
  assert.ok(server.requests.includes('/check/essaimage_check_bg.wasm'), 'the check module is loaded with debug');
  assert.equal(await report.evaluate((el) => el.open), true, 'the report is unfolded when there are problems');
  const text = await report.innerText();
  assert.match(text, /Rapport de validation des données/);
  assert.match(text, /1 fiche\(s\) lue\(s\), 1 gardée\(s\), 0 rejetée\(s\), 6 avertissement\(s\)/);
  assert.match(text, /fiche n° 1 \(liens-mixtes\), « sources\[1\] » — avertissement : adresse « javascript:alert\(1\) » ignorée/);
  assert.match(text, /Par région : /, 'the counts, as essaimage check gives them');
  // Keyboard: the summary folds the report, the list of problems (it scrolls when long) takes the focus.
  await report.locator('summary').focus();
  await page.keyboard.press('Enter');
  assert.equal(await report.evaluate((el) => el.open), false, 'Enter on the summary folds the report');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal(await w.evaluate((el) => el.shadowRoot.activeElement?.getAttribute('aria-label')), 'Problèmes');
  // The console gets one line: the counts and where the details are, not the problems.
  const lines = consoleMessages.filter((m) => m.includes('Essaimage :'));
  assert.deepEqual(lines, ["[warning] Essaimage : 1 fiche(s) lue(s), 1 gardée(s), 0 rejetée(s), 6 avertissement(s). Le détail : l'option debug du widget (data-debug), la page « Vérifier mon fichier » (verifier.html) ou la commande « essaimage check FICHIER »."]);
});

pageTest(env, 'without debug: one console line for a dataset with problems, in the widget\'s language, and no report nor check module', async ({ page, server, consoleMessages }) => {
  server.clearRequests();
  await page.goto(server.url + 't/mount.html?dataset=/f/unsafe-links.json&lang=en');
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(1, undefined, 'en'));
  const lines = consoleMessages.filter((m) => m.includes('Essaimage:'));
  assert.deepEqual(lines, ['[warning] Essaimage: 1 record(s) read, 1 kept, 0 rejected, 6 warning(s). The details: the widget\'s debug option (data-debug), the "Check my file" page (verifier.html) or the command "essaimage check FILE".']);
  assert.equal(await w.locator('.es-report').count(), 0);
  assert.ok(!server.requests.some((r) => r.startsWith('/check/')), `requests: ${server.requests.join(' ')}`);
});

pageTest(env, 'Essaimage.mount() options of the wrong type are reported in the console, not dropped in silence', { allowConsoleErrors: true }, async ({ page, server, consoleMessages }) => {
  await page.goto(server.url + 't/mount.html?dataset=/f/small.json');
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(SMALL.innovations.length));
  consoleMessages.length = 0;
  // Every option but the dataset is of the wrong type: each is reported and ignored (its default applies, and the
  // widget's files are still found next to the loader).
  const id = await page.evaluate(async () => {
    const handle = window.Essaimage.mount(document.getElementById('widget'),
      { dataset: '/f/small.json', lang: true, pageSize: 'abc', maxMb: {}, debug: () => 1, base: 42, id: 7 });
    await handle.ready;
    return handle.id;
  });
  await waitForWidget(w, statusText(SMALL.innovations.length));
  assert.equal(id, 'widget', "the element's id names the instance when the id option cannot");
  const warnings = consoleMessages.filter((m) => m.startsWith('[warning] Essaimage [widget]: '));
  for (const expected of [
    /option "lang" must be .*, not a boolean \(true\); it was ignored\./,
    /data-page-size="abc" must be a whole number/,
    /option "maxMb" must be .*, not an object; it was ignored\./,
    /option "debug" must be .*, not a function; it was ignored\./,
    /option "base" must be .*, not a number \(42\); it was ignored\./,
    /option "id" must be .*, not a number \(7\); it was ignored\./,
  ]) {
    assert.ok(warnings.some((m) => expected.test(m)), `no warning matching ${expected}: ${consoleMessages.join('\n')}`);
  }
  assert.equal(warnings.length, 6, warnings.join('\n'));
  assert.equal(await w.locator('[role=region]').getAttribute('lang'), 'fr');

  // A dataset that is not a text is not turned into an address: it is reported, and the widget asks for one.
  consoleMessages.length = 0;
  await page.evaluate(() => window.Essaimage.mount(document.getElementById('widget'), { dataset: 42 }).ready);
  assert.match(await waitForAlert(w), /Aucun jeu de données indiqué/);
  assert.ok(consoleMessages.some((m) => /^\[warning\] Essaimage \[widget\]: option "dataset" must be a text .*, not a number \(42\); it was ignored\.$/.test(m)),
    consoleMessages.join('\n'));
  assert.ok(!server.requests.some((r) => r.endsWith('/42')), `no request for "42": ${server.requests.join(' ')}`);
});

pageTest(env, "handle.id, known at once, is the widget's own namespace (data-id, else the element's id, else e1, e2…)", async ({ page, server }) => {
  await page.goto(server.url + 't/mount.html?dataset=/f/small.json');
  await waitForWidget(page.locator('#widget'), statusText(SMALL.innovations.length));
  const cases = await page.evaluate(async () => {
    const out = [];
    for (const [elementId, id] of [['', undefined], ['hôte', undefined], ['hote', undefined], ['hote2', ' carte '],
      ['hote3', 'pas valable'], ['', 'a'.repeat(33)], ['b'.repeat(32), 12]]) {
      const el = document.createElement('div');
      if (elementId) el.id = elementId;
      document.querySelector('main').append(el);
      const handle = window.Essaimage.mount(el, id === undefined ? { dataset: '/f/small.json' } : { dataset: '/f/small.json', id });
      const early = handle.id;
      await handle.ready;
      out.push({ elementId, early, widget: handle.id });
      handle.destroy();
    }
    return out;
  });
  for (const c of cases) assert.equal(c.early, c.widget, `${JSON.stringify(c)}`);
  assert.deepEqual(cases.map((c) => c.widget), ['e2', 'e3', 'hote', 'carte', 'hote3', 'e7', 'b'.repeat(32)]);
});
