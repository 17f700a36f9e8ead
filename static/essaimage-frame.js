// Essaimage — optional script for a host page that embeds the widget in an <iframe> (embed.html).
//
//   <iframe data-essaimage-frame src="https://widget.example/essaimage/embed.html?dataset=…" title="…"
//           loading="lazy" width="100%" height="800"></iframe>
//   <script defer src="https://widget.example/essaimage/essaimage-frame.js"></script>
//
// For every iframe[data-essaimage-frame] (and EssaimageFrame.connect(iframe) for one added later):
// - its height follows its content (messages from the frame: checked against the frame's origin and window);
// - its filters and open innovation are kept in this page's address, under `#essaimage=…` (data-essaimage-key
//   for another key, one per frame), with the frame's history entries; a shared link or a reload restores them,
//   back and forward follow them.
// Without this script the frame works at its fixed height, scrolling inside, its state in its own address.
(() => {
  if (window.EssaimageFrame) return;
  const frames = [];

  function hashParts() {
    return location.hash.replace(/^#/, '').split('&').filter(Boolean);
  }

  // The frame's saved hash under `key` in this page's hash, or null.
  function read(key) {
    const part = hashParts().find((p) => p.startsWith(key + '='));
    if (!part) return null;
    try {
      return decodeURIComponent(part.slice(key.length + 1));
    } catch {
      return null;
    }
  }

  function write(key, value, push) {
    if (read(key) === (value || null)) return;
    const parts = hashParts().filter((p) => !p.startsWith(key + '='));
    if (value) parts.push(key + '=' + encodeURIComponent(value));
    const url = parts.length ? '#' + parts.join('&') : location.pathname + location.search;
    if (push) history.pushState(null, '', url);
    else history.replaceState(history.state, '', url);
  }

  function send(frame, message) {
    if (frame.iframe.contentWindow) frame.iframe.contentWindow.postMessage({ essaimage: 1, ...message }, frame.origin);
  }

  function connect(iframe) {
    if (!(iframe instanceof HTMLIFrameElement) || frames.some((f) => f.iframe === iframe)) return;
    let url;
    try {
      url = new URL(iframe.getAttribute('src'), document.baseURI);
    } catch {
      console.warn('Essaimage: the iframe has no usable src', iframe);
      return;
    }
    const frame = { iframe, origin: url.origin, key: iframe.dataset.essaimageKey || 'essaimage' };
    frames.push(frame);
    // A shared link: the frame starts from the state saved in this page's address.
    const saved = read(frame.key);
    if (saved !== null && url.hash.replace(/^#/, '') !== saved) {
      url.hash = saved;
      // A replacing navigation: no history entry of the frame's own (setting src on a loaded frame would add one).
      if (iframe.contentWindow) iframe.contentWindow.location.replace(url.href);
      else iframe.src = url.href;
    }
    const hello = () => send(frame, { type: 'hello', hash: read(frame.key) });
    iframe.addEventListener('load', hello);
    if (document.readyState === 'complete') hello(); // connected late: the frame has loaded already
  }

  window.addEventListener('message', (event) => {
    const frame = frames.find((f) => f.iframe.contentWindow === event.source);
    const data = event.data;
    if (!frame || event.origin !== frame.origin || !data || data.essaimage !== 1) return;
    if (data.type === 'height') {
      const height = Number(data.height);
      if (Number.isFinite(height) && height > 0) frame.iframe.style.height = `${Math.min(Math.ceil(height), 100000)}px`;
    } else if (data.type === 'hash' && typeof data.hash === 'string') {
      write(frame.key, data.hash, data.push === true);
    }
  });

  const follow = () => frames.forEach((f) => send(f, { type: 'hash', hash: read(f.key) || '' }));
  window.addEventListener('popstate', follow);
  window.addEventListener('hashchange', follow);

  const connectAll = () => document.querySelectorAll('iframe[data-essaimage-frame]').forEach(connect);
  window.EssaimageFrame = Object.freeze({ connect, connectAll });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', connectAll, { once: true });
  else connectAll();
})();
