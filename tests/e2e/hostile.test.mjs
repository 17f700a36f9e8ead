// Trustworthy on hostile data and hostile pages (issue 5).
//
// Data: the corpus of fixtures/hostile/ (built by fixtures/hostile/corpus.mjs, whose definitions give the
// expectations): HTML and script payloads in every text field, dangerous and obfuscated URLs, bidi and zero-width
// characters, emoji, 100,000-character strings, wrong types, duplicate keys, a BOM, invalid UTF-8, 10,000 levels of
// nesting, truncated files, and hostile values in the URL hash. For each: nothing executes (window.__pwned trap,
// dialogs, requests under /pwned/), no element comes from the data (the shadow root holds only the widget's own
// tags), every link is http(s) or the widget's own #…, every valid record is shown, every problem is named in the
// data report; fatal files end in the alert box with the position of the fault.
//
// Page: csp-hostile.html under the strict CSP, with hostile.css (and, on demand, extra stylesheets): the widget
// looks (boxes, computed styles) and works (filter, detail, map) as on the same page without them.
//

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { setupSuite, pageTest, waitForWidget, waitForAlert, assertStatus, statusOf, statusText, collectCspViolations, DEMO, DEMO_COUNT } from './helpers.mjs';
import * as C from './fixtures/hostile/corpus.mjs';

const env = setupSuite();

const mountUrl = (dataset, extra = {}) => `t/mount.html?${new URLSearchParams({ dataset, debug: '', ...extra })}`;

// ---- what the widget renders -------------------------------------------------------------------------------------

/** Every tag the widget's own markup uses (src/ui, the loader's boxes, the stylesheet link). */
const HTML_TAGS = 'a article aside bdi button dd details div dl dt fieldset footer h2 h3 h4 header input label legend li link nav ol option p section select span strong summary ul'.split(' ');
const SVG_TAGS = 'svg g path circle rect line text title'.split(' ');
/** Attributes the widget never writes and that would load or run something (style: refused by a strict CSP anyway). */
const DANGEROUS_ATTRIBUTES = '^(on.*|src|srcdoc|srcset|data|action|formaction|xlink:href|style|background|poster|ping|http-equiv)$';

/**
 * Checks the widget in `host`: only the widget's own tags (HTML in the HTML namespace, SVG only inside the one map),
 * no attribute that runs or loads anything, the stylesheet link as the only link, every a[href] an absolute
 * http(s) URL or the widget's own "#…" link. Returns the list of problems (empty when all is well).
 */
async function auditWidget(host) {
  return host.evaluate((el, [html, svg, dangerous]) => {
    const HTML = new Set(html);
    const SVG = new Set(svg);
    const bad = new RegExp(dangerous, 'i');
    const root = el.shadowRoot;
    if (!root) return ['no shadow root'];
    const problems = [];
    const show = (e) => `<${e.localName}${e.className && typeof e.className === 'string' ? '.' + e.className.replace(/ /g, '.') : ''}>`;
    for (const e of root.querySelectorAll('*')) {
      const tag = e.localName;
      if (e.namespaceURI === 'http://www.w3.org/2000/svg') {
        if (!SVG.has(tag)) problems.push(`foreign SVG element <${tag}>`);
        else if (!e.closest('svg.es-map-svg')) problems.push(`SVG element ${show(e)} outside the map`);
      } else if (e.namespaceURI === 'http://www.w3.org/1999/xhtml') {
        if (!HTML.has(tag)) problems.push(`foreign element <${tag}>`);
      } else {
        problems.push(`element <${tag}> in namespace ${e.namespaceURI}`);
      }
      for (const a of e.attributes) {
        if (bad.test(a.name)) problems.push(`attribute ${a.name}="${a.value.slice(0, 80)}" on ${show(e)}`);
      }
      if (tag === 'strong' && !e.closest('.es-error')) problems.push('<strong> outside the alert box');
      if (tag === 'link' && (e.parentNode !== root || e.rel !== 'stylesheet' || !/\/essaimage\.css$/.test(e.href))) {
        problems.push(`unexpected <link rel="${e.rel}" href="${e.getAttribute('href')}">`);
      }
      if (tag === 'a' && e.hasAttribute('href')) {
        const href = e.getAttribute('href');
        if (href.startsWith('#')) {
          // The widget's own links: its namespace, then a key (#e1.open=…).
          const ns = el.essaimage ? el.essaimage.id : '';
          if (!href.startsWith(`#${ns}.`)) problems.push(`fragment link outside the widget's namespace: ${JSON.stringify(href)}`);
          continue;
        }
        let url = null;
        try {
          url = new URL(href);
        } catch {
          problems.push(`link that is not a valid URL: ${JSON.stringify(href)}`);
          continue;
        }
        if (!/^https?:\/\//i.test(href) || !['http:', 'https:'].includes(url.protocol)) {
          problems.push(`link to a non-http(s) address: ${JSON.stringify(href)}`);
        }
      }
    }
    if (root.querySelectorAll('svg.es-map-svg').length > 1) problems.push('more than one map');
    if (root.querySelectorAll('link').length > 1) problems.push('more than one link element');
    return problems;
  }, [HTML_TAGS, SVG_TAGS, DANGEROUS_ATTRIBUTES]);
}

async function assertCleanWidget(host, label) {
  assert.deepEqual(await auditWidget(host), [], `elements or attributes from the data in the widget (${label})`);
}

// ---- traps --------------------------------------------------------------------------------------------------------

/**
 * Installs the traps before any page script runs: payloads try to set window.__pwned, call alert()/confirm()/
 * prompt()/open(), or load something under /pwned/. Each attempt is logged in window.__hostileLog.
 */
function installTraps() {
  const log = [];
  Object.defineProperty(window, '__hostileLog', { value: log });
  Object.defineProperty(window, '__pwned', {
    configurable: false,
    get() {
      return undefined;
    },
    set(v) {
      log.push(`window.__pwned = ${String(v)}`);
    },
  });
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
    window[name] = (...args) => {
      log.push(`${name}(${args.map(String).join(', ')})`);
    };
  }
}

/** Installs the traps on `page` and collects dialogs (from frames the data might create). */
async function trap(page) {
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  await page.addInitScript(installTraps);
  return dialogs;
}

