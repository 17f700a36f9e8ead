// Shortens the names that link the wasm module and its wasm-bindgen glue (scripts/build-dist.sh, after
// wasm-bindgen, before esbuild). Usage: node scripts/minify-wasm-names.mjs <module.wasm> <glue.js>
//
// wasm-bindgen names every import after the JS function and a 16-digit hash (`__wbg_addEventListener_8d32…`),
// every closure shim after its Rust path and a hash, and puts all imports in a module named after the glue file
// (`./essaimage_wasm_bg.js`). Each name is written twice, in the wasm's import or export section and in the glue;
// the hashes do not compress. This script gives every such name a short one (`a`, `b`, … `aZ`…) in both files,
// renames the import module to `a`, drops the custom sections (`target_features`: linker metadata), and leaves
// everything else byte for byte. The saving, out of the 240 KB gzip budget, is in docs/SIZE.md.
//
// Kept as they are: the `memory` export (tests and the benchmark read `memory.buffer`) and exports the glue does
// not call. An import the glue does not define, a second import module or an import that is not a function stops
// the build: the script renames only what it can rename in both files.

import fs from 'node:fs';

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
  console.error('usage: minify-wasm-names.mjs <module.wasm> <glue.js>');
  process.exit(2);
}
const wasm = fs.readFileSync(wasmPath);
let glue = fs.readFileSync(gluePath, 'utf8');

function readU32(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}
function u32(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
}
function readName(buf, at) {
  const [len, p] = readU32(buf, at);
  return [buf.subarray(p, p + len).toString('utf8'), p + len];
}
const name = (s) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s, 'utf8')]);

// Short identifiers, never a JS keyword or an existing name.
const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
function* shortNames() {
  for (let n = 0; ; n++) {
    let s = '';
    let k = n;
    do {
      s = ALPHA[k % 52] + s;
      k = Math.floor(k / 52) - 1;
    } while (k >= 0);
    if (!['do', 'if', 'in'].includes(s)) yield s;
  }
}

const mentioned = (n) => new RegExp(`(?<![\\w$])${n.replace(/\$/g, '\\$')}(?![\\w$])`).test(glue);

if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error(`${wasmPath}: not a wasm module`);
const sections = [];
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, start] = readU32(wasm, at + 1);
  sections.push({ id, body: wasm.subarray(start, start + size) });
  at = start + size;
}

const renames = new Map(); // old name -> new name, for the glue
let moduleName = null;
const importNames = shortNames();
const exportNames = shortNames();

function rewriteImports(body) {
  let [count, p] = readU32(body, 0);
  const parts = [u32(count)];
  while (count--) {
    const start = p;
    const [mod, p1] = readName(body, p);
    const [field, p2] = readName(body, p1);
    // The import's kind and type, copied as they are. wasm-bindgen imports functions only (the memory and the
    // tables are exported); anything else stops the build rather than being guessed.
    const kind = body[p2];
    if (kind !== 0) throw new Error(`import ${mod}.${field}: kind ${kind} is not a function`);
    const end = readU32(body, p2 + 1)[1];
    if (mod.startsWith('./')) {
      moduleName ??= mod;
      if (mod !== moduleName) throw new Error(`two import modules: ${moduleName}, ${mod}`);
      if (!mentioned(field)) throw new Error(`import ${field} is not in ${gluePath}`);
      const short = importNames.next().value;
      renames.set(field, short);
      parts.push(name('a'), name(short), body.subarray(p2, end));
    } else {
      parts.push(body.subarray(start, end));
    }
    p = end;
  }
  return Buffer.concat(parts);
}

function rewriteExports(body) {
  let [count, p] = readU32(body, 0);
  const parts = [u32(count)];
  while (count--) {
    const [field, p1] = readName(body, p);
    const end = readU32(body, p1 + 1)[1];
    let out = field;
    if (field !== 'memory' && new RegExp(`wasm\\.${field.replace(/\$/g, '\\$')}(?![\\w$])`).test(glue)) {
      out = exportNames.next().value;
      renames.set(`wasm.${field}`, `wasm.${out}`);
    }
    parts.push(name(out), body.subarray(p1, end));
    p = end;
  }
  return Buffer.concat(parts);
}

const out = [wasm.subarray(0, 8)];
for (const s of sections) {
  if (s.id === 0) continue; // custom sections: not needed to run
  const body = s.id === 2 ? rewriteImports(s.body) : s.id === 7 ? rewriteExports(s.body) : s.body;
  out.push(Buffer.from([s.id]), u32(body.length), body);
}

if (moduleName === null) throw new Error('no import module found');
const quoted = JSON.stringify(moduleName);
if (!glue.includes(quoted)) throw new Error(`${gluePath} does not name ${quoted}`);
glue = glue.split(quoted).join('"a"');
// Longest names first, whole identifiers only.
const olds = [...renames.keys()].sort((a, b) => b.length - a.length);
const escape = (s) => s.replace(/[$.]/g, (c) => `\\${c}`);
const pattern = new RegExp(`(?<![\\w$])(${olds.map(escape).join('|')})(?![\\w$])`, 'g');
glue = glue.replace(pattern, (m) => renames.get(m));

fs.writeFileSync(wasmPath, Buffer.concat(out));
fs.writeFileSync(gluePath, glue);
console.error(`minify-wasm-names: ${renames.size} names shortened`);
