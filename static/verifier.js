// The « Vérifier mon fichier » page (verifier.html): reads a file the visitor chose, in the browser only, with the
// check module (check/essaimage_check.js, the crate built with the `check` feature: the same import and report as
// the command-line tool), shows its report, offers the converted JSON and the row report of a table, and mounts
// the real widget on the data (the loader's `data` option). Requests: only the page's own files (the check module,
// the widget, data/france-departments.bin and data/communes.csv, the reference data the report needs).

import { mount } from './essaimage.js';

const LANG = /^en\b/i.test(new URLSearchParams(location.search).get('lang') || '') ? 'en' : 'fr';

// The page's texts; the French ones are also in verifier.html (for a browser without JavaScript).
const TEXTS = {
  fr: {
    pageTitle: 'Vérifier mon fichier – Essaimage',
    reading: 'Lecture de « {name} »…',
    done: '« {name} » lu : le rapport et l\'aperçu sont ci-dessous.',
    failed: '« {name} » n\'a pas pu être lu : {message}',
    other: 'English',
    otherHref: 'verifier.html?lang=en',
    otherLang: 'en',
    line: 'Ligne',
    column: 'Colonne',
    severity: 'Gravité',
    value: 'Valeur',
    message: 'Message',
    table: 'tableau',
    noIssue: 'Aucune ligne rejetée, aucune valeur corrigée.',
    rowsCaption: 'Lignes signalées par la conversion',
    problems: 'Problèmes',
    noProblem: 'Aucun problème : chaque fiche est gardée telle quelle.',
    counts: 'Fiches gardées',
    widgetLabel: 'Aperçu du widget',
  },
  en: {
    pageTitle: 'Check my file – Essaimage',
    skip: 'Skip to content',
    tagline: 'Check a dataset or convert a table',
    title: 'Check my file',
    lead: 'Choose a dataset (essaimage/1 JSON) or a table (CSV, TSV, XLSX, ODS): the page gives the widget\'s report — the same messages as the command-line tool and the widget\'s panel —, shows the widget on your data and, for a table, the converted JSON to download.',
    private: 'Your file does not leave your browser: it is read on your device, nothing is sent.',
    chooseTitle: '1. Choose a file',
    chooseLabel: 'File to check (JSON or .pack, CSV, TSV, XLSX, ODS)',
    dropHint: '… or drop it here.',
    noscript: 'This page needs JavaScript: it reads the file in your browser.',
    reportTitle: '2. The report',
    importTitle: 'Converting the table',
    downloadJson: 'Download the converted JSON',
    downloadCsv: 'Download the row report (CSV)',
    dataTitle: 'The dataset, as the widget reads it',
    previewTitle: '3. The preview in the widget',
    nextTitle: 'Next',
    next: 'Publish the JSON file on your site and paste the widget\'s tag (see the demo page). With a terminal, the essaimage tool does the same: essaimage template, essaimage import, essaimage check (docs/DATASET.md, "From spreadsheet to widget").',
    back: 'Back to the demo',
    reading: 'Reading "{name}"…',
    done: '"{name}" read: the report and the preview are below.',
    failed: '"{name}" could not be read: {message}',
    other: 'Français',
    otherHref: 'verifier.html',
    otherLang: 'fr',
    line: 'Row',
    column: 'Column',
    severity: 'Severity',
    value: 'Value',
    message: 'Message',
    table: 'table',
    noIssue: 'No row rejected, no value repaired.',
    rowsCaption: 'Rows reported by the conversion',
    problems: 'Problems',
    noProblem: 'No problem: every record is kept as it is.',
    counts: 'Records kept',
    widgetLabel: 'Widget preview',
  },
};
const T = TEXTS[LANG];

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? '');
}

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text != null) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function applyLanguage() {
  document.documentElement.lang = LANG;
  document.title = T.pageTitle;
  if (LANG === 'en') {
    for (const node of document.querySelectorAll('[data-t]')) {
      const text = T[node.dataset.t];
      if (text) node.textContent = text;
    }
  }
  const other = document.getElementById('autre-langue');
  other.textContent = T.other;
  other.href = T.otherHref;
  other.hreflang = T.otherLang;
  other.lang = T.otherLang;
}

// The check module and the reference data, loaded at the first file.
let checker = null;
function loadChecker() {
  checker ??= (async () => {
    const glue = await import('./check/essaimage_check.js');
    await glue.default({ module_or_path: new URL('check/essaimage_check_bg.wasm', import.meta.url) });
    const get = async (path) => {
      const r = await fetch(new URL(path, import.meta.url));
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
      return r;
    };
    const [departments, communes] = await Promise.all([
      get('data/france-departments.bin').then(async (r) => new Uint8Array(await r.arrayBuffer())),
      get('data/communes.csv').then((r) => r.text()),
    ]);
    glue.provide_reference(departments, communes, new Date().getFullYear());
    return glue;
  })();
  checker.catch(() => { checker = null; });
  return checker;
}

