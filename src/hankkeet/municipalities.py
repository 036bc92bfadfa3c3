"""The gazetteer: load the shipped municipality reference and resolve a raw place string.

Stages run from most to least certain: override, exact Finnish name, Swedish name, inflected
(genitive + head word) form, organisation head words, former municipality, and last fuzzy matching
with a cutoff and a margin. A wrong code is worse than none, so ambiguous strings get no code.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from importlib import resources

import regex
from rapidfuzz import fuzz, process

from hankkeet.model import Place
from hankkeet.printable import printable
from hankkeet.source import clean

#: The list in force (Statistics Finland kunta_1_20250101; unchanged on 2026-01-01).
VALID_ON = "2025-01-01"
#: Fuzzy matches below this rapidfuzz ``fuzz.ratio`` score are refused.
FUZZY_CUTOFF = 88.0
#: A fuzzy match must beat the best other municipality by this many points.
FUZZY_MARGIN = 5.0
#: Candidates below this score are not even considered as runners-up.
FUZZY_FLOOR = 60.0
#: Strings shorter than this are never fuzzy-matched (too many near neighbours).
#: A fuzzy candidate must also start with the same letter as the string (diacritics ignored).
FUZZY_MIN_LENGTH = 5

#: Short forms people write for official names that carry a qualifier.
SHORT_FORMS: Mapping[str, tuple[str, ...]] = {
    "284": ("Koski",),  # Koski Tl; Koski Hl became Hämeenkoski in 1995 and was merged in 2016
    "478": ("Maarianhamina",),  # Maarianhamina - Mariehamn
    "599": ("Pedersöre",),  # Pedersören kunta
}
#: The 21 wellbeing services counties (hyvinvointialueet, in force since 2023; Act 616/2021 section 7) with their
#: Swedish names and the region (maakunta) code of their area; Helsinki runs these services itself.
WELLBEING_COUNTIES: tuple[tuple[str, str, str], ...] = (
    ("Itä-Uudenmaan hyvinvointialue", "Östra Nylands välfärdsområde", "01"),
    ("Keski-Uudenmaan hyvinvointialue", "Mellersta Nylands välfärdsområde", "01"),
    ("Länsi-Uudenmaan hyvinvointialue", "Västra Nylands välfärdsområde", "01"),
    ("Vantaan ja Keravan hyvinvointialue", "Vanda och Kervo välfärdsområde", "01"),
    ("Varsinais-Suomen hyvinvointialue", "Egentliga Finlands välfärdsområde", "02"),
    ("Satakunnan hyvinvointialue", "Satakunta välfärdsområde", "04"),
    ("Kanta-Hämeen hyvinvointialue", "Egentliga Tavastlands välfärdsområde", "05"),
    ("Pirkanmaan hyvinvointialue", "Birkalands välfärdsområde", "06"),
    ("Päijät-Hämeen hyvinvointialue", "Päijänne-Tavastlands välfärdsområde", "07"),
    ("Kymenlaakson hyvinvointialue", "Kymmenedalens välfärdsområde", "08"),
    ("Etelä-Karjalan hyvinvointialue", "Södra Karelens välfärdsområde", "09"),
    ("Etelä-Savon hyvinvointialue", "Södra Savolax välfärdsområde", "10"),
    ("Pohjois-Savon hyvinvointialue", "Norra Savolax välfärdsområde", "11"),
    ("Pohjois-Karjalan hyvinvointialue", "Norra Karelens välfärdsområde", "12"),
    ("Keski-Suomen hyvinvointialue", "Mellersta Finlands välfärdsområde", "13"),
    ("Etelä-Pohjanmaan hyvinvointialue", "Södra Österbottens välfärdsområde", "14"),
    ("Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde", "15"),
    ("Keski-Pohjanmaan hyvinvointialue", "Mellersta Österbottens välfärdsområde", "16"),
    ("Pohjois-Pohjanmaan hyvinvointialue", "Norra Österbottens välfärdsområde", "17"),
    ("Kainuun hyvinvointialue", "Kajanalands välfärdsområde", "18"),
    ("Lapin hyvinvointialue", "Lapplands välfärdsområde", "19"),
)
_FI_HEADS = ("kunta", "kaupunki", "kunnan", "kaupungin")
_SV_HEADS = ("kommun", "stad", "kommuns", "stads")

# Organisation head words: a token that is or ends with one of these names an organisation.
_REGIONAL = (
    "kuntayhtymä", "yhtymä", "liitto", "maakuntaliitto", "seutukunta", "sote", "hyvinvointialue",
    "kommunalförbund", "samkommun", "förbund", "välfärdsområde",
)
_ORG_HEADS = _REGIONAL + (
    "kirjasto", "museo", "opisto", "koulu", "lukio", "yliopisto", "korkeakoulu", "säätiö", "yhdistys",
    "keskus", "virasto", "laitos", "palvelut", "bibliotek", "museum", "skola", "stiftelse", "förening",
)
_ORG_TOKENS = ("oy", "oyj", "ab", "ry", "rf", "ltd", "inc")
_ORG_HEAD = regex.compile(
    r"(?:" + "|".join(sorted(_ORG_HEADS, key=len, reverse=True)) + r")$"
)
_TOKEN = regex.compile(r"[\p{L}-]+")
_CAPITALISED = regex.compile(r"\p{Lu}[\p{L}-]+")
_PAREN = regex.compile(r"(?P<outer>[^()]*?)\s*\((?P<inner>[^()]*)\)\s*")
_SLASH = regex.compile(r"\s*/\s*")
_DASHES = regex.compile(r"[\u2010-\u2015\u2212]")
_PUNCT_ENDS = regex.compile(r"^[\s.,;:!?\"'”“»«]+|[\s.,;:!?\"'”“»«]+$")


def key(text: str) -> str:
    """Normalise for lookup: NFC, one kind of dash, no edge punctuation, one space, casefolded."""
    text = unicodedata.normalize("NFC", text)
    text = _PUNCT_ENDS.sub("", _DASHES.sub("-", text))
    return " ".join(text.split()).casefold()


def fold(text: str) -> str:
    """Drop diacritics (ä -> a, ö -> o, å -> a) for a second, umlaut-blind fuzzy comparison."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@dataclass(frozen=True)
