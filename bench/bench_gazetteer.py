"""Benchmark: resolve 100,000 mixed place strings; print names per second (median of repeated runs).

Not a test: run with `make bench`. The mix: the listing's own place strings, every municipality in four
written forms, organisations, near misses, and single-letter typos (about a fifth of the strings, mostly
unique, so they take the fuzzy path). "cold" builds a new gazetteer each run, so nothing is cached
across runs; "warm" resolves the same 100,000 again with the cache filled.
"""
from __future__ import annotations

import platform
import random
import statistics
import time
from pathlib import Path

from hankkeet import extract
from hankkeet.municipalities import Gazetteer

N = 100_000
RUNS = 5
ROOT = Path(__file__).resolve().parent.parent


def corpus(seed: int = 2026) -> list[str]:
    rng = random.Random(seed)
    gazetteer = Gazetteer.load()
    release = extract((ROOT / "data" / "raw" / "kuntien-digihankkeet.txt").read_bytes(), gazetteer)
    listing = [p.place.raw for project in release.projects for p in project.partners]
    forms = []
    for m in gazetteer.municipalities.values():
        forms += [m.name_fi, m.name_sv, f"{m.genitive_fi} kunta", f"{m.name_sv} kommun"]
    organisations = ["Lapin liitto", "Kaustisen seutukunta", "Savon ICT-palvelut Oy", "Oulun yliopisto",
                     "Porvoon kaupunginkirjasto", "Ylä-Savon SOTE kuntayhtymä"]
    misses = ["Kunta", "Salonen", "Virtanen", "Uusimaa", "Koulu", "Hanke"]
    names = [m.name_fi for m in gazetteer.municipalities.values()]
    letters = "abdefghijklmnoprstuvyäö"

    def typo() -> str:
        name = rng.choice(names)
        i = rng.randrange(1, len(name))
        return name[:i] + rng.choice(letters) + name[i + 1:]

    out = []
    for _ in range(N):
        r = rng.random()
        if r < 0.35:
            out.append(rng.choice(listing))
        elif r < 0.70:
            out.append(rng.choice(forms))
        elif r < 0.78:
            out.append(rng.choice(organisations + misses))
        else:
            out.append(typo())
    return out


def timed(names: list[str], gazetteer: Gazetteer) -> float:
    start = time.perf_counter()
    for name in names:
        gazetteer.resolve(name)
    return time.perf_counter() - start


def main() -> None:
    names = corpus()
    unique = len(set(names))
    cold, warm, build = [], [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        gazetteer = Gazetteer.load()
        build.append(time.perf_counter() - start)
        cold.append(timed(names, gazetteer))
        warm.append(timed(names, gazetteer))
    methods: dict[str, int] = {}
    for name in names:
        method = gazetteer.resolve(name).method
        methods[method] = methods.get(method, 0) + 1
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, "
          f"one core")
    print(f"{N} names, {unique} distinct; methods: "
          + ", ".join(f"{k} {v / N:.0%}" for k, v in sorted(methods.items(), key=lambda kv: -kv[1])))
    print(f"gazetteer build: median {statistics.median(build) * 1000:.1f} ms")
    for label, times in (("cold (new gazetteer, cache fills as it goes)", cold), ("warm (cache full)", warm)):
        median = statistics.median(times)
        print(f"{label}: median {median:.3f} s over {RUNS} runs = {N / median:,.0f} names/s")


if __name__ == "__main__":
    main()
