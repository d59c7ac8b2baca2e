#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen-acled.py ROWS [--seed N] [--outlets N] [-o FILE] - a synthetic ACLED-style CSV for benchmarks.

Events at the real Balochistan towns of shapes/gazetteer.tsv (their own coordinates, districts
and populations), spread over six years (2020-2025), with the columns balmap's ACLED reader
reads (docs/input-formats.md) in ACLED's own order and date wording ("31 January 2026").

Nothing here is ACLED data: the rows are invented from a seeded generator, shaped only by what
an ACLED extract for the province looks like in general:
- about 45% of events have no fatalities (protests, strategic developments, many clashes);
- the rest mostly 1-3, a long tail (log-normal) and a few mass-casualty events (20-90);
- events concentrate in the larger towns (weight: the square root of the population);
- geo_precision 1 for 75% of rows, 2 (near the town) for 20%, 3 for 5%; as in ACLED, the
  coordinates are always those of the location named (one point per name);
- `source` names one to three of 24 outlets, joined by "; ", as ACLED exports do.

The same ROWS and seed always give the same bytes (no large files in git: bench/README.md).
"""
import argparse
import csv
import math
import os
import random
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
GAZETTEER = os.path.join(HERE, "..", "shapes", "gazetteer.tsv")

OUTLETS = [
    "Dawn", "The News International", "The Express Tribune", "The Balochistan Post",
    "Pakistan Today", "Business Recorder", "Geo News", "Daily Times", "Xinhua",
    "Associated Press of Pakistan", "Dunya News", "ARY News", "Samaa TV", "Daily Intikhab",
    "Daily Azadi", "Voice of America", "Radio Free Europe/Radio Liberty", "Reuters",
    "Agence France-Presse", "The Friday Times", "Balochistan Express", "The Nation",
    "Twitter", "Baloch Yakjehti Committee",
]

EVENT_TYPES = [  # (type, share, can kill)
    ("Battles", 0.22, True),
    ("Explosions/Remote violence", 0.20, True),
    ("Violence against civilians", 0.18, True),
    ("Protests", 0.30, False),
    ("Riots", 0.04, True),
    ("Strategic developments", 0.06, False),
]

ACTORS = [
    "Military Forces of Pakistan (2018-)", "Police Forces of Pakistan (2018-)",
    "BLA: Balochistan Liberation Army", "BLF: Balochistan Liberation Front",
    "TTP: Tehreek-i-Taliban Pakistan", "Unidentified Armed Group (Pakistan)",
    "Protesters (Pakistan)", "Civilians (Pakistan)", "IS-PP: Islamic State (Pakistan Province)",
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def plain(name):
    """'Khuzdār District' -> 'Khuzdar': district names as ACLED's admin2 writes them."""
    name = name.replace(" District", "")
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))


def read_places():
    towns = []
    with open(GAZETTEER, encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        for r in rows:
            if r["admin1"] != "Balochistan" or not r["lat"] or not r["lon"]:
                continue
            if r["kind"] == "town":
                pop = int(r["population"]) if r["population"] else 5000
                towns.append((r["name"], plain(r["admin2"]), float(r["lat"]), float(r["lon"]), pop))
    if not towns:
        sys.exit(f"gen-acled: no Balochistan towns in {GAZETTEER}")
    return towns


def fatalities(rng, can_kill):
    if not can_kill or rng.random() < 0.35:
        return 0
    if rng.random() < 0.006:
        return rng.randint(20, 90)
    return max(1, min(60, int(round(rng.lognormvariate(0.3, 0.9)))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", type=int)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--outlets", type=int, default=len(OUTLETS),
                    help="use only the first N outlets (1: every row 'Dawn'; balmap before "
                    "issue 9 refuses more than 8 distinct 'source' values)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    towns = read_places()
    weights = [math.sqrt(t[4]) for t in towns]
    types = [t[0] for t in EVENT_TYPES]
    type_w = [t[1] for t in EVENT_TYPES]
    can_kill = {t[0]: t[2] for t in EVENT_TYPES}
    first_day = 737425  # date(2020, 1, 1).toordinal()
    n_days = 2192       # to 2025-12-31
    out = sys.stdout if a.output == "-" else open(a.output, "w", encoding="utf-8", newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["event_id_cnty", "event_date", "event_type", "actor1", "actor2", "admin1",
                "admin2", "location", "latitude", "longitude", "geo_precision", "source",
                "notes", "fatalities", "iso"])
    import datetime
    for i in range(a.rows):
        name, admin2, lat, lon, _ = rng.choices(towns, weights)[0]
        day = datetime.date.fromordinal(first_day + rng.randrange(n_days))
        etype = rng.choices(types, type_w)[0]
        precision = rng.choices([1, 2, 3], [0.75, 0.20, 0.05])[0]
        outlets = OUTLETS[:max(1, min(a.outlets, len(OUTLETS)))]
        n_src = min(len(outlets), rng.choices([1, 2, 3], [0.6, 0.3, 0.1])[0])
        source = "; ".join(rng.sample(outlets, n_src))
        actor1 = rng.choice(ACTORS)
        actor2 = rng.choice(ACTORS + [""])
        killed = fatalities(rng, can_kill[etype])
        note = (f"On {day.day} {MONTHS[day.month - 1]} {day.year}, {etype.lower()} near "
                f"{name}, {admin2}" + (f"; {killed} reported killed." if killed else "."))
        w.writerow([f"PAK{100000 + i}", f"{day.day} {MONTHS[day.month - 1]} {day.year}",
                    etype, actor1, actor2, "Balochistan", admin2,
                    name, f"{lat:.4f}", f"{lon:.4f}", precision, source, note, killed, 586])
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
