'use strict';
// Minimal TopoJSON decoding and arc-based merging (no dependencies).

// Decode the quantized, delta-encoded arcs into integer positions [[x,y],...]
// (still quantized) so endpoints compare exactly.
function decodeArcsQuantized(topo) {
  return topo.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map((p) => {
      if (topo.transform) { x += p[0]; y += p[1]; } else { x = p[0]; y = p[1]; }
      return [x, y];
    });
  });
}

function toLonLat(topo, q) {
  if (!topo.transform) return [q[0], q[1]];
  const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
  return [q[0] * sx + tx, q[1] * sy + ty];
}

// A ring given as arc indices -> list of quantized points (closed).
function ringPoints(qarcs, ring) {
  const out = [];
  ring.forEach((i, k) => {
    const a = i < 0 ? qarcs[~i].slice().reverse() : qarcs[i];
    a.forEach((p, j) => { if (k === 0 || j > 0) out.push(p); });
  });
  return out;
}

function signedArea(r) { // shoelace, positive = counter-clockwise (x east, y north)
  let s = 0;
  for (let i = 0, n = r.length - 1; i < n; i++) s += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
  return s / 2;
}

function pointInRing(pt, r) {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i], [xj, yj] = r[j];
    if ((yi > pt[1]) !== (yj > pt[1]) && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// Rings (closed point lists) -> GeoJSON-style polygons [[outer, holes...], ...]
// with RFC 7946 winding (outer counter-clockwise, holes clockwise).
function assemble(rings) {
  const outers = [], holes = [];
  // The largest ring fixes the orientation of exteriors for this source.
  const ref = Math.sign(signedArea(rings.reduce((a, b) => (Math.abs(signedArea(a)) >= Math.abs(signedArea(b)) ? a : b))));
  for (const r of rings) (Math.sign(signedArea(r)) === ref ? outers : holes).push(r);
  const polys = outers.map((o) => [signedArea(o) < 0 ? o.slice().reverse() : o]);
  for (const h of holes) {
    const host = polys.find((p) => pointInRing(h[0], p[0]));
    if (!host) throw new Error('hole without a containing exterior ring');
    host.push(signedArea(h) > 0 ? h.slice().reverse() : h);
  }
  return polys;
}

// Geometry object -> polygons of quantized points.
function geometryPolygons(qarcs, g) {
  const polys = g.type === 'Polygon' ? [g.arcs] : g.type === 'MultiPolygon' ? g.arcs : [];
  // Keep TopoJSON's grouping (first ring exterior, others holes); fix winding only.
  return polys.map((p) => p.map((ring, k) => {
    const r = ringPoints(qarcs, ring);
    return (k === 0) === (signedArea(r) < 0) ? r.slice().reverse() : r;
  }));
}

// Merge several Polygon/MultiPolygon geometries by dropping arcs used twice
// (interior boundaries), then stitching the remaining arcs into rings
// (the method of topojson-client's merge).
function mergePolygons(qarcs, geoms) {
  const count = new Map();
  const all = [];
  for (const g of geoms) {
    const polys = g.type === 'Polygon' ? [g.arcs] : g.arcs;
    for (const p of polys) for (const ring of p) for (const i of ring) {
      const k = i < 0 ? ~i : i;
      count.set(k, (count.get(k) || 0) + 1);
      all.push(i);
    }
  }
  // Chains of kept arcs, each as an oriented point list.
  const chains = all.filter((i) => count.get(i < 0 ? ~i : i) === 1)
    .map((i) => (i < 0 ? qarcs[~i].slice().reverse() : qarcs[i]));
  const key = (p) => p[0] + ',' + p[1];
  const byStart = new Map();
  chains.forEach((c, n) => {
    const k = key(c[0]);
    if (!byStart.has(k)) byStart.set(k, []);
    byStart.get(k).push(n);
  });
  const used = new Array(chains.length).fill(false);
  const rings = [];
  for (let s = 0; s < chains.length; s++) {
    if (used[s]) continue;
    used[s] = true;
    const ring = chains[s].slice();
    while (key(ring[ring.length - 1]) !== key(ring[0])) {
      const next = (byStart.get(key(ring[ring.length - 1])) || []).find((n) => !used[n]);
      if (next === undefined) throw new Error('merge: open ring at ' + key(ring[ring.length - 1]));
      used[next] = true;
      ring.push(...chains[next].slice(1));
    }
    rings.push(ring);
  }
  return assemble(rings);
}

module.exports = { decodeArcsQuantized, toLonLat, geometryPolygons, mergePolygons, signedArea };