/** Nothing ran, nothing was loaded from the data, no element escaped into the page, no prototype was polluted. */
async function assertNothingExecuted({ page, server, capture }, dialogs) {
  assert.deepEqual(await page.evaluate(() => window.__hostileLog), [], 'a payload ran (window.__pwned, alert…)');
  assert.deepEqual(dialogs, [], 'dialogs opened');
  assert.deepEqual(server.requests.filter((r) => r.startsWith('/pwned')), [], 'requests caused by the data');
  const foreign = capture.requests.filter((u) => !u.startsWith(server.origin + '/'));
  assert.deepEqual(foreign, [], 'requests to another origin than the test server');
  const seen = await page.evaluate(() => ({
    injected: [...document.querySelectorAll('img, iframe, object, embed, svg, video, audio, style, base, meta[http-equiv], math, template, noscript, form')]
      .map((e) => e.outerHTML.slice(0, 100)),
    scripts: [...document.scripts].map((s) => s.getAttribute('src')),
    baseURI: document.baseURI === document.URL,
    polluted: [({}).polluted, Object.prototype.polluted, Array.prototype.polluted],
  }));
  assert.deepEqual(seen.injected, [], 'elements added to the host page');
  assert.ok(seen.scripts.every((s) => s && s.startsWith('/')), `scripts in the page: ${seen.scripts}`);
  assert.ok(seen.baseURI, 'the document base URL changed');
  assert.deepEqual(seen.polluted, [undefined, undefined, undefined], 'prototype pollution');
}

// ---- reading the widget -------------------------------------------------------------------------------------------

/** The data report's lines (exact text of each <li>), its summary, and their parsed form. */
async function reportOf(host) {
  // The report is filled in once the check page's module has read the file (the `debug` option).
  await host.locator('details.es-report').waitFor();
  const { lines, summary } = await host.evaluate((el) => {
    const r = el.shadowRoot.querySelector('details.es-report');
    return {
      lines: r ? [...r.querySelectorAll('li')].map((li) => li.textContent) : null,
      summary: r ? r.querySelector('summary').textContent : null,
    };
  });
  assert.ok(lines, 'the data report is shown (debug)');
  return { lines, summary, parsed: lines.map(parseLine) };
}

const LINE = /^(?:fiche n° (\d+)(?: \((.*?)\))?|document)(?:, « (.*?) »)? — (fiche rejetée|avertissement) : (.*)$/s;
/** « fiche n° 3 (id), « field » — avertissement : … » → { n, id, field, severity, message }. */
function parseLine(line) {
  const m = LINE.exec(line);
  assert.ok(m, `report line in an unexpected form: ${line}`);
  return { n: m[1] ? Number(m[1]) : null, id: m[2] ?? null, field: m[3] ?? '', severity: m[4] === 'fiche rejetée' ? 'rejected' : 'warning', message: m[5] };
}

const UNSAFE_URL_TEXT = 'ignorée : seules les adresses absolues http:// ou https:// (2 048 caractères au plus) sont acceptées';
function unsafeUrlLine(n, id, field, value) {
  const where = n === null ? 'document' : `fiche n° ${n} (${id})`;
  return `${where}, « ${field} » — avertissement : adresse « ${C.clip(value)} » ${UNSAFE_URL_TEXT}`;
}

/** Opens the detail of `id` through the URL hash (as a shared link would) and waits for its title. */
async function openDetail(page, host, id, name) {
  await page.evaluate((hash) => {
    location.hash = hash;
  }, `${await host.evaluate((el) => el.essaimage.id)}.open=${id}`);
  await host.locator('h3.es-detail-title').first().waitFor();
  await page.waitForFunction(([sel, expected]) => {
    const h = document.querySelector(sel).shadowRoot.querySelector('h3.es-detail-title');
    return h && h.textContent === expected;
  }, [await selectorOf(host), name]);
}

/** Back to the list with the detail's own button. */
async function closeDetail(host) {
  await host.getByRole('button', { name: 'Retour à la liste' }).click();
  await host.locator('article.es-detail').waitFor({ state: 'detached' });
}

async function selectorOf(host) {
  return host.evaluate((el) => (el.id ? `#${el.id}` : 'div.essaimage'));
}

/** Texts of the open detail: title, summary, stage, every dd, tags, link hrefs. */
async function detailOf(host) {
  return host.evaluate((el) => {
    const a = el.shadowRoot.querySelector('article.es-detail');
    return {
      title: a.querySelector('h3').textContent,
      summary: a.querySelector('.es-detail-summary')?.textContent ?? null,
      stage: a.querySelector('.es-stage')?.textContent ?? null,
      // A place ends with a space that separates it from what follows when styles are off (RGAA 10.3).
      dd: [...a.querySelectorAll('dd')].map((d) => d.textContent.replace(/ $/, '')),
      items: [...a.querySelectorAll('dd li')].map((d) => d.textContent),
      links: [...a.querySelectorAll('a[href]')].map((x) => x.getAttribute('href')),
    };
  });
}

// ---- the corpus on disk is the one corpus.mjs builds -------------------------------------------------------------

pageTest(env, 'the hostile corpus on disk is exactly what fixtures/hostile/corpus.mjs builds', async () => {
  const files = C.buildCorpus();
  for (const [rel, bytes] of Object.entries(files)) {
    const file = path.join(C.HERE, rel);
    assert.ok(fs.existsSync(file), `${rel} missing: run node fixtures/hostile/corpus.mjs`);
    assert.ok(fs.readFileSync(file).equals(bytes), `${rel} differs from corpus.mjs: run node fixtures/hostile/corpus.mjs`);
  }
});

// ---- markup in every text field ----------------------------------------------------------------------------------

