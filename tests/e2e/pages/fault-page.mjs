// Two widgets in form (b), mounted by one loader: #faulty gets its options from the page's query string,
// #healthy always loads the demo dataset from the loader's own folder.
//   /t/fault-page.html?dataset=/fault/500.json&lang=en&base=/badmime/&maxMb=2&debug=1&loader=/essaimage.js
// The query string's `dataset` is used as is (URL-encode it when it has its own query string).
const q = new URLSearchParams(location.search);
const faulty = document.getElementById('faulty');
const attributes = { dataset: 'dataset', lang: 'lang', base: 'base', maxMb: 'max-mb', debug: 'debug', pageSize: 'page-size' };
for (const [key, attr] of Object.entries(attributes)) {
  if (q.has(key)) faulty.setAttribute(`data-${attr}`, q.get(key));
}
await import(q.get('loader') || '/essaimage.js');
