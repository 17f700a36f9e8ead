// The demo page's snippet builder (« Générer le code d'intégration »): options → the code of one of the four
// embed forms, a live preview (Essaimage.mount, destroyed and mounted again on each change) and a copy button
// (Clipboard API; else the code is selected for the visitor to copy). Demo page code: not part of the widget.
import { mount } from './essaimage.js';

const form = document.getElementById('builder-form');
const code = document.getElementById('b-code');
const note = document.getElementById('b-note');
const preview = document.getElementById('b-preview');
const base = new URL('./', import.meta.url).href; // where this page's widget files are
const FALLBACK = "<p>Explorateur des innovations sociales : activez JavaScript pour l'afficher.</p>";

function attr(value) {
  return String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The chosen options, defaults left out (as the widget would apply them). */
function options() {
  const data = new FormData(form);
  const o = { dataset: String(data.get('dataset') || '').trim() };
  if (data.get('lang') !== 'fr') o.lang = data.get('lang');
  if (data.get('theme')) o.theme = data.get('theme');
  const size = Number(data.get('pageSize'));
  if (Number.isInteger(size) && size !== 20 && size >= 5 && size <= 100) o.pageSize = size;
  if (data.get('layout')) o.layout = data.get('layout');
  return { form: data.get('form'), o };
}

const DATA_NAMES = { dataset: 'data-dataset', lang: 'data-lang', theme: 'data-theme', pageSize: 'data-page-size', layout: 'data-layout' };

function dataAttributes(o) {
  return Object.entries(o).map(([k, v]) => ` ${DATA_NAMES[k]}="${attr(v)}"`).join('');
}

function snippet(formName, o) {
  const loader = `${base}essaimage.js`;
  switch (formName) {
    case 'div':
      return `<div data-essaimage${dataAttributes(o)}>\n  ${FALLBACK}\n</div>\n<script type="module" src="${attr(loader)}"></script>`;
    case 'mount': {
      const args = Object.entries(o).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
      return `<div id="innovations">${FALLBACK}</div>\n<script type="module">\n  // Sous une CSP stricte, placez ces lignes dans un fichier .js de votre site.\n  import { mount } from ${JSON.stringify(loader)};\n  mount(document.getElementById('innovations'), { ${args} });\n</script>`;
    }
    case 'iframe': {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(o)) query.set(k, k === 'dataset' ? new URL(v, location.href).href : String(v));
      const title = o.lang === 'en' ? 'Social innovation explorer' : 'Explorateur des innovations sociales';
      return `<iframe data-essaimage-frame src="${attr(`${base}embed.html?${query}`)}"\n  title="${title}" loading="lazy" width="100%" height="800"></iframe>\n<!-- Facultatif : la hauteur suit le contenu, les filtres vont dans l'adresse de la page -->\n<script defer src="${attr(`${base}essaimage-frame.js`)}"></script>`;
    }
    default:
      return `<script type="module" src="${attr(loader)}"${dataAttributes(o)}></script>`;
  }
}

let handle = null;
let shown = '';
function update() {
  const { form: formName, o } = options();
  code.value = snippet(formName, o);
  note.textContent = '';
  if (!started) return;
  const key = JSON.stringify(o);
  if (key === shown) return;
  shown = key;
  if (handle) handle.destroy();
  // Its own namespace in the address, apart from the demo's widget.
  handle = mount(preview, { ...o, dataset: o.dataset || undefined, id: 'apercu' });
}

// The preview starts when the builder comes into view or is used (the page's first widget loads first).
let started = false;
function start() {
  if (started) return;
  started = true;
  update();
}
new IntersectionObserver((entries, observer) => {
  if (entries.some((e) => e.isIntersecting)) {
    observer.disconnect();
    start();
  }
}).observe(preview);

form.addEventListener('change', () => { start(); update(); });
form.addEventListener('input', () => {
  const { form: formName, o } = options();
  code.value = snippet(formName, o); // the preview follows on change (typing an address would remount at each key)
});
form.addEventListener('submit', (e) => e.preventDefault());

document.getElementById('b-copy').addEventListener('click', async () => {
  try {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
    await navigator.clipboard.writeText(code.value);
    note.textContent = 'Code copié dans le presse-papiers.';
  } catch {
    code.focus();
    code.select();
    note.textContent = 'Le code est sélectionné : copiez-le avec Ctrl+C (⌘+C sur Mac).';
  }
});

update();
