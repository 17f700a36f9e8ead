// Mounts one widget with the options given in the page's query string:
//   /t/mount.html?dataset=/fault/404.json&lang=en&base=/badmime/&id=carte&loader=/essaimage.js
const q = new URLSearchParams(location.search);
const loader = q.get('loader') || '/essaimage.js';
const { default: Essaimage } = await import(loader);
const options = {};
for (const key of ['dataset', 'lang', 'base', 'id', 'pageSize', 'maxMb', 'debug', 'headingLevel']) {
  if (q.has(key)) options[key] = q.get(key);
}
// A host that asks for headingLevel N nests the widget under its own headings, down to level N − 1 (as a real page
// does: the widget's title then follows them, in heading order).
const widget = document.getElementById('widget');
for (let level = 2; level < Number(q.get('headingLevel')); level++) {
  const h = document.createElement(`h${level}`);
  h.textContent = `Section de niveau ${level}`;
  widget.before(h);
}
window.essaimageHandle = Essaimage.mount(widget, options);
