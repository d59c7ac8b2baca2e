#!/usr/bin/env node
'use strict';
// Checks shapes/gazetteer.tsv against the 17 places of the seed report
// (coordinates from seed/places-in-report.tsv, sources named there).
const fs = require('fs');
const file = process.argv[2];
const rows = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'));
const head = rows.shift();
const col = Object.fromEntries(head.map((h, i) => [h, i]));
const EXPECT = [ // name, kind, lat, lon (lat/lon null: kind-only check)
  ['Quetta', 'town', 30.1841, 67.0014], ['Mastung', 'town', 29.7997, 66.8455], ['Noshki', 'town', 29.5522, 66.0229],
  ['Nushki', 'town', 29.5522, 66.0229], ['Dalbandin', 'town', 28.8885, 64.4062], ['Kharan', 'town', 28.5846, 65.4150],
  ['Panjgur', 'town', 26.9719, 64.0946], ['Tump', 'town', 26.0990, 62.3640], ['Gwadar', 'town', 25.1216, 62.3254],
  ['Pasni', 'town', 25.2630, 63.4692], ['Kalat', 'town', 29.0266, 66.5936], ['Turbat', 'town', 26.0012, 63.0485],
  ['Buleda', 'town', 26.3091, 63.1537], ['Mangochar', 'town', 29.3479, 66.6365], ['Lasbela', 'district', 25.7863, 66.6033],
  ['Kech', 'district', 26.0000, 63.0000], ['Awaran', 'town', 26.4568, 65.2314], ['Harnai', 'town', 30.1008, 67.9382],
  ['Kharan', 'district', null, null], ['Gwadar', 'district', null, null],
];
let bad = 0;
for (const [name, kind, lat, lon] of EXPECT) {
  const q = name.toLowerCase();
  const hits = rows.filter((r) => r[col.kind] === kind && r[col.admin1] === 'Balochistan' &&
    (r[col.name].toLowerCase() === q || r[col.alt_names].toLowerCase().split('|').includes(q)));
  let msg = `${name} (${kind}): ${hits.length} match(es)`;
  let ok = hits.length === 1;
  if (ok && lat !== null) {
    const d = Math.max(Math.abs(+hits[0][col.lat] - lat), Math.abs(+hits[0][col.lon] - lon));
    msg += ` ${hits[0][col.id]} ${hits[0][col.lat]},${hits[0][col.lon]} d=${d.toFixed(4)} deg`;
    ok = d <= 0.01;
  }
  if (!ok) bad++;
  console.log((ok ? 'ok   ' : 'FAIL ') + msg);
}
// Balochistan's current districts: the 41 of the July 2026 restructuring as the press reports
// it (shapes/README.md), under the names used here; each must have exactly one row whose
// valid_until is empty, and no other current district row may exist.
const CURRENT = ['Awaran', 'Barkhan', 'Barshore', 'Chagai', 'Chaman', 'Dera Bugti', 'Duki', 'Gwadar', 'Harnai',
  'Hub', 'Jafarabad', 'Jhal Magsi', 'Kachhi', 'Kalat', 'Kech', 'Kharan', 'Khuzdar', 'Kohlu', 'Lasbela', 'Loralai',
  'Mastung', 'Musakhel', 'Nasirabad', 'Nushki', 'Panjgur', 'Pishin', 'Qila Abdullah', 'Qila Saifullah', 'Quetta East',
  'Quetta West', 'Sherani', 'Sibi', 'Sohbatpur', 'Surab', 'Tump', 'Upper Dera Bugti', 'Usta Muhammad', 'Wadh',
  'Washuk', 'Zhob', 'Ziarat'];
const current = rows.filter((r) => r[col.kind] === 'district' && r[col.admin1] === 'Balochistan' && !r[col.valid_until]);
const names = current.map((r) => r[col.name]).sort();
const missing = CURRENT.filter((n) => !names.includes(n)), extra = names.filter((n) => !CURRENT.includes(n));
const located = current.filter((r) => r[col.lat] !== '').length;
if (CURRENT.length !== 41 || missing.length || extra.length) {
  console.log(`FAIL current districts: missing ${missing.join(', ') || '-'}; extra ${extra.join(', ') || '-'}`);
  bad++;
} else console.log(`ok   current districts of Balochistan: ${names.length}, with a coordinate: ${located}`);
if (bad) { console.error(`check.js: ${bad} seed place(s) failed`); process.exit(1); }
