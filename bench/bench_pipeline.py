"""Benchmark the pipeline: per stage and end to end, on 1x, 10x and 100x the listing; write bench/results.md.

Not a test: run with `make bench` (under two minutes on the 2-core development machine). The corpora are
concatenated copies of the listing in which every title gets the copy number, so the projects (and their ids)
differ. End to end runs `hankkeet extract` in a fresh process (interpreter start-up included); the stages run
in-process. The floor is the cheapest honest pass over the same text: read the file, decode, split it into lines
and match one compiled regex per line.
"""
from __future__ import annotations

import gc
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hankkeet import extract
from hankkeet.blocks import segment
from hankkeet.checks import audit
from hankkeet.database import write_database
from hankkeet.fields import build_project, description_lines
from hankkeet.ids import assign_ids
from hankkeet.leads import infer_leads
from hankkeet.lines import classify
from hankkeet.mentions import add_mentions, form_index
from hankkeet.municipalities import Gazetteer
from hankkeet.output import to_yaml
from hankkeet.source import read
from hankkeet.tables import Source, to_csv

ROOT = Path(__file__).resolve().parent.parent
LISTING = ROOT / "data" / "raw" / "kuntien-digihankkeet.txt"
RESULTS = ROOT / "bench" / "results.md"
SIZES = (1, 10, 100)
REPEATS = {1: 7, 10: 5, 100: 3}
HANKKEET = [sys.executable, "-m", "hankkeet"]


def corpus(copies: int) -> bytes:
    """``copies`` copies of the listing, each title suffixed with its copy number."""
    text = LISTING.read_text(encoding="utf-8")
    release = extract(text)
    titles = {p.line_start if p.title is not None else -1 for p in release.projects}
    lines = text.split("\n")
    out = []
    for copy in range(copies):
        out += [f"{line} ({copy})" if number in titles and copy else line for number, line in enumerate(lines, 1)]
    return "\n".join(out).encode("utf-8")


