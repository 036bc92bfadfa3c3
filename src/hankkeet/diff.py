"""Compare two releases project by project -> data; render it as text, markdown, json or html.

Both sides are lists of plain project records (``output.dataset_record`` shape), whichever way they were read:
a hankkeet.yaml, a dataset folder, or a raw listing extracted first.
"""
from __future__ import annotations

import dataclasses
import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from hankkeet import contract, yamlsafe
from hankkeet.yamlsafe import YamlInputError, escape, quote
from hankkeet.printable import printable, printable_data, printable_json

#: Titles at least this similar (rapidfuzz ratio on casefolded text) with the same lead are a rename.
RENAME_CUTOFF = 80.0
_CONTEXT_WORDS = 4
#: A project of the old release and the same project in the new one.
Pair = tuple[dict[str, Any], dict[str, Any]]


@dataclass(frozen=True)
class Comparison:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    renamed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    ended: int = 0

    @property
    def equal(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.changed)

    def summary(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed), "renamed": len(self.renamed),
                "changed": len(self.changed), "ended": self.ended}


def records_from_release_yaml(text: str, file: str = "release") -> list[dict[str, Any]]:
    """The checked projects of a hankkeet.yaml; raises YamlInputError naming ``file``."""
    try:
        return contract.release_projects(yamlsafe.load(text))
    except YamlInputError as err:
        raise err.in_file(file) from None


def records_from_dataset(texts: dict[str, str]) -> list[dict[str, Any]]:
    """The checked projects of a dataset folder, given as {file name: text} of its ``*.yaml`` files."""
    records: list[dict[str, Any]] = []
    first: dict[str, str] = {}
    for file, text in sorted(texts.items()):
        try:
            record = contract.project(yamlsafe.load(text))
        except YamlInputError as err:
            raise err.in_file(escape(file)) from None
        if record["id"] in first:
            raise YamlInputError(f"duplicate id {quote(record['id'])} (also in {escape(first[record['id']])})",
                                 path="id", file=escape(file))
        first[record["id"]] = file
        records.append(record)
    return records


def _lead(record: dict[str, Any]) -> str | None:
    lead = record.get("lead") or {}
    return lead.get("code") or lead.get("name") or lead.get("organisation")


def _partner_keys(record: dict[str, Any]) -> dict[str, str]:
    """Partners by code (raw text for those without one), with a label to show."""
    out = {}
    for p in record.get("partners") or []:
        k = p.get("code") or p.get("raw")
        out[k] = f"{p.get('name')} ({p['code']})" if p.get("code") else str(p.get("raw"))
    return out


def _contact_keys(record: dict[str, Any]) -> list[str]:
    out = []
    for c in record.get("contacts") or []:
        who = c.get("name") or c.get("email") or "?"
        out.append(f"{who}, {c['organisation']}" if c.get("organisation") else who)
    return out


def word_diff(old: str, new: str) -> str:
    """A short word-level diff: changed words as [-old-]{+new+} with a few words of context around each."""
    a, b = old.split(), new.split()
    pieces: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            words = a[i1:i2]
            if len(words) > 2 * _CONTEXT_WORDS:
                head = words[:_CONTEXT_WORDS] if pieces else []
                words = [*head, "…", *words[-_CONTEXT_WORDS:]] if i2 < len(a) else head + ["…"]
            pieces.extend(words)
            continue
        if i2 > i1:
            pieces.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            pieces.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(pieces)


