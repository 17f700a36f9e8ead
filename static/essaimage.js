// Essaimage loader — the one file a webmaster links to.
//
//   <script type="module" src="https://example.gouv.fr/essaimage/essaimage.js" data-dataset="innovations.json"></script>
//
// Three ways to embed (see README):
//   (a) the script tag above mounts a widget where it stands;
//   (b) <div data-essaimage data-dataset="…"></div> plus the script tag anywhere mounts every such element;
//   (c) Essaimage.mount(element, { dataset, lang }) returns a handle with destroy(); or
//       Essaimage.mount(element, { data, name }) with the dataset already in memory (a file the visitor chose).
//
// The loader finds the widget's other files next to itself (from its own URL; `data-base` / `base` overrides),
// loads the WebAssembly once for all instances, gives each instance an open shadow root with the widget's
// stylesheet, and turns every failure a page author can cause into a readable message inside the widget's box.
// It never uses inline scripts or styles, so it runs under a strict Content-Security-Policy.
//
// With the `debug` option it also shows the data report in the widget: the check page's module (check/, the same
// report as the « Vérifier mon fichier » page and `essaimage check`) is loaded then only, and reads the same bytes
// the widget read; the widget's own files carry none of the report's messages.

const VERSION = '0.1.0';
// The widget's two builds: for JSON datasets, and for packed ones (`essaimage pack`), told apart by the dataset's
// first byte (a pack's is 0x89, which no UTF-8 text starts with); each carries only its own reader.
const BUILDS = ['essaimage_wasm', 'essaimage_packed'];
const CSS = 'essaimage.css';
const CHECK_GLUE = 'check/essaimage_check.js';
const CHECK_WASM = 'check/essaimage_check_bg.wasm';
// The department outlines, relative to the widget's files (src/embed/mod.rs asks for the same URL).
const OUTLINES = 'data/france-departments.bin';
const SELF_URL = import.meta.url;
// (`data` and `name` last: optionsFromAttributes reads the others from data-* attributes.)
const OPTIONS = ['dataset', 'lang', 'debug', 'id', 'maxMb', 'pageSize', 'headingLevel', 'base', 'theme', 'layout', 'data', 'name'];
// Looks the loader gives the stylesheet through attributes of div.es-root (the widget itself does not know them):
// data-theme (space-separated: dsfr, and auto, dark or light) and data-layout.
const THEMES = ['auto', 'dark', 'light', 'dsfr'];
const LAYOUTS = ['compact'];

const modules = new Map(); // base URL and build -> Promise of the initialised wasm-bindgen module
const checkers = new Map(); // base URL -> Promise of the check page's module (the `debug` report)
const handles = new Set();
let counter = 0;

class LoadFailure extends Error {
  constructor(kind, detail = {}) {
    super(kind);
    this.kind = kind;
    this.detail = detail;
  }
}

