// The one static file server of the project (node: built-ins only): `make demo`, the end-to-end tests
// (tests/e2e/server.mjs adds its test routes and faults on top) and the benchmarks (scripts/bench*.mjs).
//
//   node scripts/serve.mjs [DIR] [--port 8080] [--bind 127.0.0.1] [--quiet]
//
// Serves DIR (default: dist) with the MIME types the widget needs (.wasm -> application/wasm: the loader refuses
// any other type, as browsers do for streaming compilation), UTF-8 text types, and no stale copies: `no-cache` for
// the demo, `no-store` (the default of the exports) for tests and benchmarks, which want every load cold. `--port 0` picks a free port; the URL is printed on stdout as
// `Serving DIR at http://HOST:PORT/`. The demo page (index.html) sets no policy of its own through headers: none is
// sent, as none was by the former scripts/serve.py.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Content-Type by file extension (lower case, with the dot). */
export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Cache-Control of every answer unless told otherwise: each request reaches the server (cold loads in the bench). */
export const NO_STORE = 'no-store';

/** The Content-Type of `file` (application/octet-stream when unknown). */
export function mimeOf(file) {
  return MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/** The file `rel` (a URL path, still percent-encoded) names inside `root`, or null if it would escape `root`. */
export function inside(root, rel) {
  let decoded;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

/** Sends a whole answer (a string or a Buffer). */
export function send(res, status, type, body = '', headers = {}) {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.length, 'Cache-Control': NO_STORE, ...headers });
  res.end(bytes);
}

/**
 * Answers with the file `rel` of `root` (a folder gives its index.html), streamed, or a 404. Options: `headers`
 * (added to the answer), `type` (forces the Content-Type), `wasmType` (the Content-Type of .wasm files),
 * `method` (HEAD sends no body), `cache` (Cache-Control).
 */
export function serveFile(res, root, rel, { headers = {}, type, wasmType = MIME['.wasm'], method = 'GET', cache = NO_STORE } = {}) {
  root = path.resolve(root);
  let file = inside(root, rel);
  let stat = file && statOf(file);
  if (stat && stat.isDirectory()) {
    file = path.join(file, 'index.html');
    stat = statOf(file);
  }
  if (!stat || !stat.isFile()) {
    send(res, 404, MIME['.txt'], `404 not found: ${rel}\n`, { 'Cache-Control': cache });
    return;
  }
  const contentType = type || (file.endsWith('.wasm') ? wasmType : mimeOf(file));
  // Last-Modified lets a browser revalidate (`no-cache`: the demo) with a 304 instead of downloading again.
  const modified = stat.mtime.toUTCString();
  const since = Date.parse(res.req?.headers['if-modified-since'] || '');
  if (cache !== NO_STORE && since >= Math.floor(stat.mtimeMs / 1000) * 1000) {
    res.writeHead(304, { 'Last-Modified': modified, 'Cache-Control': cache, ...headers });
    res.end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': contentType, 'Content-Length': stat.size, 'Cache-Control': cache, 'Last-Modified': modified, ...headers,
  });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

function statOf(file) {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/**
 * Listens on `host`:`port` (0: any free port) and keeps track of the connections, so that close() ends at once
 * even with keep-alive connections open. Returns { server, origin, url, port, close() }; `url` ends with '/'.
 */
export async function listen(server, { port = 0, host = '127.0.0.1' } = {}) {
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${shown}:${address.port}`;
  return {
    server,
    origin,
    url: origin + '/',
    port: address.port,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A static server of `root`: GET and HEAD only. `route(req, res, url)` may answer a request first (return true when
 * it did); `log(line)` gets one line per answer. Returns what listen() returns.
 */
export function serveDir(root, { port = 0, host = '127.0.0.1', cache = NO_STORE, route, log } = {}) {
  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://localhost');
    if (log) res.on('finish', () => log(`${req.method} ${u.pathname}${u.search} ${res.statusCode}`));
    try {
      if (route && (await route(req, res, u))) return;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, MIME['.txt'], 'method not allowed\n', { Allow: 'GET, HEAD' });
      }
      if (u.pathname === '/favicon.ico' && !fs.existsSync(path.join(root, 'favicon.ico'))) {
        return send(res, 204, MIME['.ico']);
      }
      return serveFile(res, root, u.pathname, { method: req.method, cache });
    } catch (e) {
      if (!res.headersSent) send(res, 500, MIME['.txt'], String((e && e.stack) || e));
      else res.destroy();
    }
  });
  return listen(server, { port, host });
}

// ---- command line (`make demo`) ----------------------------------------------------------------------------------

async function main(argv) {
  const opts = { dir: 'dist', port: 8080, host: '127.0.0.1', quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--bind') opts.host = argv[++i];
    else if (a === '--quiet' || a === '-q') opts.quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/serve.mjs [DIR] [--port 8080] [--bind 127.0.0.1] [--quiet]');
      return;
    } else if (a.startsWith('-')) {
      console.error(`serve.mjs: unknown option ${a}`);
      process.exit(2);
    } else opts.dir = a;
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    console.error('serve.mjs: --port must be a port number (0: any free port)');
    process.exit(2);
  }
  const root = path.resolve(opts.dir);
  if (!statOf(root)?.isDirectory()) {
    console.error(`serve.mjs: no such directory: ${root}`);
    process.exit(2);
  }
  const log = opts.quiet ? undefined : (line) => console.error(`${new Date().toISOString()} ${line}`);
  // As scripts/serve.py did: `no-cache` (revalidated at each use, answered 304 when unchanged), so that a rebuilt
  // bundle is always the one shown.
  const s = await serveDir(root, { port: opts.port, host: opts.host, cache: 'no-cache', log });
  console.log(`Serving ${root} at ${s.url}`);
  const stop = () => s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
