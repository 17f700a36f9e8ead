// Mounts one widget with the options given in the page's query string:
//   /t/mount.html?dataset=/fault/404.json&lang=en&base=/badmime/&id=carte&loader=/essaimage.js
const q = new URLSearchParams(location.search);
const loader = q.get('loader') || '/essaimage.js';
const { default: Essaimage } = await import(loader);
const options = {};
for (const key of ['dataset', 'lang', 'base', 'id', 'pageSize', 'maxMb', 'debug', 'headingLevel']) {
  if (q.has(key)) options[key] = q.get(key);
}
window.essaimageHandle = Essaimage.mount(document.getElementById('widget'), options);