def _fields(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if bool(old.get("ended")) != bool(new.get("ended")):
        fields["ended"] = {"old": bool(old.get("ended")), "new": bool(new.get("ended"))}
    if old.get("ended_on") != new.get("ended_on"):
        fields["ended_on"] = {"old": old.get("ended_on"), "new": new.get("ended_on")}
    if _lead(old) != _lead(new):
        fields["lead"] = {"old": old.get("lead"), "new": new.get("lead")}
    old_p, new_p = _partner_keys(old), _partner_keys(new)
    if set(old_p) != set(new_p):
        fields["partners"] = {"added": sorted(set(new_p) - set(old_p)), "removed": sorted(set(old_p) - set(new_p)),
                              "labels": {k: v for k, v in {**old_p, **new_p}.items()
                                         if (k in old_p) != (k in new_p)}}
    old_c, new_c = _contact_keys(old), _contact_keys(new)
    if old_c != new_c:
        fields["contacts"] = {"added": [c for c in new_c if c not in old_c],
                              "removed": [c for c in old_c if c not in new_c]}
    if old.get("title") != new.get("title"):
        fields["title"] = {"old": old.get("title"), "new": new.get("title")}
    if (old.get("description") or "") != (new.get("description") or ""):
        fields["description"] = {"old": old.get("description"), "new": new.get("description"),
                                 "diff": word_diff(old.get("description") or "", new.get("description") or "")}
    return fields


def _similar(old: dict[str, Any], new: dict[str, Any]) -> float:
    """How likely ``new`` is ``old`` renamed: 0 unless the lead is the same."""
    if _lead(old) != _lead(new):
        return 0.0
    if old.get("description") and old.get("description") == new.get("description"):
        return 100.0
    return float(fuzz.ratio((old.get("title") or "").casefold(), (new.get("title") or "").casefold()))


def pair_renames(removed: list[dict[str, Any]], added: list[dict[str, Any]]) -> list[Pair]:
    """Removed and added projects that are one project renamed: one-to-one, best pairs first.

    Every (removed, added) pair with the same lead and a similarity of at least RENAME_CUTOFF is a candidate; they
    are taken best score first (ties by old id, then new id), each project at most once, so the result does not
    depend on the order of the lists and no added project is claimed by two removed ones.
    """
    candidates = sorted(((score, o["id"], n["id"], o, n) for o in removed for n in added
                         if (score := _similar(o, n)) >= RENAME_CUTOFF),
                        key=lambda c: (-c[0], c[1], c[2]))
    pairs: list[Pair] = []
    used_old: set[str] = set()
    used_new: set[str] = set()
    for _, old_id, new_id, o, n in candidates:
        if old_id not in used_old and new_id not in used_new:
            used_old.add(old_id)
            used_new.add(new_id)
            pairs.append((o, n))
    return pairs


def compare(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Comparison:
    """Pair projects by id, then pair leftovers with the same lead and a very similar title as renamed."""
    old_by_id = {r["id"]: r for r in old}
    new_by_id = {r["id"]: r for r in new}
    removed = [r for r in old if r["id"] not in new_by_id]
    added = [r for r in new if r["id"] not in old_by_id]
    pairs = [(old_by_id[i], new_by_id[i]) for i in new_by_id if i in old_by_id]
    renames = pair_renames(removed, added)
    used_old = {o["id"] for o, _ in renames}
    used_new = {n["id"] for _, n in renames}
    renamed = [{"old_id": o["id"], "new_id": n["id"], "old_title": o.get("title"), "new_title": n.get("title")}
               for o, n in renames]
    pairs += renames
    changed = []
    ended = 0
    for o, n in pairs:
        fields = _fields(o, n)
        if o["id"] != n["id"]:
            fields.pop("title", None)  # the rename says it
        if fields:
            changed.append({"id": n["id"], "title": n.get("title"), "fields": fields})
        ended += not o.get("ended") and bool(n.get("ended"))
    return Comparison(
        added=[{"id": r["id"], "title": r.get("title")} for r in added if r["id"] not in used_new],
        removed=[{"id": r["id"], "title": r.get("title")} for r in removed if r["id"] not in used_old],
        renamed=renamed,
        changed=changed,
        ended=ended,
    )


def summary_line(comparison: Comparison, old_name: str) -> str:
    s = comparison.summary()
    return (f"{s['added']} added, {s['removed']} removed, {s['renamed']} renamed, {s['changed']} changed, "
            f"{s['ended']} ended since {old_name}")


def render_json(comparison: Comparison) -> str:
    """The contract for scripts: summary, added, removed, renamed, changed."""
    changed = []
    for c in comparison.changed:
        fields = {k: ({kk: vv for kk, vv in v.items() if kk != "labels"} if isinstance(v, dict) else v)
                  for k, v in c["fields"].items()}
        changed.append({**c, "fields": fields})
    return printable_json(json.dumps({"summary": comparison.summary(), "added": comparison.added,
                                      "removed": comparison.removed, "renamed": comparison.renamed,
                                      "changed": changed}, ensure_ascii=False, indent=2))


def _field_lines(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, what changed) pairs, in a fixed order, for the text and markdown renderers."""
    out = []
    if "ended" in fields:
        out.append(("ended", f"{str(fields['ended']['old']).lower()} → {str(fields['ended']['new']).lower()}"))
    if "ended_on" in fields:
        out.append(("ended_on", f"{fields['ended_on']['old'] or '-'} → {fields['ended_on']['new'] or '-'}"))
    if "lead" in fields:
        def who(lead: Any) -> str:
            return str((lead or {}).get("name") or (lead or {}).get("organisation") or "unknown")
        out.append(("lead", f"{who(fields['lead']['old'])} → {who(fields['lead']['new'])}"))
    for name in ("partners", "contacts"):
        if name in fields:
            labels = fields[name].get("labels", {})
            parts = [f"+ {labels.get(k, k)}" for k in fields[name]["added"]]
            parts += [f"− {labels.get(k, k)}" for k in fields[name]["removed"]]
            out.append((name, "; ".join(parts) or "reordered"))
    if "title" in fields:
        out.append(("title", f"“{fields['title']['old']}” → “{fields['title']['new']}”"))
    if "description" in fields:
        out.append(("description", fields["description"]["diff"]))
    return out


def _printable(comparison: Comparison) -> Comparison:
    """The comparison with every string from the data escaped, for the text and markdown renderers."""
    return Comparison(*(printable_data(getattr(comparison, f.name)) for f in dataclasses.fields(comparison)))


_COLOURS = {"+": "\x1b[32m", "-": "\x1b[31m", "~": "\x1b[33m", "reset": "\x1b[0m"}


def render_text(comparison: Comparison, old_name: str, colour: bool = False) -> str:
    """A readable report, one line per project and an indented line per changed field."""
    def paint(mark: str, text: str) -> str:
        return f"{_COLOURS[mark]}{text}{_COLOURS['reset']}" if colour else text

    comparison, old_name = _printable(comparison), printable(old_name)
    lines = [summary_line(comparison, old_name)]
    lines += [paint("+", f"+ added    {a['id']}  {a['title']}") for a in comparison.added]
    lines += [paint("-", f"- removed  {r['id']}  {r['title']}") for r in comparison.removed]
    lines += [paint("~", f"~ renamed  {r['old_id']} → {r['new_id']}  “{r['old_title']}” → “{r['new_title']}”")
              for r in comparison.renamed]
    for c in comparison.changed:
        lines.append(paint("~", f"~ changed  {c['id']}  {c['title']}"))
        lines += [f"    {name}: {what}" for name, what in _field_lines(c["fields"])]
    return "\n".join(lines) + "\n"


def render_markdown(comparison: Comparison, old_name: str) -> str:
    """For a release note or a pull request."""
    comparison, old_name = _printable(comparison), printable(old_name)
    out = [f"## Changes since {old_name}", "", f"**{summary_line(comparison, old_name)}**", ""]
    sections = (("Added", comparison.added), ("Removed", comparison.removed))
    for heading, items in sections:
        if items:
            out += [f"### {heading}", ""] + [f"- {i['title']} (`{i['id']}`)" for i in items] + [""]
    if comparison.renamed:
        out += ["### Renamed", ""]
        out += [f"- “{r['old_title']}” → “{r['new_title']}” (`{r['old_id']}` → `{r['new_id']}`)"
                for r in comparison.renamed] + [""]
    if comparison.changed:
        out += ["### Changed", ""]
        for c in comparison.changed:
            out.append(f"- **{c['title']}** (`{c['id']}`)")
            out += [f"  - {name}: {what}" for name, what in _field_lines(c["fields"])]
        out.append("")
    return "\n".join(out)


def render_html(comparison: Comparison, old: list[dict[str, Any]], new: list[dict[str, Any]], old_name: str,
                new_name: str, old_lines: dict[str, list[tuple[int, str]]] | None = None,
                new_lines: dict[str, list[tuple[int, str]]] | None = None) -> str:
    """A self-contained page: each added, removed, renamed and changed project with its record and (for a side
    that is a listing) its source lines, description changes marked word by word (Jinja2, autoescaped: see
    ``pages.py``)."""
    from hankkeet.pages import render_diff

    return render_diff(comparison, old, new, old_name, new_name, old_lines, new_lines)
