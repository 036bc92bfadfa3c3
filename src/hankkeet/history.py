"""A series of dated snapshots -> one history row per project and a timeline; render them as CSV or markdown.

Each snapshot is a list of project records (``output.dataset_record`` shape), as ``diff`` reads them. A project is
followed from one snapshot to the next by its id, else as a rename (``diff.pair_renames``, the same one-to-one
pairing ``diff`` uses), so a renamed project keeps one row under its newest id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any

from hankkeet.diff import pair_renames
from hankkeet.printable import plural, printable, printable_data

COLUMNS = ("id", "title", "first_seen", "last_seen", "ended_seen", "renamed_from", "snapshots")
_DATE = re.compile(r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])")

Record = dict[str, Any]


class SnapshotDateError(ValueError):
    """The snapshots cannot be put in order: a date missing, malformed or given twice. One line for the user."""


@dataclass
class _Track:
    """One project across the series: every id it had (oldest first) and where it was seen."""

    ids: list[str]
    record: Record
    first_seen: str
    last_seen: str = ""
    ended_seen: str = ""
    snapshots: int = 0


@dataclass(frozen=True)
class Step:
    """What one snapshot changed since the one before: lists of {id, title} ({old_id, new_id, old_title,
    new_title} for renamed). ``returned`` are projects back under an id they had in an earlier snapshot."""

    date: str
    projects: int
    ended_projects: int
    added: list[dict[str, Any]] = field(default_factory=list)
    returned: list[dict[str, Any]] = field(default_factory=list)
    renamed: list[dict[str, Any]] = field(default_factory=list)
    ended: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class History:
    rows: list[dict[str, Any]]
    steps: list[Step]


def _entry(record: Record) -> dict[str, Any]:
    return {"id": record["id"], "title": record.get("title")}


def _match(records: list[Record], previous: dict[str, _Track], by_id: dict[str, _Track],
           step: Step) -> dict[str, _Track]:
    """The track of each record of a snapshot: by id from the snapshot before, back under an id of an earlier
    snapshot, renamed from a project of the snapshot before, or a new one. Fills in ``step``."""
    current = {r["id"]: previous[r["id"]] for r in records if r["id"] in previous}
    taken = {id(t) for t in current.values()}
    left = []
    for r in (r for r in records if r["id"] not in current):
        track = by_id.get(r["id"])
        if track is None or id(track) in taken:
            left.append(r)
            continue
        current[r["id"]] = track
        taken.add(id(track))
        if previous.get(track.ids[-1]) is track:  # renamed back to an id it had before
            step.renamed.append(_renamed(track.record, r))
        else:
            step.returned.append(_entry(r))
    gone = [t.record for t in previous.values() if id(t) not in taken]
    for old, new in pair_renames(gone, left):
        current[new["id"]] = previous[old["id"]]
        taken.add(id(previous[old["id"]]))
        step.renamed.append(_renamed(old, new))
    for r in (r for r in records if r["id"] not in current):
        current[r["id"]] = _Track([r["id"]], r, step.date)
        step.added.append(_entry(r))
    step.removed.extend(_entry(t.record) for t in previous.values() if id(t) not in taken)
    return current


def _renamed(old: Record, new: Record) -> dict[str, Any]:
    return {"old_id": old["id"], "new_id": new["id"], "old_title": old.get("title"), "new_title": new.get("title")}


def history(snapshots: list[tuple[str, list[Record]]]) -> History:
    """One row per project over snapshots given oldest first as (date, records), and what each one changed."""
    tracks: list[_Track] = []
    by_id: dict[str, _Track] = {}  # every id seen -> the track that had it last
    previous: dict[str, _Track] = {}
    steps = []
    for day, records in snapshots:
        step = Step(day, len(records), sum(bool(r.get("ended")) for r in records))
        current = _match(records, previous, by_id, step)
        for r in records:
            track = current[r["id"]]
            if track.snapshots == 0:
                tracks.append(track)
            if track.ids[-1] != r["id"]:
                track.ids.append(r["id"])
            track.record, track.last_seen = r, day
            track.snapshots += 1
            if r.get("ended") and not track.ended_seen:
                track.ended_seen = day
                step.ended.append(_entry(r))
            by_id[r["id"]] = track
        steps.append(step)
        previous = current
    newest = snapshots[-1][0] if snapshots else ""
    rows = [_row(t, newest) for t in tracks]
    return History(sorted(rows, key=lambda row: (row["first_seen"], row["id"])), steps)


def _row(track: _Track, newest: str) -> dict[str, Any]:
    now = track.ids[-1]
    earlier = [i for i in dict.fromkeys(track.ids) if i != now]
    return {"id": now, "title": track.record.get("title"), "first_seen": track.first_seen,
            "last_seen": "" if track.last_seen == newest else track.last_seen, "ended_seen": track.ended_seen,
            "renamed_from": ";".join(earlier), "snapshots": track.snapshots}


def date_in_name(name: str) -> str | None:
    """The ``YYYY-MM-DD`` date in a snapshot's name: the nearest part of its path that holds one (the file, else
    its folder: ``releases/2024-01-01/hankkeet.yaml``); None if no part does."""
    for part in reversed(PurePath(name).parts):
        found = set(_DATE.findall(part))
        if len(found) > 1:
            raise SnapshotDateError(f"{name}: more than one date in its name ({', '.join(sorted(found))}); "
                                    "give --dates")
        if found:
            return _checked(found.pop(), name)
    return None


def _checked(text: str, where: str) -> str:
    """``text`` if it is a real YYYY-MM-DD date (not 2024-02-30), else SnapshotDateError."""
    try:
        if _DATE.fullmatch(text):
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise SnapshotDateError(f"{where}: {printable(repr(text))} is not a date (YYYY-MM-DD)")


def snapshot_dates(names: list[str], given: str | None) -> list[str]:
    """The date of each snapshot: from ``--dates`` (D1,D2,… in the order of the names) when given, else from the
    names; refused when one is missing or two snapshots share a date."""
    if given is not None:
        dates = [d.strip() for d in given.split(",")]
        if len(dates) != len(names):
            raise SnapshotDateError(f"--dates gives {plural(len(dates), 'date')} for "
                                    f"{plural(len(names), 'snapshot')}")
        dates = [_checked(d, "--dates") for d in dates]
    else:
        found = [date_in_name(n) for n in names]
        missing = [n for n, d in zip(names, found, strict=True) if d is None]
        if missing:
            raise SnapshotDateError(f"{missing[0]}: no YYYY-MM-DD date in its name; give --dates D1,D2,…")
        dates = [d for d in found if d is not None]
    seen: dict[str, str] = {}
    for name, day in zip(names, dates, strict=True):
        if day in seen:
            raise SnapshotDateError(f"{seen[day]} and {name} have the same date, {day}")
        seen[day] = name
    return dates


def render_csv(result: History) -> str:
    """history.csv: RFC 4180 like the other tables, one row per project."""
    from hankkeet.tables import table_text

    return table_text(COLUMNS, result.rows)


def _summary(step: Step) -> str:
    counts = ", ".join(f"{len(getattr(step, kind))} {kind}" for kind in ("added", "returned", "renamed", "ended",
                                                                          "removed"))
    return f"{plural(step.projects, 'project')} ({step.ended_projects} ended); {counts}"


def _title(title: str | None) -> str:
    return "(no title)" if title is None else title


def _project(item: dict[str, Any]) -> str:
    return f"- {_title(item['title'])} (`{item['id']}`)"


def _rename(item: dict[str, Any]) -> str:
    return (f"- “{_title(item['old_title'])}” → “{_title(item['new_title'])}” "
            f"(`{item['old_id']}` → `{item['new_id']}`)")


#: The sections of a snapshot in the markdown timeline: heading, Step field, how one item is written.
_SECTIONS = (("Added", "added", _project), ("Returned", "returned", _project), ("Renamed", "renamed", _rename),
             ("Ended", "ended", _project), ("Removed", "removed", _project))


def render_markdown(result: History) -> str:
    """A readable timeline: per snapshot, the projects added, returned, renamed, first marked ended and removed."""
    steps = [Step(**printable_data(vars(s))) for s in result.steps]
    span = f"{steps[0].date} to {steps[-1].date}" if steps else "none"
    out = [f"# History of {plural(len(steps), 'snapshot')} ({span})", "",
           f"**{plural(len(result.rows), 'project')} in all, {steps[-1].projects if steps else 0} in the newest**",
           ""]
    for number, step in enumerate(steps):
        out += [f"## {step.date}", ""]
        if number == 0:
            out += [f"{plural(step.projects, 'project')} ({step.ended_projects} ended): the first snapshot", ""]
            continue
        out += [_summary(step), ""]
        for heading, kind, line in _SECTIONS:
            items = getattr(step, kind)
            if items:
                out += [f"### {heading}", "", *(line(i) for i in items), ""]
    return "\n".join(out)