pageTest(env, 'HTML, script, SVG, entity and template payloads in every text field are shown as text and never run', { timeout: 120_000 }, async (ctx) => {
  const { page, server } = ctx;
  const dialogs = await trap(page);
  await page.goto(server.url + mountUrl('/f/hostile/markup.json', { pageSize: '100' }));
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(C.MARKUP.length));
  await assertCleanWidget(w, 'list');

  const L = C.MARKUP_DOC.labels;
  const shown = await w.evaluate((el) => {
    const r = el.shadowRoot;
    const ownText = (e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('');
    return {
      title: r.querySelector('.es-title').textContent,
      description: r.querySelector('.es-description').textContent,
      credits: [...r.querySelectorAll('.es-credits dd')].map((d) => d.textContent),
      creditLinks: r.querySelectorAll('.es-credits a').length,
      names: [...r.querySelectorAll('ol.es-list h4 a')].map((a) => a.textContent),
      places: [...r.querySelectorAll('.es-item-place')].map((e) => e.textContent.replace(/ $/, '')),
      summaries: [...r.querySelectorAll('.es-item-summary')].map((e) => e.textContent),
      stages: [...r.querySelectorAll('.es-item-meta .es-stage')].map((e) => e.textContent.replace(/ $/, '')),
      options: [...r.querySelectorAll('.es-options label')].map(ownText),
      tags: [...new Set([...r.querySelectorAll('ol.es-list .es-tag')].map((e) => e.textContent))],
    };
  });
  assert.equal(shown.title, C.MARKUP_DOC.title);
  assert.equal(shown.description, C.MARKUP_DOC.description);
  assert.ok(shown.credits.includes(C.MARKUP_DOC.license), `licence shown as text: ${shown.credits}`);
  assert.ok(shown.credits.includes(C.MARKUP_DOC.sourceName), `source name shown as text: ${shown.credits}`);
  assert.equal(shown.creditLinks, 0, 'the javascript: source URL is not a link');
  assert.deepEqual([...shown.names].sort(), [...C.MARKUP].sort(), 'every record, its name as text');
  assert.deepEqual([...shown.places].sort(), C.MARKUP.map((m) => `${m} (35)`).sort(), 'communes as text');
  assert.deepEqual([...shown.summaries].sort(), C.MARKUP.map((m, i) => `Résumé ${i} : ${m}`).sort(), 'summaries as text');
  assert.ok(shown.stages.every((s) => s === L.stage.fr), `stage labels as text: ${shown.stages[0]}`);
  for (const label of [L.theme.fr, L.habitat, L.stage.fr, L.strategy.fr, L.role.fr]) {
    assert.ok(shown.options.includes(label), `vocabulary label shown as text in the filters: ${label}`);
  }
  assert.deepEqual(shown.tags.sort(), [L.theme.fr, L.habitat].sort(), 'theme tags as text');

  // The data report names the refused source URL.
  const report = await reportOf(w);
  assert.deepEqual(report.lines, [unsafeUrlLine(null, null, 'source.url', C.MARKUP_DOC.sourceUrl)]);
  assert.match(report.summary, /25 fiche\(s\) lue\(s\), 25 gardée\(s\), 0 rejetée\(s\), 1 avertissement\(s\)/);

  // Every record's detail: each field as text, only the record's own http(s) links.
  for (const [i, payload] of C.MARKUP.entries()) {
    await openDetail(page, w, `markup-${C.pad(i)}`, payload);
    const d = await detailOf(w);
    assert.equal(d.summary, `Résumé ${i} : ${payload}`);
    assert.ok(d.stage.endsWith(` : ${L.stage.fr}`), `stage label as text: ${d.stage}`);
    assert.ok(d.dd.includes(`${payload} (35)`), `origin as text: ${d.dd}`);
    assert.ok(d.items.includes(`${payload} (essaimage) (35) · 2020`), `replica as text: ${d.items}`);
    for (const label of [L.theme.fr, L.habitat, L.strategy.fr, L.role.fr]) assert.ok(d.items.includes(label), `label ${label} in ${d.items}`);
    assert.ok(d.dd.includes(L.kind.fr), `carrier kind label as text: ${d.dd}`);
    assert.deepEqual(d.links, [`https://exemple.fr/fiche/${i}`, `https://exemple.org/source/${i}`]);
    await assertCleanWidget(w, `detail of markup-${C.pad(i)}`);
  }

  // A payload typed in the search box, and a facet with a hostile label, become chips as text.
  await closeDetail(w);
  const typed = '<img src=/pwned/search onerror="window.__pwned=\'search\'"><svg onload=alert(1)>';
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill(typed);
  await page.waitForFunction(([expected]) => [...document.querySelector('#widget').shadowRoot.querySelectorAll('.es-chip-text')]
    .some((c) => c.textContent === expected), [`« ${typed} »`]);
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('');
  await w.locator('input[type=checkbox][id$="-themes-theme-piege"]').check();
  await page.waitForFunction(([expected]) => [...document.querySelector('#widget').shadowRoot.querySelectorAll('.es-chip-text')]
    .some((c) => c.textContent === expected), [L.theme.fr]);
  // Hover and focus every marker and result (handlers written in the data would fire on these).
  await w.locator('ol.es-list h4 a').first().hover();
  await w.locator('ol.es-list h4 a').first().focus();
  await assertCleanWidget(w, 'chips');
  await assertNothingExecuted(ctx, dialogs);
});

pageTest(env, 'hostile vocabulary labels in English are shown as text too', async (ctx) => {
  const { page, server } = ctx;
  const dialogs = await trap(page);
  await page.goto(server.url + mountUrl('/f/hostile/markup.json', { lang: 'en' }));
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(C.MARKUP.length, C.MARKUP.length, 'en'));
  const options = await w.evaluate((el) => [...el.shadowRoot.querySelectorAll('.es-options label')]
    .map((l) => [...l.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('')));
  const L = C.MARKUP_DOC.labels;
  for (const label of [L.theme.en, L.stage.en, L.strategy.en, L.role.en]) assert.ok(options.includes(label), `${label} in ${options}`);
  await openDetail(page, w, 'markup-03', C.MARKUP[3]);
  assert.ok((await detailOf(w)).dd.includes(L.kind.en));
  await assertCleanWidget(w, 'English');
  await assertNothingExecuted(ctx, dialogs);
});

// ---- dangerous URLs -----------------------------------------------------------------------------------------------

pageTest(env, 'javascript:, data:, vbscript: and obfuscated URLs in url and sources never become links; each is reported', { timeout: 120_000 }, async (ctx) => {
  const { page, server } = ctx;
  const dialogs = await trap(page);
  await page.goto(server.url + mountUrl('/f/hostile/urls.json', { pageSize: '100' }));
  const w = page.locator('#widget');
  const total = C.UNSAFE_URLS.length + 1;
  await waitForWidget(w, statusText(total));
  await assertCleanWidget(w, 'list');

  const report = await reportOf(w);
  assert.deepEqual(report.lines, C.urlsExpectedProblems().map(([n, id, field, value]) => unsafeUrlLine(n, id, field, value)));
  assert.match(report.summary, new RegExp(`${total} fiche\\(s\\) lue\\(s\\), ${total} gardée\\(s\\), 0 rejetée\\(s\\), ${C.urlsExpectedProblems().length} avertissement\\(s\\)`));
  assert.equal(await w.locator('.es-credits a').count(), 0, 'the unsafe source URL is not a link');

  const safeHref = C.SAFE_URLS.map(([, href]) => href);
  for (const [i] of C.UNSAFE_URLS.entries()) {
    await openDetail(page, w, `url-${C.pad(i)}`, `Adresse piégée ${i + 1}`);
    assert.deepEqual((await detailOf(w)).links, [safeHref[0]], `only the safe source of url-${C.pad(i)} is a link`);
    await assertCleanWidget(w, `detail of url-${C.pad(i)}`);
  }
  await openDetail(page, w, C.URL_ALL_ID, 'Toutes les adresses');
  assert.deepEqual((await detailOf(w)).links, [safeHref[2], ...safeHref], 'website, then the safe sources, in order');
  await assertCleanWidget(w, 'detail with every address');
  await assertNothingExecuted(ctx, dialogs);
});

