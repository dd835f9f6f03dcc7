// Writes digits_shifted.csv next to this file: digits_test.csv with the middle 40 pixel columns (pixel_12 …
// pixel_51) brighter by 3 (clipped at 16, the data's maximum), as if the scanner's gain had changed — what the
// pipeline's drift stage compares the test data with.   node examples/pipeline/make_shifted.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [header, ...rows] = readFileSync(join(here, '..', 'digits', 'digits_test.csv'), 'utf8').trimEnd().split('\n');
const cols = header.split(',');
const shifted = new Set(cols.filter((c) => /^pixel_(\d+)$/.test(c) && Number(c.slice(6)) >= 12 && Number(c.slice(6)) <= 51));
const out = rows.map((r) => r.split(',').map((v, j) => (shifted.has(cols[j]) ? String(Math.min(16, Number(v) + 3)) : v)).join(','));
writeFileSync(join(here, 'digits_shifted.csv'), `${[header, ...out].join('\n')}\n`);
console.log(`wrote ${join(here, 'digits_shifted.csv')} (${out.length} rows, ${shifted.size} columns shifted)`);
