// Takes the README/docs screenshots of the demo: `make screenshots` (serves dist/ itself).
// Uses playwright-core from tests/e2e (installed by `scripts/ensure-tools.sh node`) and Debian's Chromium.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { launchOptions } from './chromium.mjs';
import { serveDir } from './serve.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = await import(pathToFileURL(resolve(root, 'tests/e2e/node_modules/playwright-core/index.mjs')).href);

const server = await serveDir(resolve(root, 'dist'));
const base = server.url;
const browser = await chromium.launch(launchOptions());
try {
  for (const [name, width, height, action] of [
    ['screenshot-1280', 1280, 1300, null],
    ['screenshot-1280-filtered', 1280, 1100, 'filter'],
    ['screenshot-1280-detail', 1280, 1100, 'detail'],
    ['screenshot-375', 375, 812, null],
    ['screenshot-375-filters', 375, 812, 'filters-open'],
  ]) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    await page.goto(base);
    await page.locator('.es-results-title').first().waitFor();
    if (action === 'filter') {
      await page.getByLabel('Région', { exact: true }).selectOption('11');
      await page.getByLabel(/Emploi et insertion/).check();
    } else if (action === 'detail') {
      await page.locator('.es-list a').first().click();
      await page.locator('.es-detail-title').waitFor();
    } else if (action === 'filters-open') {
      await page.getByRole('button', { name: /Afficher les filtres/ }).click();
    }
    if (width < 600 || action) await page.locator('#explorateur').scrollIntoViewIfNeeded();
    if (action) await page.evaluate(() => document.querySelector('#explorateur').scrollIntoView());
    await page.screenshot({ path: resolve(root, `docs/${name}.png`) });
    await page.close();
    console.log(`docs/${name}.png`);
  }
} finally {
  await browser.close();
  await server.close();
}