pageTest(env, 'an unsafe source.url (document credits) is never a link, for every obfuscation; each is reported', { timeout: 120_000 }, async (ctx) => {
  const { page, server } = ctx;
  const dialogs = await trap(page);
  await page.goto(server.url + mountUrl('/f/hostile/source-url/00.json'));
  await waitForWidget(page.locator('#widget'), statusText(1));
  for (const [i, u] of C.UNSAFE_URLS.entries()) {
    await page.evaluate(([dataset, id]) => {
      const el = document.createElement('div');
      el.id = id;
      document.querySelector('main').append(el);
      window.Essaimage.mount(el, { dataset, debug: true });
    }, [`/f/hostile/source-url/${C.pad(i)}.json`, `source${i}`]);
    const host = page.locator(`#source${i}`);
    await waitForWidget(host, statusText(1));
    const credits = await host.evaluate((el) => ({
      links: el.shadowRoot.querySelectorAll('.es-credits a').length,
      text: el.shadowRoot.querySelector('.es-credits').textContent,
    }));
    assert.equal(credits.links, 0, `source.url ${JSON.stringify(u)} became a link`);
    assert.ok(credits.text.includes(`Source ${i + 1}`), 'the source name is still credited');
    assert.deepEqual((await reportOf(host)).lines, [unsafeUrlLine(null, null, 'source.url', u)]);
    await assertCleanWidget(host, `source.url ${JSON.stringify(u)}`);
    await page.evaluate((id) => {
      const el = document.getElementById(id);
      el.essaimage.destroy();
      el.remove();
    }, `source${i}`);
  }
  await assertNothingExecuted(ctx, dialogs);
});

// ---- Unicode ------------------------------------------------------------------------------------------------------

pageTest(env, 'bidi controls, zero-width characters, emoji, combining marks and control characters are shown as given', async (ctx) => {
  const { page, server } = ctx;
  const dialogs = await trap(page);
  await page.goto(server.url + mountUrl('/f/hostile/unicode.json', { pageSize: '100' }));
  const w = page.locator('#widget');
  const expected = C.unicodeShown();
  await waitForWidget(w, statusText(expected.length));
  await assertCleanWidget(w, 'list');
  const names = await w.evaluate((el) => [...el.shadowRoot.querySelectorAll('ol.es-list h4 a')].map((a) => a.textContent));
  assert.deepEqual([...names].sort(), expected.map((r) => r.name).sort(), 'names exactly as decoded (emoji-long cut at 200 characters)');
  const long = expected.find((r) => r.id === 'emoji-long').name;
  assert.equal([...long].length, 200, 'cut at 200 characters, not in the middle of a surrogate pair');

  const report = await reportOf(w);
  assert.deepEqual(report.lines, [
    `fiche n° ${C.UNICODE_RECORDS.findIndex((r) => r.id === 'emoji-long') + 1} (emoji-long), « name » — avertissement : texte de 250 caractères coupé à 200 : raccourcissez-le`,
    `fiche n° ${C.UNICODE_RECORDS.length + 1} (${C.UNICODE_INVALID_ID}), « id » — fiche rejetée : identifiant « ${C.UNICODE_INVALID_ID} » invalide : utilisez 1 à 80 caractères parmi a-z, 0-9 et « - », sans tiret au début`,
  ]);

  for (const r of expected.filter((x) => x.summary)) {
    await openDetail(page, w, r.id, r.name);
    const d = await detailOf(w);
    assert.equal(d.summary, r.summary, `summary of ${r.id}`);
    assert.ok(d.dd.includes(`${r.commune} (35)`), `origin of ${r.id}: ${JSON.stringify(d.dd)}`);
  }
  await closeDetail(w);

  // Searching with an emoji finds the records whose name has it.
  await w.getByRole('searchbox', { name: 'Rechercher' }).fill('🐝');
  await w.locator('.es-chip-text').filter({ hasText: '🐝' }).waitFor();
  const found = await w.evaluate((el) => [...el.shadowRoot.querySelectorAll('ol.es-list h4 a')].map((a) => a.textContent));
  for (const r of expected.filter((x) => x.name.includes('🐝'))) assert.ok(found.includes(r.name), `search 🐝 finds ${r.id}`);
  await assertCleanWidget(w, 'search');
  await assertNothingExecuted(ctx, dialogs);
});

pageTest(env, 'a bidi override in the data does not reorder the text the widget writes after it', async ({ page, server }) => {
  // « Ville\u202E (35) »: an unterminated RIGHT-TO-LEFT OVERRIDE (or a right-to-left commune name) must not reorder
  // the widget's own « (35) »: data text is isolated (<bdi>, unicode-bidi: isolate).
  await page.goto(server.url + mountUrl('/f/hostile/unicode.json', { pageSize: '100' }));
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(C.unicodeShown().length));
  const order = await w.evaluate((el) => {
    const out = {};
    for (const e of el.shadowRoot.querySelectorAll('.es-item-place')) {
      const text = e.textContent.replace(/ $/, '');
      const i = text.lastIndexOf(' (35)');
      // x of each character of « (35) », found through the text nodes of the element.
      const xs = [];
      for (let k = i + 1; k < text.length; k++) {
        let offset = k;
        let node = null;
        const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
        while ((node = walker.nextNode())) {
          if (offset < node.data.length) break;
          offset -= node.data.length;
        }
        const range = document.createRange();
        range.setStart(node, offset);
        range.setEnd(node, offset + 1);
        xs.push(Math.round(range.getBoundingClientRect().left));
      }
      out[text] = xs;
    }
    return out;
  });
  const reordered = Object.entries(order).filter(([, xs]) => xs.some((x, k) => k > 0 && x <= xs[k - 1]));
  assert.deepEqual(reordered.map(([text]) => text), [], `« (35) » is not drawn left to right after: ${JSON.stringify(reordered)}`);
});

