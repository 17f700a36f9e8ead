// In-process HTTP server for the end-to-end tests (node:http, 127.0.0.1, random port), on top of the project's
// static server (scripts/serve.mjs: the same MIME types and file answers as `make demo` and the benchmark).
//
//   /…               the bundle (ESSAIMAGE_DIST, default ../../dist): essaimage.js, wasm, css, data/, demo…
//   /badmime/…       the same bundle, but .wasm served as application/octet-stream
//   /olddata/…       the same bundle, but data/france-departments.bin answered by 404 (a folder updated without data/)
//   /heldwasm/KEY/…  the same bundle, but the .wasm answers only after server.release(KEY)
//   /t/…             test pages (tests/e2e/pages/); /t/csp-*.html get a strict Content-Security-Policy header
//                    (csp-trusted-types*.html with Trusted Types enforced)
//   /f/…             fixtures (tests/e2e/fixtures/)
//   /p/…             files a suite wrote for the page (WRITTEN: packed datasets…)
//   /fault/404.json, /fault/500.json, /fault/reset.json (socket destroyed), /fault/html.json (200 text/html),
//   /fault/invalid.json (200, JSON syntax error at INVALID_JSON_LINE / INVALID_JSON_COLUMN),
//   /fault/slow.json?ms=N (serves the demo dataset after N ms) or ?hold=KEY (after server.release(KEY)); with both,
//     after the release and no sooner than N ms after the request arrived
//   /fault/big.json?mb=N[&length=0][&hold=KEY&after=M] (a valid dataset of exactly N × 1,000,000 bytes, padded by
//     a long description, generated on the fly and streamed; with Content-Length unless length=0 (then chunked);
//     with hold, the stream stops after M × 1,000,000 bytes until server.release(KEY))
//   /fault/typed.json?type=MIME&body=demo|html|small (a body served with any Content-Type: the demo dataset, an
//     HTML error page or a two-record dataset)
//   /fault/many.json?n=N[&hold=KEY&after=M] (a valid dataset of N records: the demo's records over and over, ids
//     made unique; with hold, the body stops after its M-th record until server.release(KEY))
//
// A second server on another port (another origin, `server.cross`) serves the bundle's files for CORS tests:
//   <cross.origin>/closed/…  without Access-Control-Allow-Origin (a browser refuses it to other origins)
//   <cross.origin>/open/…    with Access-Control-Allow-Origin: *
//
// Every request URL is recorded in `server.requests` (path + query, in arrival order); those of the second server
// in `server.cross.requests` (full URLs); `server.waitForRequest(match)` waits for one. `server.bigStreams` records each /fault/big.json response: { url, length, sent,
// finished, aborted }.

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The project's one static server (MIME table, file answers): the routes below only add what tests need.
import { listen, send, serveFile } from '../../scripts/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.resolve(process.env.ESSAIMAGE_DIST || path.join(HERE, '..', '..', 'dist'));
export const PAGES = path.join(HERE, 'pages');
export const FIXTURES = path.join(HERE, 'fixtures');
// Files a suite writes for the page to load (e.g. packed datasets made by `essaimage pack`), served at /p/: a
// folder of this process (the suites start their server in their own process).
export const WRITTEN = path.join(os.tmpdir(), `essaimage-e2e-${process.pid}`);

export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; object-src 'none'; base-uri 'none'";
/** The strict policy with Trusted Types enforced: no string may reach an HTML, script or script-URL sink. */
export const TRUSTED_TYPES_CSP = `${STRICT_CSP}; require-trusted-types-for 'script'; trusted-types 'none'`;
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

/** The HTML error page /fault/html.json and /fault/typed.json?body=html send. */
export const HTML_PAGE =
  '<!doctype html><html><head><title>Erreur</title></head><body><h1>Page introuvable</h1></body></html>\n';

/** The two records of /fault/typed.json?body=small. */
export const SMALL_TYPED = JSON.stringify({
  schema: 'essaimage/1',
  title: 'Deux fiches',
  innovations: [
    { id: 'alpha', name: 'Alpha', origin: { region: '53' } },
    { id: 'beta', name: 'Beta', origin: { region: '11' } },
  ],
}) + '\n';

/** /fault/many.json: `n` records, the demo's in turn, each id suffixed with its position (`enercoop-59`). */
export function manyDataset(n) {
  const demo = JSON.parse(fs.readFileSync(path.join(DIST, 'innovations-demo.json'), 'utf8'));
  const records = [];
  for (let i = 0; i < n; i++) {
    const r = demo.innovations[i % demo.innovations.length];
    records.push(JSON.stringify({ ...r, id: `${r.id}-${i}` }));
  }
  const { innovations, ...meta } = demo;
  return `${JSON.stringify(meta).slice(0, -1)},"innovations":[\n${records.join(',\n')}\n]}`;
}

/** Title of the dataset /fault/big.json generates. */
export const BIG_TITLE = 'Jeu de données surdimensionné';