class Municipality:
    code: str
    name_fi: str
    name_sv: str
    region_code: str
    region_fi: str
    region_sv: str
    genitive_fi: str
    is_city: bool


@dataclass(frozen=True)
class FormerMunicipality:
    code: str
    name_fi: str
    name_sv: str
    abolished_on: str
    merged_into: tuple[str, ...]


class OverridesError(ValueError):
    """The overrides file cannot be used; the CLI reports it with exit status 2."""


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("hankkeet").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def load_municipalities() -> list[Municipality]:
    """The municipalities in force, from the shipped reference table."""
    return [
        Municipality(
            r["code"], r["name_fi"], r["name_sv"], r["region_code"], r["region_fi"], r["region_sv"],
            r["genitive_fi"], r["is_city"] == "1",
        )
        for r in _rows("municipalities.csv")
    ]


def load_former() -> list[FormerMunicipality]:
    """Municipalities abolished by mergers since 2007, with the current code(s) their area belongs to."""
    return [
        FormerMunicipality(r["code"], r["name_fi"], r["name_sv"], r["abolished_on"],
                           tuple(r["merged_into_code"].split(";")))
        for r in _rows("former_municipalities.csv")
    ]


def _genitive_forms(m: Municipality) -> list[str]:
    """Genitives of the name and of its short forms: ``Kosken Tl`` and ``Kosken``."""
    forms = [m.genitive_fi]
    if m.genitive_fi.endswith(" Tl"):
        forms.append(m.genitive_fi[: -len(" Tl")])
    return forms