pageTest(env, 'names that display nothing (zero-width, bidi controls, soft hyphens, filler) are rejected as empty', async ({ page, server }) => {
  // Names made only of invisible characters (zero-width, bidi controls, soft hyphen, BOM, Hangul fillers) show an
  // empty link: they are rejected like an empty name (text::is_blank).
  await page.goto(server.url + mountUrl('/f/hostile/invisible.json', { pageSize: '100' }));
  const w = page.locator('#widget');
  await statusOf(w).filter({ hasText: /innovations?$/ }).waitFor({ state: 'attached' });
  const report = await reportOf(w);
  const rejected = report.parsed.filter((p) => p.severity === 'rejected' && p.field === 'name').map((p) => p.id);
  assert.deepEqual(rejected, C.INVISIBLE_NAMES.map(([id]) => id), `report: ${report.lines.join('\n')}`);
  await assertStatus(w, statusText(1));
});

// ---- huge strings -------------------------------------------------------------------------------------------------

pageTest(env, '100,000-character strings: loaded quickly, cut to their limits, each cut and refusal named in the report', async (ctx) => {
  const { page, server } = ctx;
  const dialogs = await trap(page);
  const start = Date.now();
  await page.goto(server.url + mountUrl('/f/hostile/long.json') + '#widget.open=long-nom');
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(3));
  const seconds = (Date.now() - start) / 1000;
  assert.ok(seconds < 10, `a 1 MB file of long strings took ${seconds} s to show`);
  await w.locator('article.es-detail').waitFor();
  const lengths = await w.evaluate((el) => {
    const r = el.shadowRoot;
    const len = (sel) => [...(r.querySelector(sel)?.textContent ?? '')].length;
    return {
      title: len('.es-title'),
      description: len('.es-description'),
      detailName: len('h3.es-detail-title'),
      detailSummary: len('.es-detail-summary'),
      listName: Math.max(...[...r.querySelectorAll('ol.es-list h4 a')].map((a) => [...a.textContent].length)),
      listSummary: len('.es-item-summary'),
      licence: Math.max(...[...r.querySelectorAll('.es-credits dd')].filter((d) => d.textContent.startsWith('LLL')).map((d) => d.textContent.length)),
    };
  });
  assert.deepEqual(lengths, { title: 300, description: 5000, detailName: 200, detailSummary: 2000, listName: 200, listSummary: 240, licence: 300 });

  const report = await reportOf(w);
  const cut = (where, field, max) => `${where}, « ${field} » — avertissement : texte de ${C.LONG} caractères coupé à ${max} : raccourcissez-le`;
  for (const line of [
    cut('document', 'title', 300),
    cut('document', 'description', 5000),
    cut('document', 'license', 300),
    cut('fiche n° 1 (long-nom)', 'name', 200),
    cut('fiche n° 1 (long-nom)', 'summary', 2000),
    `fiche n° 2 (${C.clip(C.LONG_TEXT.id)}), « id » — fiche rejetée : identifiant « ${C.clip(C.LONG_TEXT.id)} » invalide : utilisez 1 à 80 caractères parmi a-z, 0-9 et « - », sans tiret au début`,
    unsafeUrlLine(3, 'long-url', 'url', C.LONG_TEXT.url),
    unsafeUrlLine(3, 'long-url', 'sources[0]', C.LONG_TEXT.url),
  ]) {
    assert.ok(report.lines.includes(line), `report line missing: ${line}\nreport:\n${report.lines.join('\n')}`);
  }
  await assertCleanWidget(w, 'long strings');
  await assertNothingExecuted(ctx, dialogs);
});

pageTest(env, 'a long unbroken word in the data wraps inside the widget instead of widening it', async ({ page, server }) => {
  // `all: initial !important` on :host would override a plain `overflow-wrap`: it is `!important` too, so long
  // unbroken words wrap inside the widget instead of widening it.
  await page.goto(server.url + mountUrl('/f/hostile/long.json'));
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(3));
  const m = await w.evaluate((el) => {
    const host = el.getBoundingClientRect();
    const es = el.shadowRoot.querySelector('.es');
    const wide = [...el.shadowRoot.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > host.right + 1)
      .map((e) => `<${e.localName}${e.getAttribute('class') ? '.' + e.getAttribute('class').split(' ')[0] : ''}> ${Math.round(e.getBoundingClientRect().width)}px`);
    return { overflowWrap: getComputedStyle(es).overflowWrap, scroll: es.scrollWidth, client: es.clientWidth, wide: wide.slice(0, 8) };
  });
  assert.equal(m.overflowWrap, 'anywhere', 'overflow-wrap inside the widget');
  assert.ok(m.scroll <= m.client + 1, `the widget is ${m.scroll}px wide inside a ${m.client}px box; wider than the host: ${m.wide.join(', ')}`);
});

pageTest(env, 'every data text is bounded and every cut is reported (source name, vocabulary labels, commune)', async ({ page, server }) => {
  // Every data text has a limit and every cut is reported: title, description, licence, name, summary, and also
  // source.name, vocabulary labels and place.commune.
  await page.goto(server.url + mountUrl('/f/hostile/long.json') + '#widget.open=long-nom');
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(3));
  await w.locator('article.es-detail').waitFor();
  const longest = await w.evaluate((el) => {
    const walker = document.createTreeWalker(el.shadowRoot, NodeFilter.SHOW_TEXT);
    const out = [];
    let n;
    while ((n = walker.nextNode())) if (n.data.length > 5000) out.push(`${n.parentElement.localName}.${n.parentElement.className}: ${n.data.length}`);
    return out;
  });
  assert.deepEqual(longest, [], 'text nodes longer than 5,000 characters (the largest limit, the description\'s)');
  const report = await reportOf(w);
  const fields = report.parsed.filter((p) => /coupé/.test(p.message)).map((p) => p.field);
  for (const field of [/^source(\.name)?$/, /^vocabularies\.themes/, /^origin\.commune$/]) {
    assert.ok(fields.some((f) => field.test(f)), `no report line for the cut of ${field}; cuts reported: ${fields.join(', ')}`);
  }
});

// ---- wrong types, duplicates, BOM, deep but valid -----------------------------------------------------------------

