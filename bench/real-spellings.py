#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""real-spellings.py BALMAP [--check] [--gazetteer FILE]... : how the place names of real
sources resolve (issue 10 item 7). Reads bench/real-spellings.tsv (names as the seed report,
its follow-ups and issue 10's ACLED extract write them, each with the place meant), looks each
name up with `balmap geocode --json --file`, first as written and then with its district, and
prints: distinct names, how many resolve to the place meant, how many are refused and why
(unknown, known by name only, ambiguous, outside the stated area, only approximately), and
how many resolve silently to another place (silent-wrong). --check exits 1 when any name is
silent-wrong (ctest cli.real_spellings)."""
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def read_rows(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if cols[0] == "written":
                continue
            if len(cols) != 4:
                sys.exit(f"{path}: expected 4 columns: {line!r}")
            rows.append({"written": cols[0], "district": cols[1],
                         "expect": set(cols[2].split("|")) if cols[2] != "none" else set(),
                         "source": cols[3]})
    return rows


def geocode(balmap, queries, gazetteers):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
        names = f.name
    try:
        args = [balmap, "geocode", "--json", "--file", names]
        for g in gazetteers:
            args += ["--gazetteer", g]
        out = subprocess.run(args, capture_output=True, text=True)
        if out.returncode not in (0, 1) or not out.stdout.startswith("["):
            sys.exit(f"balmap geocode failed ({out.returncode}): {out.stderr[-2000:]}")
        return json.loads(out.stdout)
    finally:
        os.unlink(names)


def read_builtin(path):
    """id -> (kind, name, lat, lon, admin2) of the built-in gazetteer's rows."""
    places = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "id" or len(cols) < 5:
                continue
            lat = float(cols[3]) if cols[3] else None
            lon = float(cols[4]) if cols[4] else None
            places[cols[0]] = (cols[2], cols[1], lat, lon, cols[7])
    return places


def area_name(name):
    name = name.lower()
    for word in (" district", " division", " tehsil"):
        name = name.replace(word, "")
    return name.strip()


def is_same_place(result, expect, builtin):
    """The result is the place meant: one of its ids, or (from a file of your own, such as a
    GeoNames dump) a row within SAME_KM of it, the unit of the same kind and name, or, for a
    town the gazetteer knows by name only, the town of that name in the same district."""
    if result["id"] in expect:
        return True
    for pid in expect:
        if pid not in builtin:
            continue
        kind, name, lat, lon, admin2 = builtin[pid]
        if kind != "town" and kind == result["kind"] and area_name(name) == area_name(
                result["name"]):
            return True
        # a town known by name only, and a town of that name with a point in its district
        if (lat is None and kind == "town" == result["kind"] and admin2 and
                area_name(admin2) == area_name(result.get("admin2", "")) and
                area_name(name) == area_name(result["name"])):
            return True
        if lat is not None and result.get("lat") is not None:
            dlat = math.radians(result["lat"] - lat)
            dlon = math.radians(result["lon"] - lon)
            h = (math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat)) *
                 math.cos(math.radians(result["lat"])) * math.sin(dlon / 2) ** 2)
            if 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h))) <= SAME_KM:
                return True
    return False


# A place another file gives within this distance of the expected row is the same place (the
# geocoder's own SAME_PLACE_KM is 5; a dump's tehsil or district point may lie a few km off).
SAME_KM = 10.0


def outcome(result, expect, builtin):
    """ok, silent-wrong, or a refusal's kind."""
    if result["status"] == "ok":
        if result["how"] == "fuzzy":
            return "fuzzy"  # render refuses it unless --accept-fuzzy
        return "ok" if is_same_place(result, expect, builtin) else "silent-wrong"
    if result["status"] == "ambiguous":
        return "ambiguous"
    error = result.get("error", "")
    if "knows by name" in error:
        return "name-only"
    if "outside" in error:
        return "out-of-context"
    return "unknown"


KINDS = ["ok", "unknown", "name-only", "ambiguous", "out-of-context", "fuzzy", "silent-wrong"]


def measure(balmap, rows, queries, gazetteers, builtin, title):
    results = geocode(balmap, queries, gazetteers)
    counts = {k: 0 for k in KINDS}
    lines = []
    for row, query, result in zip(rows, queries, results):
        kind = outcome(result, row["expect"], builtin)
        counts[kind] += 1
        got = result.get("id", "-")
        if kind != "ok" or got not in row["expect"]:
            lines.append(f"  {kind if kind != 'ok' else 'ok (same place)':15} {query:34} got {got}; expected "
                         f"{'|'.join(sorted(row['expect'])) or 'none'}")
    n = len(queries)
    n_known = sum(1 for r in rows if r["expect"])
    print(f"{title}: {n} distinct names ({n_known} name a place the gazetteer has)")
    print(f"  resolve to the place meant: {counts['ok']} ({100.0 * counts['ok'] / n:.0f}%)")
    print(f"  refused: unknown {counts['unknown']}, known by name only {counts['name-only']}, "
          f"ambiguous {counts['ambiguous']}, outside the stated area {counts['out-of-context']}, "
          f"only approximately {counts['fuzzy']}")
    print(f"  silent-wrong: {counts['silent-wrong']}")
    for line in lines:
        print(line)
    return counts["silent-wrong"]


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    balmap, check, gazetteers = args[0], False, []
    i = 1
    while i < len(args):
        if args[i] == "--check":
            check = True
        elif args[i] in ("--gazetteer", "-g") and i + 1 < len(args):
            i += 1
            gazetteers.append(args[i])
        else:
            sys.exit(f"unknown argument {args[i]!r}")
        i += 1
    rows = read_rows(os.path.join(HERE, "real-spellings.tsv"))
    as_written = [r["written"] for r in rows]
    with_district = [f"{r['written']}, {r['district']}"
                     if r["district"] and "(" not in r["written"] else r["written"] for r in rows]
    builtin = read_builtin(os.path.join(HERE, "..", "shapes", "gazetteer.tsv"))
    n_wrong = measure(balmap, rows, as_written, gazetteers, builtin, "as written")
    n_wrong += measure(balmap, rows, with_district, gazetteers, builtin, "with the district")
    if check and n_wrong > 0:
        sys.exit(1)


main()
