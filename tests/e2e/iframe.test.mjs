// The iframe embed (embed.html) and the host's optional script (essaimage-frame.js): the frame on another origin,
// in a host page under a strict CSP that allows only that frame; its height following its content; its state in the
// host's address; messages from anyone else ignored; and, without the script, a fixed-height frame that scrolls.

import assert from 'node:assert/strict';

import { setupSuite, pageTest, waitForWidget, statusText, DEMO, DEMO_COUNT } from './helpers.mjs';

const env = setupSuite();
const ALL = statusText(DEMO_COUNT);

/** The host page (tests/e2e/pages/iframe-host.html): the README's snippet with the widget on the other origin. */
async function hostPage(page, server, { script = true, height = 400 } = {}) {
  return `${server.url}t/iframe-host.html?widget=${encodeURIComponent(server.cross.url + 'open/')}&script=${script ? 1 : 0}&height=${height}`;
}

function widgetFrame(page) {
  return page.frameLocator('#frame');
}

/** The iframe's height on the host page, and its document's own height and scroll state. */
async function sizes(page) {
  const frameHeight = await page.locator('#frame').evaluate((f) => f.clientHeight);
  const frame = page.frames().find((f) => f.url().includes('/embed.html'));
  const inner = await frame.evaluate(() => ({
    content: document.documentElement.getBoundingClientRect().height,
    scrollHeight: document.scrollingElement.scrollHeight,
    clientHeight: document.scrollingElement.clientHeight,
  }));
  return { frameHeight, ...inner };
}

async function waitForFit(page, what) {
  let last;
  for (let i = 0; i < 50; i++) {
    last = await sizes(page);
    if (Math.abs(last.frameHeight - last.content) <= 3 && last.scrollHeight <= last.clientHeight + 1) return last;
    await page.waitForTimeout(100);
  }
  assert.fail(`${what}: the frame does not fit its content: ${JSON.stringify(last)}`);
}

pageTest(env, 'iframe + optional script: the frame height follows its content as a filter shrinks and grows the list', async ({ page, server, capture }) => {
  await page.goto(await hostPage(page, server));
  const w = widgetFrame(page);
  await waitForWidget(w, ALL);
  const full = await waitForFit(page, 'all results');
  assert.ok(full.frameHeight > 1000, `the frame grew past its 400 px: ${JSON.stringify(full)}`);
  const name = DEMO.innovations[0].name;
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill(name);
  await w.locator('ol.es-list > li.es-item').first().waitFor();
  await page.waitForFunction((h) => document.getElementById('frame').clientHeight < h - 200, full.frameHeight);
  const one = await waitForFit(page, 'one result');
  assert.ok(one.frameHeight < full.frameHeight - 200, `the frame shrank: ${one.frameHeight} < ${full.frameHeight}`);
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('');
  await page.waitForFunction((h) => document.getElementById('frame').clientHeight > h + 200, one.frameHeight);
  const again = await waitForFit(page, 'all results again');
  assert.ok(Math.abs(again.frameHeight - full.frameHeight) <= 3, `back to the full height: ${again.frameHeight} vs ${full.frameHeight}`);
  // The host page loaded nothing but its own files and the widget's origin (no CSP report, no error).
  assert.ok(!capture.consoleMessages.some((m) => /Content Security Policy/i.test(m)), capture.consoleMessages.join('\n'));
});