def _forms(m: Municipality) -> Iterable[tuple[str, str]]:
    """Every (written form, method) under which a municipality is known."""
    finnish = [m.name_fi, *SHORT_FORMS.get(m.code, ())]
    for name in finnish:
        yield name, "exact"
        for head in _FI_HEADS[:2]:
            yield f"{name} {head}", "exact"  # "Sievi kunta", "Lapinjärvi kunta"
    yield m.genitive_fi, "inflected"
    for genitive in _genitive_forms(m):
        for head in _FI_HEADS:
            yield f"{genitive} {head}", "inflected"
    if m.name_sv not in finnish:
        yield m.name_sv, "swedish"
    for head in _SV_HEADS:
        yield f"{m.name_sv} {head}", "swedish"
    yield f"Staden {m.name_sv}", "swedish"
    yield f"{m.name_sv}s stad", "swedish"


class Gazetteer:
    """Resolves raw place strings against the municipalities in force, former ones and overrides."""

    def __init__(
        self,
        municipalities: list[Municipality],
        former: list[FormerMunicipality],
        overrides: Mapping[str, str] | None = None,
    ) -> None:
        self.municipalities = {m.code: m for m in municipalities}
        self.former = former
        self.regions = {key(m.region_fi) for m in municipalities} | {key(m.region_sv) for m in municipalities}
        self.overrides = {key(raw): target for raw, target in (overrides or {}).items()}
        unknown = sorted({t for t in self.overrides.values() if t != "organisation"} - set(self.municipalities))
        if unknown:
            raise OverridesError(f"not a current municipality code: {', '.join(printable(c[:10]) for c in unknown)}")
        self._index: dict[str, tuple[str, str]] = {}
        ambiguous: set[str] = set()
        for m in municipalities:
            for form, method in _forms(m):
                k = key(form)
                if k in self._index and self._index[k][0] != m.code:
                    ambiguous.add(k)
                elif k not in self._index or method == "exact":
                    self._index[k] = (m.code, method)
        self.ambiguous = frozenset(ambiguous)
        for k in ambiguous:
            del self._index[k]
        self._former_index = {key(f.name_fi): f for f in former} | {key(f.name_sv): f for f in former}
        # Fuzzy choices: nominative Finnish and Swedish names (short forms included).
        self._choices: list[str] = []
        self._choice_codes: list[str] = []
        for m in municipalities:
            for name in sorted({m.name_fi, m.name_sv, *SHORT_FORMS.get(m.code, ())}):
                self._choices.append(key(name))
                self._choice_codes.append(m.code)
        self._folded_choices = [fold(c) for c in self._choices]
        self._genitives = {key(m.genitive_fi): m.code for m in municipalities}
        # E-mail domains are ASCII names: mikkeli.fi, jarvenpaa.fi, mantta-vilppula.fi, pedersore.fi.
        self._domains: dict[str, str] = {}
        for m in municipalities:
            for name in {m.name_fi, m.name_sv, *SHORT_FORMS.get(m.code, ())}:
                self._domains.setdefault(fold(key(name)).replace(" ", "-"), m.code)
        self._folded = _folded_index(self._index)
        region_names = {m.region_code: m.region_fi for m in municipalities}
        self._counties = {key(name): (fi, sv, region, region_names.get(region))
                          for fi, sv, region in WELLBEING_COUNTIES for name in (fi, sv)}
        self._cache: dict[str, Place] = {}

    @classmethod
    def load(cls, overrides: Mapping[str, str] | None = None) -> Gazetteer:
        """The gazetteer built from the reference data shipped in the package."""
        return cls(load_municipalities(), load_former(), overrides)

    def municipality_place(self, raw: str, code: str, method: str, score: float = 100.0) -> Place:
        m = self.municipalities[code]
        return Place(raw, "municipality", method, score, code, m.name_fi, m.name_sv, m.region_code, m.region_fi)

    def resolve(self, raw: str) -> Place:
        """Resolve one raw place string; the same string always gives the same answer."""
        cached = self._cache.get(raw)
        if cached is None:
            cached = self._cache[raw] = self._resolve(raw)
        return cached

    def _resolve(self, raw: str) -> Place:
        k = key(raw)
        for stage in (self._override, self._exact, self._ascii, self._bilingual, self._parenthesised,
                      self._wellbeing_county, self._organisation, self._former_name, self._region, self._fuzzy):
            place = stage(raw, k)
            if place is not None:
                return place
        why = "too short to guess from" if len(k) < FUZZY_MIN_LENGTH else "not close to any municipality's name"
        return Place(raw, "unknown", "none", 0.0, note=f"no municipality, organisation or former name; {why}")

    def _override(self, raw: str, k: str) -> Place | None:
        target = self.overrides.get(k)
        if target is None:
            return None
        if target == "organisation":
            return Place(raw, "organisation", "override", 100.0)
        return self.municipality_place(raw, target, "override")

    def _exact(self, raw: str, k: str) -> Place | None:
        if k in self.ambiguous:
            return Place(raw, "unknown", "none", 0.0, note="names more than one municipality")
        hit = self._index.get(k)
        return self.municipality_place(raw, *hit) if hit else None

    def _ascii(self, raw: str, k: str) -> Place | None:
        """``Jyvaskyla``, ``Hameenlinna``: a name written without ä, ö and å is that name, not a guess."""
        code = self._folded.get(k) if k.isascii() else None
        return self.municipality_place(raw, code, "ascii") if code else None

    def _bilingual(self, raw: str, k: str) -> Place | None:
        """``Porvoon kaupunki/Borgå stad``: both halves must name the same municipality."""
        halves = _SLASH.split(raw)
        if len(halves) != 2 or not all(halves):
            return None
        first, second = (self.resolve(half) for half in halves)
        if first.kind != "municipality" or second.kind != "municipality":
            return None
        if first.code != second.code:
            return Place(raw, "unknown", "none", 0.0, note=f"the halves name two municipalities, {first.name} "
                         f"({first.code}) and {second.name} ({second.code})")
        return replace(first, raw=raw, method="bilingual", score=min(first.score, second.score),
                       runner_up=None, margin=None)

    def _wellbeing_county(self, raw: str, k: str) -> Place | None:
        """``Länsi-Uudenmaan hyvinvointialue``: a wellbeing services county, with the region it serves."""
        county = self._counties.get(k)
        if county is None:
            return None
        name, name_sv, region_code, region = county
        return Place(raw, "wellbeing-county", "exact", 100.0, None, name, name_sv, region_code, region)

    def _parenthesised(self, raw: str, k: str) -> Place | None:
        """``Porvoo (Porvoon kaupunginkirjasto)``: the place outside the brackets, the unit as a note."""
        match = _PAREN.fullmatch(raw)
        if match is None or not match["outer"]:
            return None
        outer = self.resolve(match["outer"])
        if outer.kind != "municipality":
            return None
        return replace(outer, raw=raw, note=match["inner"])

    def _organisation(self, raw: str, k: str) -> Place | None:
        tokens = _TOKEN.findall(k)
        heads = [i for i, t in enumerate(tokens) if t in _ORG_TOKENS or _ORG_HEAD.search(t)]
        if not heads or (len(tokens) == 1 and _ORG_HEAD.fullmatch(tokens[0])):
            return None
        place = Place(raw, "organisation", "organisation", 100.0)
        if any(tokens[i].endswith(_REGIONAL) for i in heads) or heads[-1] == 0:
            return place  # a joint authority or a regional council belongs to no single municipality
        code = self._genitives.get(tokens[heads[-1] - 1])
        if code is None:
            return place
        return replace(place, named_code=code, note=f"in {self.municipalities[code].name_fi}")

    def _former_name(self, raw: str, k: str) -> Place | None:
        former = self._former_index.get(k)
        if former is None:
            return None
        note = f"former municipality {former.name_fi} ({former.code}), abolished {former.abolished_on}"
        if key(former.name_fi) in self.regions:
            return Place(raw, "unknown", "none", 0.0, note=f"{note}; also the name of a region")
        if len(former.merged_into) != 1:
            return Place(raw, "former-municipality", "former", 100.0, note=f"{note}; split between "
                         + " and ".join(former.merged_into))
        place = self.municipality_place(raw, former.merged_into[0], "former")
        return replace(place, kind="former-municipality", note=note)

    def _region(self, raw: str, k: str) -> Place | None:
        if k in self.regions:
            return Place(raw, "unknown", "none", 0.0, note="a region (maakunta), not a municipality")
        return None

    def _fuzzy(self, raw: str, k: str) -> Place | None:
        if len(k) < FUZZY_MIN_LENGTH:
            return None
        best: dict[str, float] = {}
        for query, choices in ((k, self._choices), (fold(k), self._folded_choices)):
            for choice, score, index in process.extract(query, choices, scorer=fuzz.ratio, limit=12,
                                                        score_cutoff=FUZZY_FLOOR):
                if fold(choice)[:1] != fold(query)[:1]:
                    continue  # people rarely mistype the first letter; "Koulu" is a school, not Oulu
                code = self._choice_codes[index]
                best[code] = max(score, best.get(code, 0.0))
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        if not ranked:
            return None
        if ranked[0][1] < FUZZY_CUTOFF:
            nearest = self.municipalities[ranked[0][0]].name_fi
            return Place(raw, "unknown", "none", 0.0, note=f"no municipality, organisation or former name; the "
                         f"nearest, {nearest}, scores {ranked[0][1]:.1f} (below {FUZZY_CUTOFF:.0f})")
        code, score = ranked[0]
        runner_up = self.municipalities[ranked[1][0]].name_fi if len(ranked) > 1 else None
        margin = round(score - ranked[1][1], 1) if len(ranked) > 1 else None
        if margin is not None and margin < FUZZY_MARGIN:
            return Place(raw, "unknown", "none", 0.0, runner_up=runner_up, margin=margin,
                         note=f"too close to both {self.municipalities[code].name_fi} and {runner_up}")
        return replace(self.municipality_place(raw, code, "fuzzy", round(score, 1)),
                       runner_up=runner_up, margin=margin)

    def from_email_domain(self, address: str) -> Place | None:
        """The municipality whose name is the e-mail domain (``x@mikkeli.fi``), or None."""
        labels = address.rsplit("@", 1)[-1].casefold().split(".")
        code = self._domains.get(labels[-2]) if len(labels) >= 2 else None
        if code is None:
            return None
        return self.municipality_place(address, code, "email-domain")

    def mentions(self, text: str) -> set[str]:
        """Codes of municipalities named in running text by nominative, genitive or locative forms."""
        codes: set[str] = set()
        for word in _CAPITALISED.findall(text):
            k = key(word)
            hit = self._index.get(k)
            if hit and hit[1] in ("exact", "inflected", "swedish"):
                codes.add(hit[0])
                continue
            for suffix in ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle"):
                if k.endswith(suffix) and key(k[: -len(suffix)] + "n") in self._genitives:
                    codes.add(self._genitives[key(k[: -len(suffix)] + "n")])
        return codes


def _folded_index(index: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Every written form with ä, ö, å folded to a, o, a -> its code; a folded form two codes share is left out."""
    folded: dict[str, str] = {}
    shared: set[str] = set()
    for form, (code, _) in index.items():
        ascii_form = fold(form)
        if ascii_form == form or ascii_form in index:
            continue
        if folded.setdefault(ascii_form, code) != code:
            shared.add(ascii_form)
    return {form: code for form, code in folded.items() if form not in shared}


def resolve_names(names: Iterable[str], gazetteer: Gazetteer) -> list[Place | None]:
    """Resolve names as a person wrote them, each cleaned like a listing line first; None for a blank one."""
    return [gazetteer.resolve(cleaned) if (cleaned := clean(name)) else None for name in names]
