// The frame side of the iframe embed (embed.html?dataset=…&lang=…&theme=…&layout=…&pageSize=…&maxMb=…&id=…).
//
// Mounts one widget with the options of the frame's query string. Its state is in the frame's hash, as on any
// page. When the host page runs essaimage-frame.js, that script says hello (a message from the parent window); from
// then on, and only then, this frame posts to the parent, with the hello's origin as the target origin:
//   { essaimage: 1, type: 'height', height }   the document's height, on every change (ResizeObserver);
//   { essaimage: 1, type: 'hash', hash, push }  the widget's hash, each time the widget writes it (push: a new
//                                               history entry), which the host keeps in its own address;
// and it applies { essaimage: 1, type: 'hash', hash } from the parent (the host's back/forward, a shared link).
// While mirrored, the widget's history entries are made by the host page only (one entry per change).
import { mount } from './essaimage.js';

const OPTIONS = ['dataset', 'lang', 'theme', 'layout', 'pageSize', 'maxMb', 'id', 'debug'];
const query = new URLSearchParams(location.search);
const options = {};
for (const name of OPTIONS) if (query.has(name)) options[name] = query.get(name);
if (/^\s*en/i.test(options.lang || '')) document.documentElement.lang = 'en';
if (options.lang && document.documentElement.lang === 'en') document.title = 'Social innovation explorer';

const parentWindow = window.parent !== window ? window.parent : null;
let target = null; // the host page's origin, once its script said hello
const native = { push: history.pushState.bind(history), replace: history.replaceState.bind(history) };

function post(message) {
  if (parentWindow && target) parentWindow.postMessage({ essaimage: 1, ...message }, target);
}

function postHeight() {
  post({ type: 'height', height: Math.ceil(document.documentElement.getBoundingClientRect().height) });
}

function postHash(push) {
  post({ type: 'hash', hash: location.hash.replace(/^#/, ''), push: !!push });
}

// The widget writes its state with pushState/replaceState (on the history object, read at call time).
history.pushState = function pushState(state, title, url) {
  (target ? native.replace : native.push)(state, title, url);
  postHash(true);
};
history.replaceState = function replaceState(state, title, url) {
  native.replace(state, title, url);
  postHash(false);
};
addEventListener('hashchange', (event) => { if (event.isTrusted) postHash(false); });

function applyHash(hash) {
  if (typeof hash !== 'string' || hash === location.hash.replace(/^#/, '')) return;
  // Marked as the widget's own entry, so that an empty hash resets the widget (embed::history).
  native.replace({ essaimage: true }, '', hash ? '#' + hash : location.pathname + location.search);
  dispatchEvent(new HashChangeEvent('hashchange'));
}

if (parentWindow) {
  addEventListener('message', (event) => {
    const data = event.data;
    if (event.source !== parentWindow || !data || data.essaimage !== 1) return;
    if (data.type === 'hello') {
      target = event.origin;
      if (data.hash) applyHash(data.hash);
      postHeight();
      postHash(false);
    } else if (data.type === 'hash' && event.origin === target) {
      applyHash(data.hash);
    }
  });
  new ResizeObserver(postHeight).observe(document.documentElement);
}

window.essaimageHandle = mount(document.getElementById('essaimage'), options);