pageTest(env, "iframe + optional script: a filter chosen in the frame is in the host's address; reload and back restore it", async ({ page, server }) => {
  const url = await hostPage(page, server);
  await page.goto(url);
  const w = widgetFrame(page);
  await waitForWidget(w, ALL);
  const lengthBefore = await page.evaluate(() => history.length);
  const box = w.getByRole('group', { name: 'Thématique' }).getByRole('checkbox').first();
  const label = (await box.getAttribute('id'));
  await box.check();
  const filtered = await w.locator('p[role=status].es-status').innerText();
  assert.notEqual(filtered.trim(), ALL);
  await page.waitForFunction(() => /(^#|&)essaimage=/.test(location.hash));
  const hash = await page.evaluate(() => location.hash);
  const saved = decodeURIComponent(hash.replace(/^.*essaimage=/, '').split('&')[0]);
  assert.match(saved, /^essaimage\.theme=/, `the frame's hash under the host's key: ${hash}`);
  // The host made the history entry, the frame none of its own: one Back returns to no filter.
  assert.equal(await page.evaluate(() => history.length), lengthBefore + 1);

  await page.reload();
  await waitForWidget(widgetFrame(page), filtered.trim());
  assert.equal(await widgetFrame(page).locator(`#${label}`).isChecked(), true, 'the checkbox is checked again after a reload');
  const frame = page.frames().find((f) => f.url().includes('/embed.html'));
  assert.equal(decodeURIComponent(await frame.evaluate(() => location.hash)), '#' + saved);

  // A shared link opened in a fresh page restores it too.
  const shared = await page.evaluate(() => location.href);
  const other = await page.context().newPage();
  await hostPage(other, server);
  await other.goto(shared);
  await waitForWidget(other.frameLocator('#frame'), filtered.trim());
  await other.close();

  // Back, on the host, clears the filter in the frame; Forward brings it back.
  await page.goBack();
  await waitForWidget(widgetFrame(page), ALL);
  await page.goForward();
  await waitForWidget(widgetFrame(page), filtered.trim());
});

pageTest(env, 'messages from another origin or another window are ignored, both ways', async ({ page, server }) => {
  await page.goto(await hostPage(page, server));
  const w = widgetFrame(page);
  await waitForWidget(w, ALL);
  const fit = await waitForFit(page, 'loaded');
  // The host page itself (its own origin, not the frame's), and another frame of the widget's origin.
  await page.evaluate(() => new Promise((resolve) => {
    window.postMessage({ essaimage: 1, type: 'height', height: 37 }, '*');
    window.postMessage({ essaimage: 1, type: 'hash', hash: 'essaimage.q=pirate', push: true }, '*');
    const spy = document.createElement('iframe');
    spy.id = 'spy';
    spy.title = 'espion';
    spy.addEventListener('load', resolve, { once: true });
    spy.src = document.getElementById('frame').src.replace(/embed\.html.*$/, 'favicon.svg');
    document.body.append(spy);
  }));
  const spyFrame = page.frames().find((f) => f.url().endsWith('/favicon.svg'));
  await spyFrame.evaluate(() => {
    parent.postMessage({ essaimage: 1, type: 'height', height: 41 }, '*');
    parent.postMessage({ essaimage: 1, type: 'hash', hash: 'essaimage.q=pirate', push: true }, '*');
    // To the widget's frame: not its parent, so not heard.
    parent.frames[0].postMessage({ essaimage: 1, type: 'hash', hash: 'essaimage.q=pirate' }, '*');
    parent.frames[0].postMessage({ essaimage: 1, type: 'hello' }, '*');
  });
  await page.waitForTimeout(600);
  const after = await sizes(page);
  assert.ok(Math.abs(after.frameHeight - fit.frameHeight) <= 1, `the height was not changed by strangers: ${after.frameHeight}`);
  assert.equal(await page.evaluate(() => location.hash), '', 'the host address is untouched');
  await waitForWidget(w, ALL);
  const frame = page.frames().find((f) => f.url().includes('/embed.html'));
  assert.equal(await frame.evaluate(() => location.hash), '', "the frame's address is untouched");
});

pageTest(env, 'without the script: the fixed-height frame scrolls inside, every control reachable by keyboard (phone)', { viewport: { width: 390, height: 760 } }, async ({ page, server }) => {
  await page.goto(server.url + 't/csp-iframe-fixed.html');
  const w = widgetFrame(page);
  await waitForWidget(w, ALL);
  const s = await sizes(page);
  assert.equal(Math.round(s.frameHeight), 480, 'the frame keeps its height');
  assert.ok(s.scrollHeight > s.clientHeight, 'the frame document scrolls');
  const frame = page.frames().find((f) => f.url().includes('/embed.html'));
  // One scroll bar: nothing inside the frame scrolls but its document; the host page does not scroll sideways.
  const inner = await frame.evaluate(() => {
    const scrollers = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        const cs = getComputedStyle(el);
        if (/(auto|scroll)/.test(cs.overflowY) && el.scrollHeight > el.clientHeight + 1) scrollers.push(el.className || el.tagName);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return { scrollers, sideways: document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth };
  });
  assert.deepEqual(inner.scrollers, []);
  assert.ok(inner.sideways <= 0, `the frame scrolls sideways by ${inner.sideways}px`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth));
  // Keyboard: Tab from the host into the frame and through every control; each one focused is scrolled into view.
  const expected = await frame.evaluate(() => {
    const root = document.getElementById('essaimage').shadowRoot;
    return [...root.querySelectorAll('a[href], button, input, select, [tabindex="0"]')]
      .filter((el) => el.getClientRects().length > 0 && !el.disabled).length;
  });
  await page.locator('h1').click();
  const seen = new Set();
  for (let i = 0; i < expected + 10; i++) {
    await page.keyboard.press('Tab');
    const f = await frame.evaluate(() => {
      const host = document.activeElement;
      const el = host && host.shadowRoot && host.shadowRoot.activeElement;
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { key: el.outerHTML.slice(0, 80) + r.top, inView: r.bottom > 0 && r.top < innerHeight, text: el.textContent.trim().slice(0, 40) };
    });
    if (!f) {
      if (seen.size) break; // left the frame after its last control
      continue;
    }
    assert.ok(f.inView, `the focused control is scrolled into the frame's view: ${JSON.stringify(f)}`);
    seen.add(f.key);
  }
  assert.ok(seen.size >= expected, `every control reached: ${seen.size} of ${expected}`);
});