pageTest(env, 'numbers as strings and other wrong types: the value is dropped and named, the record kept or rejected as documented', async ({ page, server }) => {
  await page.goto(server.url + mountUrl('/f/hostile/types.json', { pageSize: '100' }));
  const w = page.locator('#widget');
  const kept = C.TYPE_RECORDS.filter(([, , problems]) => !problems.some(([, s]) => s === 'rejected'));
  await waitForWidget(w, statusText(kept.length));
  const names = await w.evaluate((el) => [...el.shadowRoot.querySelectorAll('ol.es-list h4 a')].map((a) => a.textContent));
  const nameOf = ([, over], i) => over.name || `Types ${i + 1}`;
  assert.deepEqual([...names].sort(), C.TYPE_RECORDS.map((r, i) => [r, i]).filter(([r]) => kept.includes(r)).map(([r, i]) => nameOf(r, i)).sort());

  const report = await reportOf(w);
  const got = report.parsed.map((p) => `${p.n ?? 'document'}|${p.id ?? ''}|${p.field}|${p.severity}`);
  const want = [
    ...C.TYPE_DOC_PROBLEMS.map(([field, s]) => `document||${field}|${s}`),
    ...C.TYPE_RECORDS.flatMap(([id, over, problems], i) => problems.map(([field, s]) => `${i + 1}|${id ?? over.id}|${field}|${s}`)),
    ...Array.from({ length: C.TYPE_NON_OBJECTS }, (_, k) => `${C.TYPE_RECORDS.length + k + 1}|||rejected`),
  ];
  assert.deepEqual([...got].sort(), [...want].sort());
  const rejected = C.TYPE_RECORDS.length - kept.length + C.TYPE_NON_OBJECTS;
  assert.match(report.summary, new RegExp(`${C.TYPE_RECORDS.length + C.TYPE_NON_OBJECTS} fiche\\(s\\) lue\\(s\\), ${kept.length} gardée\\(s\\), ${rejected} rejetée\\(s\\)`));
  await assertCleanWidget(w, 'types');
});

pageTest(env, 'duplicate keys (last value read, reported), duplicate ids (second rejected), __proto__ keys (inert)', async (ctx) => {
  const { page, server } = ctx;
  const dialogs = await trap(page);
  await page.goto(server.url + mountUrl('/f/hostile/duplicates.json'));
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(3));
  assert.equal(await w.locator('.es-title').textContent(), 'Titre retenu');
  const names = await w.evaluate((el) => [...el.shadowRoot.querySelectorAll('ol.es-list h4 a')].map((a) => a.textContent));
  assert.deepEqual([...names].sort(), ['Nom retenu', 'Ordinaire', 'Prototype']);
  const got = (await reportOf(w)).parsed.map((p) => `${p.n ?? 'document'}|${p.field}|${p.severity}`);
  for (const line of ['document|title|warning', 'document|innovations|warning', 'document|__proto__|warning', 'document|constructor|warning',
    '1|name|warning', '2|id|rejected', '3|__proto__|warning', '3|constructor|warning']) {
    assert.ok(got.includes(line), `report names ${line}: ${got.join(', ')}`);
  }
  await assertNothingExecuted(ctx, dialogs);
});

pageTest(env, 'a duplicate key inside a place (origin.department given twice) is reported like one in the record', async ({ page, server }) => {
  // A key given twice inside a place ("department": "35" then "29") is reported like one in the record.
  await page.goto(server.url + mountUrl('/f/hostile/duplicates.json'));
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(3));
  const got = (await reportOf(w)).parsed.map((p) => `${p.n ?? 'document'}|${p.field}`);
  assert.ok(got.includes('1|origin.department'), `report: ${got.join(', ')}`);
});

pageTest(env, 'a duplicate key at the top of the document is not described as « in the same record »', async ({ page, server }) => {
  // The duplicate-key message does not speak of a record for document-level keys.
  await page.goto(server.url + mountUrl('/f/hostile/duplicates.json'));
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(3));
  const line = (await reportOf(w)).lines.find((l) => l.startsWith('document, « title »'));
  assert.ok(line, 'the duplicate title is reported');
  assert.doesNotMatch(line, /fiche/, line);
});

pageTest(env, 'a byte-order mark at the start of the file is accepted', async ({ page, server }) => {
  await page.goto(server.url + mountUrl('/f/hostile/bom.json'));
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(2));
  assert.equal(await w.locator('.es-title').textContent(), 'Fichier coupé');
  const report = await reportOf(w);
  assert.deepEqual(report.lines, []);
  assert.match(report.summary, /2 fiche\(s\) lue\(s\), 2 gardée\(s\), 0 rejetée\(s\), 0 avertissement\(s\)/);
});

pageTest(env, `nesting deep but within the limit (${C.DEEP_OK_LEVELS} levels in a record) is read; the field is reported as unknown`, async ({ page, server }) => {
  await page.goto(server.url + mountUrl('/f/hostile/deep-ok.json'));
  const w = page.locator('#widget');
  await waitForWidget(w, statusText(2));
  assert.deepEqual((await reportOf(w)).parsed.map((p) => `${p.n}|${p.id}|${p.field}|${p.severity}`), ['1|profonde|extra|warning']);
});

// ---- fatal files --------------------------------------------------------------------------------------------------