/**
 * The parts of a valid essaimage/1 document of exactly `total` bytes: head + `padding` × 'a' … + tail, the padding
 * being the text of the top-level description (the one record stays small).
 */
export function bigDatasetParts(total) {
  const head = Buffer.from(JSON.stringify({
    schema: 'essaimage/1',
    title: BIG_TITLE,
    innovations: [{ id: 'seule-fiche', name: 'Seule fiche', origin: { region: '53' } }],
  }).slice(0, -1) + ',"description":"');
  const tail = Buffer.from('"}\n');
  const padding = total - head.length - tail.length;
  if (padding < 0) throw new Error(`bigDatasetParts: ${total} bytes is too small`);
  return { head, tail, padding };
}

/** CSP header for a test page, if any. */
export function cspFor(pathname) {
  if (pathname === '/t/csp-nowasm.html') return NO_WASM_CSP;
  if (/^\/t\/csp-trusted-types[^/]*\.html$/.test(pathname)) return TRUSTED_TYPES_CSP;
  if (/^\/t\/csp-[^/]*\.html$/.test(pathname)) return STRICT_CSP;
  return null;
}

/**
 * Starts the server (and the second-origin server). Returns { url, origin, port, requests, cross, bigStreams,
 * waitForRequest(match), release(key), clearRequests(), close() }. `url` ends with '/'. A released key stays
 * released for the server's life: give each test its own hold key.
 */