// ---- texts and rules: written from src/i18n.rs and src/config.rs by tests/loader_texts.rs
// (do not edit here: edit the Rust, then
// `ESSAIMAGE_BLESS=1 cargo test --test loader_texts`; `cargo test` fails while they differ).
// {url}, {status}, {type} and {message} are filled in by fill().
const MESSAGES = {
  fr: {
    title: "Le widget Essaimage ne peut pas s'afficher",
    label: "Explorateur des innovations sociales",
    loading: "Chargement des innovations…",
    none: "aucun",
    file: [
      "Page ouverte depuis un fichier local (file://)",
      "Les navigateurs interdisent de charger WebAssembly et des données depuis une page ouverte en file://. Servez le dossier avec un serveur web, par exemple « make demo » ou « python3 -m http.server », puis ouvrez l'adresse http://127.0.0.1:…",
    ],
    glue: [
      "Fichiers du widget introuvables",
      "Le script {url} n'a pas pu être chargé. Publiez tout le dossier du widget tel quel, ou indiquez son adresse avec data-base. Si la page a une politique de sécurité (CSP), script-src doit autoriser ce domaine.",
    ],
    http: [
      "Fichier WebAssembly introuvable",
      "Le serveur répond {status} pour {url}. Publiez tout le dossier du widget tel quel, ou indiquez son adresse avec data-base.",
    ],
    network: [
      "Fichier WebAssembly inaccessible",
      "Aucune réponse pour {url} ({message}). Si le widget est hébergé sur un autre domaine que la page, ce serveur doit autoriser CORS (Access-Control-Allow-Origin) et la CSP de la page doit l'autoriser dans connect-src.",
    ],
    mime: [
      "Type MIME incorrect pour le fichier WebAssembly",
      "Le serveur envoie {url} avec le type « {type} » au lieu de « application/wasm ». Configurez le serveur (par exemple « AddType application/wasm .wasm » pour Apache, « types { application/wasm wasm; } » pour nginx).",
    ],
    csp: [
      "WebAssembly bloqué par la politique de sécurité de la page",
      "La Content-Security-Policy de la page interdit WebAssembly. Ajoutez 'wasm-unsafe-eval' à la directive script-src (cela n'autorise pas eval() pour JavaScript).",
    ],
    compile: [
      "Le fichier WebAssembly est invalide",
      "{url} n'a pas pu être compilé ({message}). Recopiez les fichiers du widget depuis la même version, sans les modifier (attention aux transferts FTP en mode texte).",
    ],
    internal: [
      "Erreur interne du widget",
      "Rechargez la page. Si le problème continue, signalez-le à l'équipe du site en joignant ce message : {message}",
    ],
    report: [
      "Rapport de validation indisponible",
      "{url} n'a pas pu être chargé ({message}) : copiez le dossier check/ à côté de essaimage.js.",
    ],
  },
  en: {
    title: "The Essaimage widget cannot be displayed",
    label: "Social innovation explorer",
    loading: "Loading innovations…",
    none: "none",
    file: [
      "Page opened from a local file (file://)",
      "Browsers do not let a page opened as file:// load WebAssembly or data. Serve the folder with a web server, e.g. \"make demo\" or \"python3 -m http.server\", then open the http://127.0.0.1:… address.",
    ],
    glue: [
      "The widget's files cannot be found",
      "The script {url} could not be loaded. Publish the whole widget folder as it is, or give its address with data-base. If the page has a Content-Security-Policy, script-src must allow that domain.",
    ],
    http: [
      "WebAssembly file not found",
      "The server answers {status} for {url}. Publish the whole widget folder as it is, or give its address with data-base.",
    ],
    network: [
      "WebAssembly file unreachable",
      "No answer for {url} ({message}). If the widget is hosted on another domain than the page, that server must allow CORS (Access-Control-Allow-Origin) and the page's CSP must allow it in connect-src.",
    ],
    mime: [
      "Wrong MIME type for the WebAssembly file",
      "The server sends {url} as \"{type}\" instead of \"application/wasm\". Configure the server (e.g. \"AddType application/wasm .wasm\" for Apache, \"types { application/wasm wasm; }\" for nginx).",
    ],
    csp: [
      "WebAssembly blocked by the page's security policy",
      "The page's Content-Security-Policy forbids WebAssembly. Add 'wasm-unsafe-eval' to the script-src directive (it does not allow eval() for JavaScript).",
    ],
    compile: [
      "The WebAssembly file is invalid",
      "{url} could not be compiled ({message}). Copy the widget's files again from the same version, unchanged (beware of FTP transfers in text mode).",
    ],
    internal: [
      "Internal error in the widget",
      "Reload the page. If the problem continues, report it to the site's team with this message: {message}",
    ],
    report: [
      "Data validation report unavailable",
      "{url} could not be loaded ({message}): copy the check/ folder next to essaimage.js.",
    ],
  },
};
// The instance's namespace before the WebAssembly is there (src/config.rs decides it: namespaceOf()).
const NS_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const NS_MOUNT_PREFIX = "e";
// ---- end of what tests/loader_texts.rs writes

// A failure's text with its details filled in: « {url} » becomes detail.url…
function fill(text, detail, lang) {
  return text.replace(/\{(url|status|type|message)\}/g, (_, name) => {
    const value = detail[name];
    return value == null || value === '' ? (name === 'type' ? MESSAGES[lang].none : '') : String(value);
  });
}

// The language of the loader's own boxes, as Locale::parse reads the lang option (src/i18n.rs): English for
// "en", "en-GB", "en_US"…, else French (the widget then warns about an unsupported value).
function langOf(value) {
  return typeof value === 'string' && /^\s*en(?:[-_]|\s*$)/i.test(value) ? 'en' : 'fr';
}