let widget = null;
const urls = [];

function download(link, text, name, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  urls.push(url);
  link.href = url;
  link.download = name;
}

function showImport(result) {
  const box = document.getElementById('import');
  const imp = result.import;
  box.hidden = !imp;
  if (!imp) return;
  document.getElementById('import-resume').textContent = imp.summary;
  const holder = document.getElementById('import-lignes');
  holder.replaceChildren();
  if (imp.issues.length === 0) {
    holder.append(el('p', T.noIssue));
  } else {
    const table = el('table', null, 'issues');
    table.append(el('caption', T.rowsCaption));
    const head = el('tr');
    for (const h of [T.line, T.column, T.severity, T.value, T.message]) {
      const th = el('th', h);
      th.scope = 'col';
      head.append(th);
    }
    table.append(el('thead'));
    table.tHead.append(head);
    const body = el('tbody');
    for (const issue of imp.issues) {
      const tr = el('tr');
      tr.dataset.severity = issue.severity;
      tr.append(el('td', issue.line == null ? T.table : String(issue.line)), el('td', issue.column ?? ''),
        el('td', issue.severity_word), el('td', issue.value ?? ''), el('td', issue.message));
      tr.title = issue.text;
      body.append(tr);
    }
    table.append(body);
    holder.append(table);
  }
  download(document.getElementById('telecharger-json'), imp.json, imp.json_name, 'application/json');
  download(document.getElementById('telecharger-csv'), imp.report_csv, imp.report_name, 'text/csv');
}

function showCheck(result) {
  const box = document.getElementById('donnees');
  box.replaceChildren();
  const check = result.check;
  document.getElementById('titre-donnees').hidden = !check;
  if (!check) return;
  if (check.error) {
    const alert = el('div', null, 'alert');
    alert.setAttribute('role', 'alert');
    alert.append(el('p', check.error.title, 'alert-title'), el('p', check.error.detail));
    box.append(alert);
    return;
  }
  box.append(el('p', check.summary, 'summary'));
  if (check.problems.length === 0) {
    box.append(el('p', T.noProblem));
  } else {
    box.append(el('h4', T.problems));
    const list = el('ul', null, 'problems');
    for (const p of check.problems) {
      const li = el('li', p.message);
      li.dataset.severity = p.severity;
      list.append(li);
    }
    box.append(list);
  }
  // The counts, as `essaimage check` prints them (its last three lines).
  box.append(el('h4', T.counts));
  const counts = el('ul', null, 'counts');
  for (const line of result.lines.slice(-3)) counts.append(el('li', line));
  box.append(counts);
}

function showFatal(result) {
  const box = document.getElementById('donnees');
  box.replaceChildren();
  const alert = el('div', null, 'alert');
  alert.setAttribute('role', 'alert');
  alert.append(el('p', result.fatal.title, 'alert-title'), el('p', result.fatal.detail));
  box.append(alert);
  document.getElementById('import').hidden = true;
}

function preview(data, name) {
  if (widget) widget.destroy();
  widget = null;
  const section = document.getElementById('apercu');
  section.hidden = data == null;
  if (data == null) return;
  widget = mount(document.getElementById('widget'), { data, name, lang: LANG, debug: true, id: 'apercu' });
}

async function check(file) {
  const status = document.getElementById('etat');
  status.textContent = fill(T.reading, { name: file.name });
  for (const url of urls.splice(0)) URL.revokeObjectURL(url);
  try {
    const [glue, buffer] = await Promise.all([loadChecker(), file.arrayBuffer()]);
    const bytes = new Uint8Array(buffer);
    const result = JSON.parse(glue.check_file(bytes, file.name, LANG));
    document.getElementById('rapport').hidden = false;
    if (result.fatal) {
      showFatal(result);
      preview(null);
    } else {
      showImport(result);
      showCheck(result);
      // An unreadable dataset gets the widget's own alert box: the same message as the report's.
      if (result.kind === 'table') preview(result.import.json, result.import.json_name);
      else preview(bytes, file.name);
    }
    status.textContent = fill(T.done, { name: file.name });
  } catch (e) {
    status.textContent = fill(T.failed, { name: file.name, message: (e && e.message) || String(e) });
  }
}

applyLanguage();
const input = document.getElementById('fichier');
input.addEventListener('change', () => {
  if (input.files && input.files[0]) check(input.files[0]);
});
const zone = document.getElementById('depot');
zone.addEventListener('dragover', (e) => {
  e.preventDefault();
  zone.classList.add('over');
});
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', (e) => {
  e.preventDefault();
  zone.classList.remove('over');
  const file = e.dataTransfer && e.dataTransfer.files[0];
  if (file) check(file);
});
