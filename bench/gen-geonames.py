#!/usr/bin/env python3
"""Writes a synthetic GeoNames country dump (the geoname table: 19 tab-separated columns, no
header) of N rows to standard output, for bench/gazetteer-load.sh. The names are made of
syllables, the coordinates fall in Pakistan's box; nothing in it is a real place. About the mix
of PK.txt: mostly populated places (class P) with 0-4 alternate names, some ADM2/ADM3 units, and
streams and mountains that balmap skips. Deterministic (fixed seed).

    bench/gen-geonames.py 100000 > /tmp/pk-synthetic.txt
"""
import random
import sys

SYLLABLES = ["ba", "lo", "chi", "stan", "kech", "tur", "bat", "pan", "jgur", "ma", "stung",
             "nu", "shki", "kha", "ran", "gwa", "dar", "zho", "be", "la", "qi", "lla", "sai",
             "ful", "lah", "de", "ra", "bu", "gti", "ko", "hlu", "su", "rab", "mand", "hub"]


def name(rng):
    words = rng.choice([1, 1, 1, 2])
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()
                    for _ in range(words))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = random.Random(10)
    out = sys.stdout
    for i in range(n):
        r = rng.random()
        if r < 0.005:
            fclass, fcode = "A", "ADM2"
        elif r < 0.02:
            fclass, fcode = "A", "ADM3"
        elif r < 0.85:
            fclass, fcode = "P", "PPL"
        elif r < 0.93:
            fclass, fcode = "H", "STM"
        else:
            fclass, fcode = "T", "MT"
        nm = name(rng)
        alts = ",".join(name(rng) for _ in range(rng.randint(0, 4)))
        admin1 = rng.choice(["02", "03", "04", "05"])
        admin2 = str(1160000 + rng.randint(0, 150))
        pop = rng.choice([0, 0, 0, rng.randint(100, 50000)])
        cols = [str(1000000 + i), nm, nm, alts, "%.5f" % rng.uniform(24.0, 36.5),
                "%.5f" % rng.uniform(61.0, 77.5), fclass, fcode, "PK", "", admin1, admin2, "",
                "", str(pop), "", str(rng.randint(0, 3000)), "Asia/Karachi", "2024-01-01"]
        out.write("\t".join(cols) + "\n")


if __name__ == "__main__":
    main()
