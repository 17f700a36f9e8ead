// Adds (or refreshes) the `codes_postaux` column of static/data/communes.csv from the package the table was built
// from, so the import tool (`essaimage import`) can place a row given by postcode + commune name.
//
// Usage (node 18+, no dependency):
//   cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0 && mkdir -p decoup \
//     && tar xzf etalab-decoupage-administratif-6.0.0.tgz -C decoup
//   node scripts/add-postcodes.mjs /tmp/decoup/package/data/communes.json static/data/communes.csv
//
// The column holds the commune's La Poste codes from `codesPostaux`, `;`-separated (no comma: the table is read
// by a plain split on commas), in the package's order. Current communes (COM) and Paris/Lyon/Marseille
// arrondissements (ARM) have them; communes déléguées and associées have none in the package (their postcode is
// their parent's, which the tool uses). Rows are matched by (code, type): the table has exactly the package's
// rows. The rest of each line is left byte for byte; running it twice gives the same file.
import { readFileSync, writeFileSync } from 'node:fs';

const [jsonPath, csvPath] = process.argv.slice(2);
if (!jsonPath || !csvPath) {
  console.error('usage: node scripts/add-postcodes.mjs <decoupage>/data/communes.json static/data/communes.csv');
  process.exit(2);
}
const TYPES = {
  'commune-actuelle': 'COM',
  'commune-deleguee': 'COMD',
  'commune-associee': 'COMA',
  'arrondissement-municipal': 'ARM',
};
const postcodes = new Map();
for (const c of JSON.parse(readFileSync(jsonPath, 'utf8'))) {
  const key = `${c.code}|${TYPES[c.type]}`;
  for (const cp of c.codesPostaux ?? []) {
    if (!/^[0-9]{5}$/.test(cp)) throw new Error(`${c.code}: unexpected postcode ${cp}`);
  }
  postcodes.set(key, (c.codesPostaux ?? []).join(';'));
}

const lines = readFileSync(csvPath, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
const header = lines[0].split(',');
const at = header.indexOf('codes_postaux');
const col = (name) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`${csvPath}: no column ${name}`);
  return i;
};
const [cCode, cType] = [col('code'), col('type')];
const out = [at < 0 ? [...header, 'codes_postaux'].join(',') : lines[0]];
let withCodes = 0;
for (const line of lines.slice(1)) {
  const f = line.split(',');
  const key = `${f[cCode]}|${f[cType]}`;
  if (!postcodes.has(key)) throw new Error(`${csvPath}: row ${key} is not in ${jsonPath}`);
  const cps = postcodes.get(key);
  if (cps) withCodes++;
  if (at < 0) f.push(cps);
  else f[at] = cps;
  out.push(f.join(','));
}
if (out.length - 1 !== postcodes.size) {
  throw new Error(`${csvPath} has ${out.length - 1} rows, ${jsonPath} ${postcodes.size}`);
}
writeFileSync(csvPath, out.join('\n') + '\n');
console.error(`${out.length - 1} rows, ${withCodes} with postcodes`);