export async function startServer() {
  const requests = [];
  const held = new Map(); // key -> [resolve]
  const released = new Set();
  const bigStreams = [];
  const heldStreams = []; // /fault/many.json?hold=…: { url, closedBeforeRelease }
  const requestWaiters = new Set(); // { test(path), resolve }

  function record(list, entry) {
    list.push(entry);
    for (const w of [...requestWaiters]) {
      if (w.test(entry)) {
        requestWaiters.delete(w);
        w.resolve(entry);
      }
    }
  }

  function waitRelease(key) {
    if (released.has(key)) return Promise.resolve();
    return new Promise((resolve) => {
      if (!held.has(key)) held.set(key, []);
      held.get(key).push(resolve);
    });
  }

  /** /fault/big.json: generated on the fly, written with back-pressure, stopped if the client goes away. */
  async function streamBig(req, res, u) {
    const total = Math.round((Number(u.searchParams.get('mb')) || 60) * 1_000_000);
    const withLength = u.searchParams.get('length') !== '0';
    const hold = u.searchParams.get('hold');
    const holdAt = hold ? Math.round((Number(u.searchParams.get('after')) || 1) * 1_000_000) : Infinity;
    const { head, tail, padding } = bigDatasetParts(total);
    const record = { url: u.pathname + u.search, length: withLength ? total : null, sent: 0, finished: false, aborted: false };
    bigStreams.push(record);
    let gone = false;
    res.on('close', () => {
      gone = true;
      if (!record.finished) record.aborted = true;
    });
    res.on('error', () => {
      gone = true;
    });
    const headers = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };
    if (withLength) headers['Content-Length'] = String(total);
    res.writeHead(200, headers);
    const write = async (chunk) => {
      if (gone || res.destroyed) return false;
      record.sent += chunk.length;
      if (!res.write(chunk)) {
        await new Promise((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
      return !gone;
    };
    const CHUNK = 1 << 20;
    const filler = Buffer.alloc(CHUNK, 'a');
    if (!(await write(head))) return;
    let left = padding;
    let held = false;
    while (left > 0) {
      if (!held && record.sent >= holdAt) {
        held = true;
        await waitRelease(hold);
        if (gone) return;
      }
      const room = !held && Number.isFinite(holdAt) ? Math.max(1, holdAt - record.sent) : CHUNK;
      const n = Math.min(CHUNK, left, room);
      if (!(await write(n === CHUNK ? filler : filler.subarray(0, n)))) return;
      left -= n;
    }
    if (!(await write(tail))) return;
    record.finished = true;
    res.end();
  }

  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://127.0.0.1');
    record(requests, u.pathname + u.search);
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
            return send(res, 200, 'text/html; charset=utf-8', HTML_PAGE);
          case '/fault/invalid.json':
            return send(res, 200, 'application/json; charset=utf-8', INVALID_JSON);
          case '/fault/slow.json': {
            const arrived = Date.now();
            const hold = u.searchParams.get('hold');
            const ms = Math.min(Number(u.searchParams.get('ms')) || (hold ? 0 : 1000), 30000);
            if (hold) await waitRelease(hold);
            const left = arrived + ms - Date.now();
            if (left > 0) await new Promise((r) => setTimeout(r, left));
            return serveFile(res, DIST, '/innovations-demo.json');
          }
          case '/fault/big.json':
            return streamBig(req, res, u);
          case '/fault/many.json': {
            const body = Buffer.from(manyDataset(Number(u.searchParams.get('n')) || 1000));
            const hold = u.searchParams.get('hold');
            if (!hold) return send(res, 200, 'application/json; charset=utf-8', body);
            // The bytes up to the end of record `after` (its closing brace), then the rest once released.
            const after = Number(u.searchParams.get('after')) || 1;
            const cut = body.indexOf(Buffer.from(`-${after - 1}",`));
            const end = body.indexOf(Buffer.from('},\n{'), cut) + 1;
            res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
            res.write(body.subarray(0, end));
            const stream = { url: u.pathname + u.search, closedBeforeRelease: false };
            heldStreams.push(stream);
            const closed = () => { stream.closedBeforeRelease = true; };
            res.on('close', closed);
            await waitRelease(hold);
            res.off('close', closed);
            return res.end(body.subarray(end));
          }
          case '/fault/typed.json': {
            const type = u.searchParams.get('type') || 'text/plain';
            const which = u.searchParams.get('body') || 'demo';
            if (which === 'demo') return serveFile(res, DIST, '/innovations-demo.json', { type });
            if (which === 'html') return send(res, 200, type, HTML_PAGE);
            if (which === 'small') return send(res, 200, type, SMALL_TYPED);
            return send(res, 400, 'text/plain; charset=utf-8', 'body must be demo, html or small\n');
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
      if (p.startsWith('/p/')) return serveFile(res, WRITTEN, p.slice(2));
      if (p.startsWith('/heldwasm/')) {
        const m = /^\/heldwasm\/([^/]+)(\/.*)$/.exec(p);
        if (!m) return send(res, 404, 'text/plain; charset=utf-8', 'use /heldwasm/KEY/…\n');
        if (m[2].endsWith('.wasm')) await waitRelease(m[1]);
        return serveFile(res, DIST, m[2], { method: req.method });
      }
      if (p.startsWith('/badmime/')) {
        return serveFile(res, DIST, p.slice('/badmime'.length), { wasmType: 'application/octet-stream' });
      }
      if (p.startsWith('/olddata/')) {
        if (p === '/olddata/data/france-departments.bin') return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
        return serveFile(res, DIST, p.slice('/olddata'.length));
      }
      if (p === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
      return serveFile(res, DIST, p, { method: req.method });
    } catch (e) {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', String(e && e.stack));
      else res.destroy();
    }
  });
  const main = await listen(server);
  const { origin, port } = main;

  // The second origin: same loopback address, another port.
  const crossRequests = [];
  let crossOrigin = '';
  const cross = http.createServer((req, res) => {
    const u = new URL(req.url, 'http://127.0.0.1');
    record(crossRequests, crossOrigin + u.pathname + u.search);
    const m = /^\/(open|closed)(\/.*)$/.exec(u.pathname);
    if (!m) return send(res, 404, 'text/plain; charset=utf-8', 'use /open/… or /closed/…\n');
    const headers = m[1] === 'open' ? { 'Access-Control-Allow-Origin': '*' } : {};
    return serveFile(res, DIST, m[2], { headers, method: req.method });
  });
  const other = await listen(cross);
  crossOrigin = other.origin;

  return {
    url: origin + '/',
    origin,
    port,
    requests,
    /** The other origin: { origin, url, requests }. */
    cross: { origin: crossOrigin, url: crossOrigin + '/', requests: crossRequests },
    bigStreams,
    /** Each held /fault/many.json response: { url, closedBeforeRelease } (the client went away while it was held). */
    heldStreams,
    clearRequests() {
      requests.length = 0;
      crossRequests.length = 0;
      bigStreams.length = 0;
      heldStreams.length = 0;
    },
    /**
     * Resolves with the first request (path + query; full URL for the second origin) matching `match` (a string
     * prefix or a RegExp) that arrived since the last clearRequests(), or that arrives within `timeout` ms.
     */
    waitForRequest(match, { timeout = 20_000 } = {}) {
      const test = typeof match === 'string' ? (r) => r.startsWith(match) : (r) => match.test(r);
      const seen = requests.concat(crossRequests).find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { test, resolve: (r) => { clearTimeout(timer); resolve(r); } };
        const timer = setTimeout(() => {
          requestWaiters.delete(waiter);
          reject(new Error(`no request matching ${match} within ${timeout} ms; requests: ${requests.join(' ')}`));
        }, timeout);
        requestWaiters.add(waiter);
      });
    },
    /** Lets every /fault/slow.json?hold=KEY, /fault/big.json?hold=KEY and /heldwasm/KEY/… request (pending or future) answer. */
    release(key) {
      released.add(key);
      for (const resolve of held.get(key) || []) resolve();
      held.delete(key);
    },
    async close() {
      for (const key of [...held.keys()]) this.release(key);
      await Promise.all([main.close(), other.close()]);
    },
  };
}

// `node server.mjs` serves until interrupted (handy to look at a test page by hand).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = await startServer();
  console.log(`Serving ${DIST} at ${s.url} (test pages at ${s.url}t/)`);
}