for (const [name, f] of Object.entries(C.fatalFixtures())) {
  pageTest(env, `fatal: ${name} gives the alert box with line ${f.line}, column ${f.column} and no uncaught exception`, { allowConsoleErrors: true }, async (ctx) => {
    const { page, server, consoleErrors } = ctx;
    const dialogs = await trap(page);
    await page.goto(server.url + mountUrl(`/f/hostile/fatal/${name}`));
    const w = page.locator('#widget');
    const text = await waitForAlert(w);
    assert.match(text, /Le widget Essaimage ne peut pas s'afficher/);
    assert.match(text, /Le jeu de données n'est pas un JSON valide/);
    // Where (except for an empty file, which is called empty) and why, in French (src/report.rs, cause_fr).
    if (!f.empty) assert.ok(text.includes(`ligne ${f.line}, colonne ${f.column} de ${server.origin}/f/hostile/fatal/${name}`), text);
    assert.ok(text.includes(f.cause), `cause « ${f.cause} » in: ${text}`);
    assert.equal(await w.locator('[role=alert]').count(), 1);
    assert.equal(await w.locator('.es-list, .es-map, p[role=status]').count(), 0, 'nothing else is shown');
    assert.ok(consoleErrors.some((e) => e.includes('Essaimage') && e.includes(name)), `console: ${consoleErrors}`);
    await assertCleanWidget(w, name);
    await assertNothingExecuted(ctx, dialogs);
  });
}

// ---- hostile values in the URL hash -------------------------------------------------------------------------------

pageTest(env, 'hostile values in the URL hash (search, open, facets, territory, page, sort) run nothing and break nothing', async (ctx) => {
  const { page, server } = ctx;
  const dialogs = await trap(page);
  const payload = '<img src=/pwned/hash onerror="window.__pwned=\'hash\'"><script>alert(1)</script>';
  const parts = {
    q: payload,
    open: '<svg/onload=alert(1)>',
    theme: 'habitat,<b>x</b>,javascript:alert(1),' + 'a'.repeat(5000),
    stage: '"><img src=/pwned/stage>',
    t: 'r53"><img src=/pwned/territory onerror=alert(1)>',
    page: '99999999999999999999999',
    sort: 'javascript:alert(1)',
  };
  const hash = Object.entries(parts).map(([k, v]) => `widget.${k}=${encodeURIComponent(v)}`).join('&');
  await page.goto(server.url + mountUrl('/f/small.json') + '#' + hash);
  const w = page.locator('#widget');
  await statusOf(w).filter({ hasText: /innovations?( sur \d+)?$/ }).waitFor({ state: 'attached' });
  assert.equal(await w.getByRole('searchbox', { name: 'Rechercher' }).inputValue(), payload, 'the search box holds the text as text');
  await page.waitForFunction(([expected]) => [...document.querySelector('#widget').shadowRoot.querySelectorAll('.es-chip-text')]
    .some((c) => c.textContent === expected), [`« ${payload} »`]);
  await assertCleanWidget(w, 'hash');
  // Back to a clean hash, the widget shows everything again.
  await page.evaluate(() => {
    location.hash = 'widget.q=';
  });
  await assertStatus(w, statusText(6));
  await assertNothingExecuted(ctx, dialogs);
});

// ---- hostile host page (CSS) --------------------------------------------------------------------------------------

/** Elements whose box and computed style are compared, by CSS selector inside the shadow root. */
const KEY_ELEMENTS = {
  widget: '.es',
  title: '.es-title',
  'filter panel': 'aside.es-filters',
  'search box': 'input[type=search]',
  'first checkbox': '.es-options input[type=checkbox]',
  'results heading': '.es-results-title',
  'first result': 'ol.es-list > li.es-item',
  'first result link': 'ol.es-list h4 a',
  'map svg': 'svg.es-map-svg',
  'map region': 'svg.es-map-svg path',
  'zoom button': '.es-tool',
  credits: '.es-credits',
};
const STYLE_PROPERTIES = [
  'display', 'visibility', 'position', 'float', 'box-sizing', 'width', 'height', 'margin-top', 'margin-left', 'padding-top',
  'padding-left', 'border-top-width', 'border-top-color', 'border-radius', 'font-size', 'line-height', 'font-weight',
  'font-style', 'font-variant-caps', 'color', 'background-color', 'text-align', 'text-transform', 'text-indent',
  'letter-spacing', 'word-spacing', 'white-space', 'text-decoration-line', 'text-shadow', 'direction', 'unicode-bidi',
  'writing-mode', 'pointer-events', 'opacity', 'transform', 'filter', 'cursor', 'list-style-type', 'fill', 'stroke-width',
  'outline-style', 'overflow-wrap', 'word-break', 'user-select', 'zoom', 'color-scheme', 'accent-color', 'content-visibility',
];

/** Loads `url` (csp-hostile.html?…), waits for the widget and the stylesheets, returns boxes and styles. */
async function widgetLook(page, url, onResponse = () => {}) {
  onResponse(await page.goto(url));
  const host = page.locator('div.essaimage');
  await waitForWidget(host, statusText(DEMO_COUNT));
  await page.waitForFunction(() => [...document.querySelectorAll('link[rel=stylesheet]')].every((l) => l.disabled || l.sheet)
    && [...document.querySelector('div.essaimage').shadowRoot.querySelectorAll('link')].every((l) => l.sheet));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(([keys, props]) => {
    const host = document.querySelector('div.essaimage');
    const hb = host.getBoundingClientRect();
    const r = host.shadowRoot;
    const out = { host: { box: [hb.width, hb.height].map((v) => Math.round(v * 10) / 10), display: getComputedStyle(host).display } };
    for (const [name, sel] of Object.entries(keys)) {
      const e = r.querySelector(sel);
      if (!e) {
        out[name] = null;
        continue;
      }
      const b = e.getBoundingClientRect();
      const cs = getComputedStyle(e);
      out[name] = {
        box: [b.x - hb.x, b.y - hb.y, b.width, b.height].map((v) => Math.round(v * 10) / 10),
        style: Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)])),
      };
    }
    return out;
  }, [KEY_ELEMENTS, STYLE_PROPERTIES]);
}

/** Differences between two looks: boxes beyond `tolerance` px, any computed style. */
function lookDifferences(clean, hostile, { tolerance = 1, boxes = true } = {}) {
  const diffs = [];
  if (boxes && clean.host.box.some((v, i) => Math.abs(v - hostile.host.box[i]) > tolerance)) {
    diffs.push(`host box ${clean.host.box} → ${hostile.host.box}`);
  }
  if (clean.host.display !== hostile.host.display) diffs.push(`host display ${clean.host.display} → ${hostile.host.display}`);
  for (const name of Object.keys(KEY_ELEMENTS)) {
    const a = clean[name];
    const b = hostile[name];
    if (!a || !b) {
      diffs.push(`${name}: ${a ? 'present' : 'missing'} → ${b ? 'present' : 'missing'}`);
      continue;
    }
    if (boxes && a.box.some((v, i) => Math.abs(v - b.box[i]) > tolerance)) diffs.push(`${name} box [x, y, w, h] ${a.box} → ${b.box}`);
    for (const p of STYLE_PROPERTIES) if (a.style[p] !== b.style[p]) diffs.push(`${name} ${p}: ${a.style[p]} → ${b.style[p]}`);
  }
  return diffs;
}

