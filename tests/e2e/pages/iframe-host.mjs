// A host page for the iframe embed, on the main origin, whose widget is on another one (the port is known only at
// run time, hence this script):
//   /t/iframe-host.html?widget=http://127.0.0.1:PORT/open/&script=1&height=400
// It first sets the CSP the README asks of a host (a <meta>: the strict policy, plus the widget's origin in
// frame-src and, for the optional script, script-src), then writes the README's snippet: the iframe and, with
// script=1, essaimage-frame.js from the widget's origin.
const q = new URLSearchParams(location.search);
const widget = new URL(q.get('widget'));
const meta = document.createElement('meta');
meta.httpEquiv = 'Content-Security-Policy';
meta.content = `default-src 'self'; script-src 'self' ${widget.origin}; style-src 'self'; frame-src ${widget.origin}; object-src 'none'; base-uri 'none'`;
document.head.prepend(meta);

const iframe = document.createElement('iframe');
iframe.id = 'frame';
iframe.setAttribute('data-essaimage-frame', '');
iframe.title = 'Explorateur des innovations sociales';
iframe.loading = 'lazy';
iframe.width = '100%';
iframe.height = q.get('height') || '400';
iframe.src = new URL(`embed.html?dataset=innovations-demo.json&lang=fr`, widget).href;
document.querySelector('h1').after(iframe);
if (q.get('script') === '1') {
  const script = document.createElement('script');
  script.src = new URL('essaimage-frame.js', widget).href;
  document.head.append(script);
}
