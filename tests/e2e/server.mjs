// In-process HTTP server for the end-to-end tests (node:http, 127.0.0.1, random port).
//
//   /…               the bundle (ESSAIMAGE_DIST, default ../../dist): essaimage.js, wasm, css, data/, demo…
//   /badmime/…       the same bundle, but .wasm served as application/octet-stream
//   /t/…             test pages (tests/e2e/pages/); /t/csp-*.html get a strict Content-Security-Policy header
//   /f/…             fixtures (tests/e2e/fixtures/)
//   /fault/404.json, /fault/500.json, /fault/reset.json (socket destroyed), /fault/html.json (200 text/html),
//   /fault/invalid.json (200, JSON syntax error at INVALID_JSON_LINE / INVALID_JSON_COLUMN),
//   /fault/slow.json?ms=N (serves the demo dataset after N ms) or ?hold=KEY (after server.release(KEY))
//
// Every request URL is recorded in `server.requests` (path + query, in arrival order).

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.resolve(process.env.ESSAIMAGE_DIST || path.join(HERE, '..', '..', 'dist'));
export const PAGES = path.join(HERE, 'pages');
export const FIXTURES = path.join(HERE, 'fixtures');

export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";
export const NO_WASM_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'";

// The syntax error of /fault/invalid.json: the missing comma between two records, at line 5, column 5
// (serde_json reports the 1-based column of the first unexpected character).
export const INVALID_JSON = [
  '{',
  '  "schema": "essaimage/1",',
  '  "innovations": [',
  '    { "id": "premiere", "name": "Première" }',
  '    { "id": "seconde", "name": "Seconde" }',
  '  ]',
  '}',
  '',
].join('\n');
export const INVALID_JSON_LINE = 5;
export const INVALID_JSON_COLUMN = 5;

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function mimeOf(file) {
  return MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/** Resolves `rel` inside `root`, refusing anything that escapes it. */
function inside(root, rel) {
  let decoded;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

function send(res, status, type, body, extra = {}) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function serveFile(res, root, rel, { headers = {}, wasmType = 'application/wasm', method = 'GET' } = {}) {
  let file = inside(root, rel);
  if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    send(res, 404, 'text/plain; charset=utf-8', `404 not found: ${rel}\n`);
    return;
  }
  const type = file.endsWith('.wasm') ? wasmType : mimeOf(file);
  const body = fs.readFileSync(file);
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store', ...headers });
  res.end(method === 'HEAD' ? undefined : body);
}

/** CSP header for a test page, if any. */
export function cspFor(pathname) {
  if (pathname === '/t/csp-nowasm.html') return NO_WASM_CSP;
  if (/^\/t\/csp-[^/]*\.html$/.test(pathname)) return STRICT_CSP;
  return null;
}

/**
 * Starts the server. Returns { url, origin, requests, release(key), clearRequests(), close() }.
 * `url` ends with '/'.
 */
export async function startServer() {
  const requests = [];
  const held = new Map(); // key -> [resolve]
  const released = new Set();
  const sockets = new Set();

  function waitRelease(key) {
    if (released.has(key)) return Promise.resolve();
    return new Promise((resolve) => {
      if (!held.has(key)) held.set(key, []);
      held.get(key).push(resolve);
    });
  }

  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://127.0.0.1');
    requests.push(u.pathname + u.search);
    const p = u.pathname;
    try {
      if (p.startsWith('/fault/')) {
        switch (p) {
          case '/fault/404.json':
            return send(res, 404, 'text/plain; charset=utf-8', 'Not Found\n');
          case '/fault/500.json':
            return send(res, 500, 'text/plain; charset=utf-8', 'Internal Server Error\n');
          case '/fault/reset.json':
            return req.socket.destroy();
          case '/fault/html.json':
            return send(res, 200, 'text/html; charset=utf-8',
              '<!doctype html><html><head><title>Erreur</title></head><body><h1>Page introuvable</h1></body></html>\n');
          case '/fault/invalid.json':
            return send(res, 200, 'application/json; charset=utf-8', INVALID_JSON);
          case '/fault/slow.json': {
            const hold = u.searchParams.get('hold');
            if (hold) await waitRelease(hold);
            else await new Promise((r) => setTimeout(r, Math.min(Number(u.searchParams.get('ms')) || 1000, 30000)));
            return serveFile(res, DIST, '/innovations-demo.json');
          }
          default:
            return send(res, 404, 'text/plain; charset=utf-8', 'unknown fault\n');
        }
      }
      if (p.startsWith('/t/')) {
        const csp = cspFor(p);
        return serveFile(res, PAGES, p.slice(2), { headers: csp ? { 'Content-Security-Policy': csp } : {} });
      }
      if (p.startsWith('/f/')) return serveFile(res, FIXTURES, p.slice(2));
      if (p.startsWith('/badmime/')) {
        return serveFile(res, DIST, p.slice('/badmime'.length), { wasmType: 'application/octet-stream' });
      }
      if (p === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
      return serveFile(res, DIST, p, { method: req.method });
    } catch (e) {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', String(e && e.stack));
      else res.destroy();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin + '/',
    origin,
    port,
    requests,
    clearRequests() {
      requests.length = 0;
    },
    /** Lets every /fault/slow.json?hold=KEY request (pending or future) answer. */
    release(key) {
      released.add(key);
      for (const resolve of held.get(key) || []) resolve();
      held.delete(key);
    },
    async close() {
      for (const key of [...held.keys()]) this.release(key);
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// `node server.mjs` serves until interrupted (handy to look at a test page by hand).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = await startServer();
  console.log(`Serving ${DIST} at ${s.url} (test pages at ${s.url}t/)`);
}