function resolveBase(override) {
  const base = new URL(override || './', override ? document.baseURI : SELF_URL).href;
  return base.endsWith('/') ? base : base + '/';
}

// An option's value as JSON for the widget: strings, finite numbers and booleans as they are, any other value as
// its type ({"type": "function"}), so that the widget reports it instead of reading it as text.
function given(value) {
  if (value == null) return null;
  const type = typeof value;
  if (type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value))) return value;
  return { type: Array.isArray(value) ? 'array' : type };
}

// A dataset or base option the loader resolves itself: a non-empty string or a URL object.
function isUrlText(value) {
  return (typeof value === 'string' && value !== '') || value instanceof URL;
}

// `url` resolved against the page; as given when it is not a valid URL (its download then fails with its message).
function absolute(url) {
  try {
    return new URL(url, document.baseURI).href;
  } catch {
    return url;
  }
}

// The instance's namespace in the URL as src/config.rs decides it (Config::resolve: the id option, else the
// element's id, else e1, e2… in mount order), for the handle's synchronous `id`; the widget's own answer replaces it
// once mounted (the e2e tests check that both agree).
function namespaceOf(id, elementId, n) {
  if (typeof id === 'string' && NS_PATTERN.test(id.trim())) return id.trim();
  if (NS_PATTERN.test(elementId)) return elementId;
  return `${NS_MOUNT_PREFIX}${n}`;
}