pageTest(env, 'hostile page CSS (csp-hostile.html, strict CSP): the widget looks and works exactly as on the clean page', { timeout: 90_000 }, async ({ page, server, capture }) => {
  await collectCspViolations(page);
  const clean = await widgetLook(page, server.url + 't/csp-hostile.html?clean');
  let response;
  const hostile = await widgetLook(page, server.url + 't/csp-hostile.html', (r) => {
    response = r;
  });
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'; style-src 'self'/);
  // Proof that the hostile stylesheet applies to the page (and the host element) but not inside the widget.
  const proof = await page.evaluate(() => ({
    body: getComputedStyle(document.body).textTransform,
    h1: getComputedStyle(document.querySelector('h1')).fontSize,
    sheets: [...document.querySelectorAll('link[data-hostile]')].filter((l) => !l.disabled).map((l) => l.dataset.hostile),
  }));
  assert.deepEqual(proof, { body: 'uppercase', h1: '60px', sheets: ['hostile'] });
  assert.deepEqual(lookDifferences(clean, hostile), [], 'the widget differs from the clean page');

  const host = page.locator('div.essaimage');
  // The map is visible and drawn.
  const map = await host.evaluate((el) => {
    const svg = el.shadowRoot.querySelector('svg.es-map-svg');
    const b = svg.getBoundingClientRect();
    const path = svg.querySelector('path');
    return { display: getComputedStyle(svg).display, w: b.width, h: b.height, paths: svg.querySelectorAll('path').length, fill: getComputedStyle(path).fill };
  });
  assert.equal(map.display, 'block');
  assert.ok(map.w > 200 && map.h > 150 && map.paths > 10, JSON.stringify(map));
  assert.notEqual(map.fill, 'rgb(255, 0, 0)');
  assert.ok(await host.locator('svg.es-map-svg').isVisible());
  // Filtering works (clicks reach the checkbox despite the page's rules).
  await host.getByRole('group', { name: 'Thématique' }).getByRole('checkbox', { name: /^Habitat et logement/ }).check();
  const n = DEMO.innovations.filter((r) => (r.themes || []).includes('habitat')).length;
  await assertStatus(host, statusText(n, DEMO_COUNT));
  // Opening a detail works (a { pointer-events: none } does not reach the widget's links).
  const first = host.locator('ol.es-list h4 a').first();
  const name = (await first.textContent()).trim();
  await first.click();
  await host.locator('h3.es-detail-title').filter({ hasText: name }).waitFor();
  await host.getByRole('button', { name: 'Retour à la liste' }).click();
  await host.locator('article.es-detail').waitFor({ state: 'detached' });
  // Zooming the map works.
  const transform = () => host.evaluate((el) => el.shadowRoot.querySelector('svg.es-map-svg > g[transform], svg.es-map-svg g[transform]').getAttribute('transform'));
  const before = await transform();
  await host.getByRole('button', { name: 'Zoomer +', exact: true }).click();
  await page.waitForFunction((t) => document.querySelector('div.essaimage').shadowRoot
    .querySelector('svg.es-map-svg g[transform]').getAttribute('transform') !== t, before);

  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'securitypolicyviolation events');
  assert.deepEqual(capture.consoleErrors, [], 'console errors (CSP refusals are logged there)');
});

/** Compares the clean page with the hostile page plus one extra stylesheet. */
async function compareExtra(page, server, extra, options) {
  await collectCspViolations(page);
  const clean = await widgetLook(page, server.url + 't/csp-hostile.html?clean');
  const hostile = await widgetLook(page, server.url + `t/csp-hostile.html?extra=${extra}`);
  const on = await page.evaluate(() => [...document.querySelectorAll('link[data-hostile]')].filter((l) => !l.disabled).map((l) => l.dataset.hostile));
  assert.deepEqual(on, ['hostile', extra], 'stylesheets applied');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  return lookDifferences(clean, hostile, options);
}

pageTest(env, 'a right-to-left page (direction: rtl on body or the host) does not mirror the widget', async ({ page, server }) => {
  // `all: initial` does not reset `direction`/`unicode-bidi`: :host sets them, so a right-to-left page does not
  // mirror the widget.
  assert.deepEqual(await compareExtra(page, server, 'rtl'), [], 'the widget differs from the clean page');
});

pageTest(env, 'generated content on the host (div::before / div::after in the page) does not enter the widget box', async ({ page, server }) => {
  // :host::before/::after are set to content: none, so the page's div::before/::after cannot enter the widget box.
  assert.deepEqual(await compareExtra(page, server, 'pseudo'), [], 'the widget differs from the clean page');
});

pageTest(env, 'custom properties registered by the page (@property --accent, --text, --bg…) do not change the widget', async ({ page, server }) => {
  // @property registrations are document-wide: the widget's internal custom properties are named --es-* so that a
  // page registering --accent, --text, --bg… does not change it.
  assert.deepEqual(await compareExtra(page, server, 'property'), [], 'the widget differs from the clean page');
});

pageTest(env, "the page's 62.5 % root font-size trick does not shrink the widget's text", async ({ page, server }) => {
  // The widget's text size defaults to `medium` (the reader's setting), not `1rem` (the page's root size).
  const diffs = await compareExtra(page, server, 'rem', { boxes: false });
  assert.deepEqual(diffs.filter((d) => /font-size|line-height/.test(d)), [], 'text sizes differ from the clean page');
});

// WCAG 1.4.12 / RGAA 10.12: a reader's !important text spacing, on the hostile page, reaches the widget's text, while
// the page's own line-height and spacing rules (hostile.css: body, main and div) still do not.
pageTest(env, "a reader's text-spacing override (!important, in the page) reaches the widget's text", async ({ page, server }) => {
  const diffs = await compareExtra(page, server, 'spacing', { boxes: false });
  const spacing = diffs.filter((d) => /line-height|letter-spacing|word-spacing/.test(d));
  assert.ok(spacing.length > 0, 'the override changes the widget');
  const host = page.locator('div.essaimage');
  const text = await host.evaluate((el) => {
    const r = el.shadowRoot;
    return ['.es-item-summary', '.es-item-title a', '.es-status', '.es-options label', '.es-results-title', '.es-title'].map((sel) => {
      const cs = getComputedStyle(r.querySelector(sel));
      return [sel, cs.fontSize, cs.lineHeight, cs.letterSpacing, cs.wordSpacing];
    });
  });
  // The host's 16 px text: 0.12em and 0.16em computed there (1.92 px, 2.56 px), inherited as lengths; the line
  // height as the factor 2.
  for (const [sel, size, lineHeight, letter, word] of text) {
    assert.deepEqual([sel, lineHeight, letter, word], [sel, `${parseFloat(size) * 2}px`, '1.92px', '2.56px'], JSON.stringify(text));
  }
  // Nothing else changed, but the boxes' sizes that follow.
  assert.deepEqual(diffs.filter((d) => !/line-height|letter-spacing|word-spacing| (width|height):/.test(d)), []);
});

pageTest(env, 'the host page can still hide the widget with the hidden attribute on its element', async ({ page, server }) => {
  // :host([hidden]) { display: none !important }: the page can still hide the widget with the hidden attribute.
  await page.goto(server.url + 't/csp-hostile.html?clean');
  const host = page.locator('div.essaimage');
  await waitForWidget(host, statusText(DEMO_COUNT));
  await host.evaluate((el) => {
    el.hidden = true;
  });
  assert.equal(await host.evaluate((el) => getComputedStyle(el).display), 'none');
  assert.equal(await host.isVisible(), false);
});