def median_time(action: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor(path: Path) -> None:
    pattern = re.compile(r"\S+")
    for line in path.read_bytes().decode("utf-8").split("\n"):
        pattern.match(line)


def stages(data: bytes, repeats: int) -> dict[str, float]:
    """Median seconds of each stage, each given the previous stage's output.

    normalise: every partner and contact place string of the corpus, in order, through a new gazetteer (its
    cache fills as it goes). fields: building the projects, leads and ids with a gazetteer already warm, so
    that normalisation is not counted twice.
    """
    warm = Gazetteer.load()
    release = extract(data, warm)
    lines, _, _ = read(data, "x")
    tokens = classify(lines, warm)
    blocks, _, _ = segment(tokens)
    places = [p.place.raw for project in release.projects for p in project.partners]
    places += [c.organisation for project in release.projects for c in project.contacts if c.organisation]

    def normalise() -> None:
        gazetteer = Gazetteer.load()
        for raw in places:
            gazetteer.resolve(raw)

    gc.disable()  # as `hankkeet extract` does during a run
    try:
        return _time_stages(data, lines, tokens, blocks, release, warm, normalise, repeats)
    finally:
        gc.enable()


def _fields(blocks: Any, gazetteer: Gazetteer) -> Any:
    """Projects, leads, checks and ids, as the pipeline builds them after segmenting."""
    projects = infer_leads([build_project(b, gazetteer) for b in blocks], gazetteer)
    return assign_ids(audit(blocks, projects, gazetteer))


def _mentions(blocks: Any, release: Any, gazetteer: Gazetteer) -> Any:
    """The places named in the descriptions (the pipeline runs this between the leads and the checks)."""
    forms = form_index(gazetteer)
    return [add_mentions(p, description_lines(b), forms, gazetteer) for b, p in zip(blocks, release.projects)]


def _sqlite(release: Any, gazetteer: Gazetteer) -> None:
    """hankkeet.sqlite written into a new file, as `extract` writes it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "hankkeet.sqlite")
        path.touch()
        write_database(path, Source(release, gazetteer.municipalities))


def _time_stages(data: bytes, lines: Any, tokens: Any, blocks: Any, release: Any, warm: Gazetteer,
                 normalise: Callable[[], None], repeats: int) -> dict[str, float]:
    return {
        "read": median_time(lambda: read(data, "x"), repeats),
        "tokenize": median_time(lambda: classify(lines, warm), repeats),
        "segment": median_time(lambda: segment(tokens), repeats),
        "normalise": median_time(normalise, repeats),
        "fields": median_time(lambda: _fields(blocks, warm), repeats),
        "mentions": median_time(lambda: _mentions(blocks, release, warm), repeats),
        "write YAML": median_time(lambda: to_yaml(release), repeats),
        "write CSV": median_time(lambda: to_csv(release, reference=warm.municipalities), repeats),
        "write SQLite": median_time(lambda: _sqlite(release, warm), repeats),
    }


def end_to_end(path: Path, out: Path, repeats: int) -> tuple[float, int]:
    """Median wall seconds of `hankkeet extract` in a fresh process, and its peak memory in bytes."""
    command = [*HANKKEET, "extract", str(path), "--out", str(out), "-q"]
    wall = median_time(lambda: subprocess.run(command, check=True, capture_output=True), repeats)
    # Peak memory of that process alone: VmHWM (getrusage's ru_maxrss survives exec, so a child started from
    # this large benchmark process would report the parent's peak).
    probe = ("import runpy, sys; sys.argv = ['hankkeet', 'extract', sys.argv[1], '--out', sys.argv[2], '-q']\n"
             "try:\n    runpy.run_module('hankkeet', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    peak_kb = int(subprocess.run([sys.executable, "-c", probe, str(path), str(out)], check=True,
                                 capture_output=True, text=True).stdout.split()[-1])
    return wall, peak_kb * 1024


def startup(repeats: int = 7) -> dict[str, float]:
    bare = median_time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), repeats)
    helped = median_time(lambda: subprocess.run([*HANKKEET, "--help"], check=True, capture_output=True), repeats)
    return {"python -c pass": bare, "hankkeet --help": helped}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    system = f"{platform.system()} {platform.machine()}"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()} ({system})"


def main() -> None:
    rows = []
    e2e: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            data = corpus(size)
            path = Path(tmp) / f"listing-{size}x.txt"
            path.write_bytes(data)
            release = extract(data)
            mb, projects = len(data) / 1e6, len(release.projects)
            repeats = REPEATS[size]
            per_stage = stages(data, repeats)
            floor_s = median_time(lambda: floor(path), repeats)
            wall, peak = end_to_end(path, Path(tmp) / f"out-{size}", repeats)
            e2e[size] = wall
            rows.append((size, mb, projects, per_stage, floor_s, wall, peak))
            print(f"{size}x done: {mb:.1f} MB, {projects} projects, end to end {wall:.2f} s", file=sys.stderr)
        empty = Path(tmp) / "empty.txt"
        empty.write_bytes(b"")
        e2e[0] = end_to_end(empty, Path(tmp) / "out-empty", REPEATS[1])[0]
    start = startup()
    report = render(rows, e2e, start)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)


def render(rows: list[tuple[Any, ...]], e2e: dict[int, float], start: dict[str, float]) -> str:
    out = ["# Benchmark results", "", f"Machine: {machine()}. One process, one core. Medians of "
           f"{REPEATS[1]}/{REPEATS[10]}/{REPEATS[100]} runs for 1x/10x/100x. Made by `make bench` "
           "(`bench/bench_pipeline.py`). Stages run in-process with the cycle collector paused, as "
           "`hankkeet extract` runs them.", ""]
    out += ["| corpus | stage | seconds | MB/s | projects/s |", "| --- | --- | --- | --- | --- |"]
    for size, mb, projects, per_stage, floor_s, wall, peak in rows:
        for stage, seconds in [*per_stage.items(), ("end to end (fresh process)", wall), ("floor", floor_s)]:
            rate = f"{mb / seconds:.1f}" if seconds else "-"
            out.append(f"| {size}x ({mb:.1f} MB, {projects} projects) | {stage} | {seconds:.3f} | {rate} | "
                       f"{projects / seconds:,.0f} |" if seconds else f"| {size}x | {stage} | 0 | - | - |")
    out += ["", "| corpus | end to end / floor | peak memory | peak / input |", "| --- | --- | --- | --- |"]
    for size, mb, _, _, floor_s, wall, peak in rows:
        out.append(f"| {size}x | {wall / floor_s:.1f}x | {peak / 1e6:.0f} MB | {peak / (mb * 1e6):.1f}x |")
    ratio = e2e[100] / e2e[10]
    fixed = e2e[0]  # interpreter, imports, gazetteer: `hankkeet extract` of an empty file
    work_ratio = (e2e[100] - fixed) / (e2e[10] - fixed)
    size100 = next(r for r in rows if r[0] == 100)
    mb100, wall100, floor100, peak100 = size100[1], size100[5], size100[4], size100[6]
    targets = [
        ("end to end at 100x >= 5 MB/s", f"{mb100 / wall100:.1f} MB/s", mb100 / wall100 >= 5),
        ("end to end at 100x <= 20x the floor", f"{wall100 / floor100:.1f}x", wall100 / floor100 <= 20),
        ("peak memory at 100x <= 10x the input", f"{peak100 / (mb100 * 1e6):.1f}x", peak100 <= 10 * mb100 * 1e6),
        ("100x / 10x time between 8 and 12", f"{ratio:.1f} (without the fixed {fixed:.2f} s of an empty run: "
         f"{work_ratio:.1f})", 8 <= ratio <= 12),
        ("the listing end to end < 0.3 s wall", f"{e2e[1]:.3f} s", e2e[1] < 0.3),
    ]
    out += ["", "| target | measured | met |", "| --- | --- | --- |"]
    out += [f"| {name} | {value} | {'yes' if ok else '**no**'} |" for name, value, ok in targets]
    out += ["", "| start-up | seconds |", "| --- | --- |"]
    out += [f"| `{name}` | {seconds:.3f} |" for name, seconds in start.items()]
    out.append(f"| difference | {start['hankkeet --help'] - start['python -c pass']:.3f} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