// The `data` option as bytes for the widget: a text (encoded as UTF-8), an ArrayBuffer or a typed array; null when
// not given, undefined when it is of no usable type.
function bytesOf(data) {
  if (data == null) return null;
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

function errorMessage(e) {
  return (e && (e.message || String(e))) || 'unknown error';
}

// Whether a dataset is packed: its first byte, read from a copy of the answer (the widget reads the answer itself).
async function isPacked(request) {
  try {
    const reader = (await request).clone().body.getReader();
    const first = (await reader.read()).value;
    reader.cancel();
    return first[0] === 0x89;
  } catch (e) {
    return false; // the widget reports what went wrong with the answer
  }
}

// Loads and initialises a build of the WebAssembly once per base URL, checking each thing a page author can get
// wrong.
function loadModule(base, packed) {
  const key = base + packed;
  if (!modules.has(key)) {
    modules.set(key, (async () => {
      if (location.protocol === 'file:') throw new LoadFailure('file');
      const glueUrl = new URL(BUILDS[+packed] + '.js', base).href;
      const wasmUrl = new URL(BUILDS[+packed] + '_bg.wasm', base).href;
      // The wasm is requested with the glue, not after it: one round trip instead of two.
      const wasm = fetch(wasmUrl);
      wasm.catch(() => {}); // a failure is reported below, after the glue's own
      let glue;
      try {
        glue = await import(glueUrl);
      } catch (e) {
        throw new LoadFailure('glue', { url: glueUrl, message: errorMessage(e) });
      }
      let response;
      try {
        response = await wasm;
      } catch (e) {
        throw new LoadFailure('network', { url: wasmUrl, message: errorMessage(e) });
      }
      if (!response.ok) throw new LoadFailure('http', { url: wasmUrl, status: response.status });
      const type = (response.headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/wasm') throw new LoadFailure('mime', { url: wasmUrl, type });
      try {
        await glue.default({ module_or_path: response });
      } catch (e) {
        const message = errorMessage(e);
        if (/content.security.policy|unsafe-eval/i.test(message)) throw new LoadFailure('csp', { message });
        throw new LoadFailure('compile', { url: wasmUrl, message });
      }
      return glue;
    })());
    // A failed load may be retried by a later mount (e.g. after the author fixes the server).
    modules.get(key).catch(() => modules.delete(key));
  }
  return modules.get(key);
}

// The check page's module, once per base URL, for the data report of the `debug` option only.
function loadChecker(base) {
  if (!checkers.has(base)) {
    checkers.set(base, (async () => {
      const glue = await import(new URL(CHECK_GLUE, base).href);
      await glue.default({ module_or_path: new URL(CHECK_WASM, base) });
      return glue;
    })());
    checkers.get(base).catch(() => checkers.delete(base));
  }
  return checkers.get(base);
}

// A file of the widget's folder: its text, or its bytes when `bytes` is set.
async function fetchFile(url, bytes) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return bytes ? new Uint8Array(await response.arrayBuffer()) : response.text();
}

function textElement(tag, text) {
  const e = document.createElement(tag);
  e.textContent = text;
  return e;
}

// The data report (the `debug` option) of the file the widget read, given as its pieces: the element the widget
// shows below its header, filled (as text only) once the check page's module has read the same bytes with the
// reference data the widget used (data/; the commune table only if a place needs it), as `essaimage check` does.
function dataReport(base, lang, name, pieces) {
  const details = document.createElement('details');
  details.className = 'es-report';
  details.hidden = true;
  (async () => {
    try {
      const [glue, buffer, departments] = await Promise.all([
        loadChecker(base), new Blob(pieces).arrayBuffer(), fetchFile(new URL(OUTLINES, base), 1),
      ]);
      const bytes = new Uint8Array(buffer);
      let report = JSON.parse(glue.widget_report(bytes, name, lang, departments));
      if (report.needs_communes) {
        let communes, failed;
        try {
          communes = await fetchFile(new URL('data/communes.csv', base));
        } catch (e) {
          failed = errorMessage(e);
        }
        report = JSON.parse(glue.widget_report(bytes, name, lang, departments, communes, failed));
      }
      const check = report.check;
      const error = check.error;
      details.replaceChildren(textElement('summary', `${report.title} — ${error ? error.title : check.summary}`));
      if (error) {
        details.append(textElement('p', error.detail));
      } else if (check.problems.length) {
        // Scrolls when long: focusable, so that the keyboard scrolls it too.
        const list = document.createElement('ul');
        list.tabIndex = 0;
        list.setAttribute('aria-label', report.problems_label);
        for (const problem of check.problems) list.append(textElement('li', problem.message));
        details.append(textElement('p', report.intro), list);
      }
      // The kept records by region, stage and theme: the last lines of `essaimage check`.
      if (!error) for (const line of report.lines.slice(-3)) details.append(textElement('p', line));
      details.open = Boolean(error || check.problems.length);
    } catch (e) {
      const [what, how] = MESSAGES[lang].report.map((text) => fill(text, { url: new URL(CHECK_GLUE, base).href, message: errorMessage(e) }, lang));
      details.replaceChildren(textElement('summary', what), textElement('p', how));
      details.open = true;
      console.warn(`Essaimage: ${what}. ${how}`);
    }
    details.hidden = false;
  })();
  return details;
}

// The widget's outer box, as ui::app renders it: a named region in the widget's language.
function widgetBox(root, lang, child) {
  const box = document.createElement('div');
  box.className = 'es';
  box.lang = lang;
  box.setAttribute('role', 'region');
  box.setAttribute('aria-label', MESSAGES[lang].label);
  box.append(child);
  root.replaceChildren(box);
}

// Renders the alert box with the same markup as the widget's own (ui::error_box), as text only.
function renderError(root, lang, failure) {
  const m = MESSAGES[lang];
  const [what, how] = (m[failure.kind] || m.internal).map((text) => fill(text, failure.detail || {}, lang));
  const alert = document.createElement('div');
  alert.className = 'es-error';
  alert.setAttribute('role', 'alert');
  const title = document.createElement('strong');
  title.textContent = m.title;
  for (const [cls, content] of [['es-error-title', title], ['es-error-what', what], ['es-error-how', how]]) {
    const p = document.createElement('p');
    p.className = cls;
    p.append(content);
    alert.append(p);
  }
  widgetBox(root, lang, alert);
  console.error(`Essaimage: ${what}. ${how}`);
}

// The loading state, as ui::app renders it while the data loads.
function renderLoading(root, lang) {
  const loading = document.createElement('div');
  loading.className = 'es-loading';
  loading.setAttribute('aria-busy', 'true');
  const p = document.createElement('p');
  p.className = 'es-status';
  p.setAttribute('role', 'status');
  p.textContent = MESSAGES[lang].loading;
  const spinner = document.createElement('div');
  spinner.className = 'es-spinner';
  spinner.setAttribute('aria-hidden', 'true');
  loading.append(p, spinner);
  widgetBox(root, lang, loading);
}

function stylesheetReady(link) {
  return new Promise((resolve) => {
    link.addEventListener('load', resolve, { once: true });
    link.addEventListener('error', () => {
      console.warn(`Essaimage: the stylesheet ${link.href} could not be loaded; the widget will look unstyled.`);
      resolve();
    }, { once: true });
  });
}

// Reads data-* attributes into mount() options.
function optionsFromAttributes(el) {
  const o = {};
  // Every option but the last two, `data` and `name` (a dataset in memory: mount() only).
  for (const key of OPTIONS.slice(0, -2)) if (el.dataset[key] !== undefined) o[key] = el.dataset[key];
  return o;
}

// Sets data-<name> on the widget's root to the known words of `value` (unknown ones warned about, never silent).
function lookOf(root, name, value, known) {
  if (value == null || value === '') return;
  const words = typeof value === 'string' ? value.trim().toLowerCase().split(/\s+/).filter(Boolean) : [value];
  const bad = words.filter((w) => !known.includes(w));
  if (bad.length) console.warn(`Essaimage: ${name} "${bad.join(' ')}" is unknown and was ignored (use ${known.join(', ')}).`);
  const good = words.filter((w) => known.includes(w));
  if (good.length) root.dataset[name] = good.join(' ');
}

/**
 * Mounts a widget in `element`. Options: dataset (URL, relative to the page), lang ('fr' | 'en'), debug,
 * id (namespace in the URL hash), maxMb, pageSize, headingLevel (2 to 6: the level of the widget's title), base (folder of the widget's files), theme ('dsfr', 'auto',
 * 'dark', 'light', or dsfr with one of the others: 'dsfr auto'), layout ('compact'); data (the dataset itself, a
 * string, ArrayBuffer or Uint8Array, read instead of downloading `dataset`) and name (its name in messages). A value the widget cannot
 * use (of the wrong type included) is reported in the console and ignored.
 * Returns a handle: { element, id (its namespace in the URL), ready: Promise, destroy() }.
 */
export function mount(element, options = {}) {
  if (!(element instanceof Element)) throw new TypeError('Essaimage.mount: the first argument must be a DOM element.');
  if (element.essaimage) element.essaimage.destroy();
  const lang = langOf(options.lang);
  const usableBase = isUrlText(options.base);
  const base = resolveBase(usableBase ? String(options.base) : null);
  // theme and layout are the loader's (attributes for the stylesheet): the widget does not get them.
  const unknown = Object.keys(options).filter((k) => !OPTIONS.includes(k));
  // A dataset in memory is read instead of downloaded; its name stands where the dataset's URL would be.
  const data = bytesOf(options.data);
  if (data === undefined) console.warn('Essaimage: option "data" must be a string, an ArrayBuffer or a Uint8Array; ignored.');
  const name = typeof options.name === 'string' && options.name.trim() ? options.name.trim() : 'data.json';
  // What the page author gave, for the widget to check and resolve (src/config.rs: RawOptions::from_json warns
  // about every value it cannot use, of the wrong type included; it also decides the instance's namespace from
  // `id`, the element's id and the mount number).
  const raw = {
    dataset: data ? name
      : isUrlText(options.dataset) ? absolute(String(options.dataset)) : given(options.dataset),
    base,
    base_given: usableBase ? null : given(options.base),
    lang: given(options.lang),
    debug: given(options.debug),
    id: given(options.id),
    element_id: element.id || null,
    mount: ++counter,
    max_mb: given(options.maxMb),
    page_size: given(options.pageSize),
    heading_level: given(options.headingLevel),
    unknown,
  };
  // The third argument of the widget's mount(), which the namespace rule no longer needs: the widget derives it
  // from `mount` above (src/config.rs; native callers without a loader give their own).

  // The dataset and the department outlines are requested now, while the wasm downloads and compiles; the widget
  // takes these requests instead of sending its own (`sent`, by URL: the same URLs as src/config.rs builds). A
  // failure is the widget's to report, when it reads the answer.
  const sent = new Map();
  const prefetch = new AbortController();
  let packed = !!data && data[0] === 0x89;
  if (!data && isUrlText(options.dataset) && location.protocol !== 'file:') {
    for (const url of [raw.dataset.trim(), base + OUTLINES]) {
      const request = fetch(url, { signal: prefetch.signal });
      request.catch(() => {});
      sent.set(url, request);
    }
    // The build the file's name suggests is loaded at once, while the file's first byte, which decides, arrives.
    loadModule(base, /\.pack$/i.test(new URL(raw.dataset).pathname)).catch(() => {});
    packed = isPacked(sent.get(raw.dataset.trim()));
  }

  const shadow = element.shadowRoot || element.attachShadow({ mode: 'open' });
  // The page's rules stop at the element's own style (`all: initial`, put back at destroy()): below a reader's
  // `!important` text spacing (line-height, letter-spacing, word-spacing: WCAG 1.4.12), which reaches the widget's
  // text; the stylesheet's :host holds the other properties with `!important`. Through the CSSOM, which a strict
  // CSP allows.
  const ownStyle = element.style.cssText;
  element.style.cssText = 'all:initial;line-height:1.5';
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL(CSS, base).href;
  const root = document.createElement('div');
  root.className = 'es-root';
  lookOf(root, 'theme', options.theme, THEMES);
  lookOf(root, 'layout', options.layout, LAYOUTS);
  shadow.replaceChildren(link, root);
  renderLoading(root, lang);

  let widget = null;
  let destroyed = false;
  const handle = {
    element,
    id: namespaceOf(raw.id, element.id, counter),
    ready: null,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stopWaiting();
      prefetch.abort();
      handles.delete(handle);
      if (widget) {
        try { widget.destroy(); } catch (e) { /* the module may be dead after a panic */ }
        try { widget.free(); } catch (e) { /* already freed */ }
        widget = null;
      }
      shadow.replaceChildren();
      element.style.cssText = ownStyle;
      if (element.essaimage === handle) delete element.essaimage;
    },
  };
  // `ready` settles even when the widget is destroyed before its stylesheet loaded (the <link> is then removed and
  // never fires).
  let stopWaiting;
  const destroyedEarly = new Promise((resolve) => { stopWaiting = resolve; });
  handle.ready = Promise.all([Promise.resolve(packed).then((p) => loadModule(base, p)), Promise.race([stylesheetReady(link), destroyedEarly])]).then(([glue]) => {
    if (destroyed) return handle;
    try {
      // The last argument shows the alert box when the widget hits a bug (a Rust panic).
      widget = glue.mount(root, JSON.stringify(raw),
        (message) => renderError(root, lang, new LoadFailure('internal', { message })), data || undefined,
        (pieces) => dataReport(base, lang, raw.dataset, pieces), sent);
      handle.id = widget.id;
    } catch (e) {
      renderError(root, lang, new LoadFailure('internal', { message: errorMessage(e) }));
    }
    return handle;
  }, (failure) => {
    if (!destroyed) renderError(root, lang, failure instanceof LoadFailure ? failure : new LoadFailure('internal', { message: errorMessage(failure) }));
    return handle;
  });
  element.essaimage = handle;
  handles.add(handle);
  return handle;
}

/** Mounts every `[data-essaimage]` element and every script tag of this loader that has a data-dataset. */
export function mountAll(rootNode = document) {
  const mounted = [];
  for (const script of rootNode.querySelectorAll('script[src][data-dataset]')) {
    if (script.essaimageHost || new URL(script.getAttribute('src'), document.baseURI).href !== SELF_URL) continue;
    const host = document.createElement('div');
    host.className = 'essaimage';
    if (script.parentNode && script.parentNode !== document.head) script.after(host);
    else document.body.append(host);
    script.essaimageHost = host;
    mounted.push(mount(host, optionsFromAttributes(script)));
  }
  for (const el of rootNode.querySelectorAll('[data-essaimage]')) {
    if (!el.essaimage) mounted.push(mount(el, optionsFromAttributes(el)));
  }
  return mounted;
}

/** Every mounted widget's handle. */
export function instances() {
  return [...handles];
}

const api = Object.freeze({ mount, mountAll, instances, version: VERSION });
if (!window.Essaimage) window.Essaimage = api;
export default api;

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', () => mountAll(), { once: true });
} else {
  mountAll();
}
