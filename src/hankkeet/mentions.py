"""Municipalities named in a project's description (``Jyväskylän``, ``Porissa``, ``Vantaalle``), kept apart from
partners.

A capitalised word is a mention only when it is a written form of exactly one municipality in force: its Finnish
name, the genitive from the reference data, a locative case built on the genitive's stem (``Lahden`` ->
``Lahdessa``, ``Lahdelta``), an illative or essive where the name does not change its stem (``Pori`` -> ``Poriin``),
or its Swedish name and genitive. Forms are derived, never guessed: a word the table does not hold is no mention.
A name that is also a first name, a company or a common word needs more: the context of a list of places, or a case
only a place takes; a name right after another capitalised word is part of a longer name (``Lotta Kokkola``), and
one before an organisation word belongs to it (``Jyväskylän yliopisto``). Each such word left unread gets a warning.
The project's lead and partners are never mentioned again, and each municipality once.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

import regex

from hankkeet.diagnostics import Diagnostic
from hankkeet.model import Line, Mention, Project
from hankkeet.municipalities import SHORT_FORMS, Gazetteer, Municipality, key

#: Locative cases built on the genitive's stem (the weak grade): (case, back-vowel suffix, front-vowel suffix).
LOCATIVE_CASES = (
    ("inessive", "ssa", "ssä"), ("elative", "sta", "stä"), ("adessive", "lla", "llä"),
    ("ablative", "lta", "ltä"), ("allative", "lle", "lle"),
)
#: Last words of compound names that hold only the neutral vowels e and i (they take front-vowel endings).
FRONT_COMPOUND_ENDS = ("niemi", "vesi")
#: Cases a person's name does not take (``Sallassa`` is a place; a person is ``Sallalla``, ``Sallalle``).
PLACE_ONLY_CASES = frozenset({"inessive", "elative", "illative"})

#: Names of municipalities that are also everyday first names, companies or common words (a small, documented
#: list; none of them is ambiguous in the seed listing, where each stands mid-sentence or in a list). Such a word
#: is a mention only in a list with another municipality, or (for a person's or a company's name) in a case only a
#: place takes, or (for a common word) written with a capital inside a sentence.
AMBIGUOUS: Mapping[str, tuple[str, str]] = {
    "732": ("person", "Salla is a woman's first name"),
    "202": ("person", "Kaarina is a woman's first name"),
    "019": ("person", "Aura is a woman's first name and a common noun (a plough)"),
    "148": ("person", "Inari is a woman's first name"),
    "434": ("person", "Loviisa is a woman's first name"),
    "751": ("person", "Simo is a man's first name"),
    "304": ("person", "Kustavi is a man's first name"),
    "536": ("person", "Nokia is a company"),
    "309": ("person", "Outokumpu is a company"),
    "680": ("person", "Raisio is a company"),
    "285": ("noun", "kotka is an eagle"),
    "915": ("noun", "varkaus is a theft"),
    "273": ("noun", "kolari is a crash"),
    "217": ("noun", "kannus is a spur"),
    "398": ("noun", "lahti is a bay"),
    "284": ("noun", "koski is a rapid"),
    "734": ("noun", "salo is a wooded wilderness"),
    "078": ("noun", "hanko is a pitchfork"),
    "704": ("noun", "rusko is the red glow of dawn"),
    "440": ("noun", "luoto is a rock islet"),
    "936": ("noun", "virrat are streams"),
}
#: A word after a genitive that makes it an organisation or a sub-region, in any case (``Turun kauppakorkeakoulun``,
#: ``Porin yksikön``, ``Oulun seudun``, ``Jyväskylän yliopisto``); the municipality's own ``kaupunki``/``kunta`` is not.
_ORGANISATION_WORD = regex.compile(
    r"(?=\p{Ll})[\p{L}-]*?(?:yliopisto|korkeakoulu|opisto|koulu|lukio|kirjasto|museo|yhtymä|liitto|liito|säätiö"
    r"|yhdistys|yhdistykse|keskus|keskukse|virasto|laitos|laitokse|yksikkö|yksikö|sairaala|seurakun|seutu|seudu"
    r"|talousalue|hyvinvointialue)\p{L}*"
)
#: A word after a name that makes it part of a company's or an association's name (``Monetra Oulu Oy``).
_COMPANY_TOKEN = regex.compile(r"(?:Oy|Oyj|Ab|Abp|Ltd|ry|rf)\b")
#: The municipality's own head word (``Tampereen kaupungin kirjasto`` is the city's library, a mention).
_OWN_HEAD = regex.compile(r"kaupun|kunn|kunt|stad|kommun")
_CONJUNCTION = r"(?:ja|sekä|och|samt|tai|eller)"
#: What stands between two items of one list: a comma, a semicolon, a conjunction.
_LIST_GAP = regex.compile(rf"\s*(?:[,;]\s*(?:{_CONJUNCTION}\s+)?|\s+{_CONJUNCTION}\s+)")
#: A capitalised word (a capital, then lower case: ``II`` and ``KUNTA`` are no names).
_WORD = regex.compile(r"(?<![\p{L}\p{N}-])\p{Lu}\p{Ll}*(?:-\p{L}\p{Ll}*)*(?![\p{L}\p{N}-])")
#: The next two words after a name (``Jyväskylän yliopisto``, ``Tampereen teknillinen yliopisto``,
#: ``Pori Energia Oy``).
_NEXT_WORDS = regex.compile(r"\s+(\p{L}[\p{L}-]*)(?:\s+(\p{L}[\p{L}-]*))?")
#: A word of a proper name: capitalised, the rest in lower case (``Sanomat``; not an abbreviation like ``VM``).
_PROPER_WORD = regex.compile(r"\p{Lu}\p{Ll}+")
#: A capitalised word right before a name, as in a person's name (``Anna Salo``) or a service's (``Oma Järvenpää``).
_NAME_BEFORE = regex.compile(r"(?<![\p{L}\p{N}-])(\p{Lu}\p{L}*(?:-\p{L}+)*) $")
#: What may stand before the first word of a sentence: a full stop and a space, an opening quote, a bullet.
_SENTENCE_START = regex.compile(r"(?:^|[.!?:])[\s\"'”“«»(\-–—•*]*$")


@dataclass(frozen=True)
class Form:
    """What one written word says: the municipality, how it was found, and its case."""

    code: str
    method: str  # exact / inflected / swedish
    case: str  # nominative / genitive / inessive ... / swedish


def _back(stem: str) -> bool:
    """Vowel harmony: the last of a/o/u vs ä/ö/y decides (``Hämeenlinnassa``, ``Järvenpäässä``, ``Kemissä``)."""
    for char in reversed(stem.casefold()):
        if char in "aou":
            return True
        if char in "äöy":
            return False
    return False


def _locative_stem(name: str, genitive: str) -> str:
    """The stem the locative cases take: ``Lahden`` -> ``Lahde``; ``Kauniaisten`` -> ``Kauniaisi`` (a plural)."""
    if name.endswith("nen") and genitive.endswith("sten"):
        return genitive[: -len("ten")] + "i"
    return genitive[:-1]


def finnish_forms(name: str, genitive: str) -> Iterator[tuple[str, str]]:
    """(word, case) for a Finnish name: nominative, genitive, locatives, and illative and essive where the
    nominative is the genitive's stem (``Pori``/``Porin`` -> ``Poriin``, ``Espoo``/``Espoon`` -> ``Espooseen``)."""
    yield name, "nominative"
    yield genitive, "genitive"
    if name.endswith("t"):
        return  # a plural name (Virrat, Virtain) takes plural locatives (Virroilla) the genitive does not show
    stem = _locative_stem(name, genitive)
    # A compound takes the harmony of its last word: -niemi and -vesi have only neutral vowels, so front ones
    # (Rovaniemellä, Orivedellä) whatever the first word holds.
    back = _back(stem) and not name.endswith(FRONT_COMPOUND_ENDS)
    for case, back_suffix, front_suffix in LOCATIVE_CASES:
        yield stem + (back_suffix if back else front_suffix), case
    yield from _illative_forms(name, genitive, stem, back)


def _illative_forms(name: str, genitive: str, stem: str, back: bool) -> Iterator[tuple[str, str]]:
    """The illative (and essive) where it follows from the nominative without guessing a consonant gradation."""
    if name.endswith("nen"):  # Kaustinen: Kaustiseen; Kauniainen (a plural): Kauniaisiin
        yield stem + ("in" if genitive.endswith("sten") else "en"), "illative"
    elif genitive == name + "n" and name[-1:] in "aeiouyäö":  # Pori: Poriin, Porina; Espoo: Espooseen
        long_vowel = name[-2:-1] == name[-1:]
        yield name + ("seen" if long_vowel else name[-1] + "n"), "illative"
        yield name + ("na" if back else "nä"), "essive"
    elif name.endswith("i") and genitive.endswith("en") and not name.endswith("si"):
        # Lahti/Lahden: Lahteen; Iisalmi/Iisalmen: Iisalmeen (not -vesi/-veden, whose illative is -veteen)
        yield name[:-1] + "een", "illative"


def _municipality_forms(m: Municipality) -> Iterator[tuple[str, Form]]:
    """Every single-word form of one municipality."""
    names = [n for n in (m.name_fi, *SHORT_FORMS.get(m.code, ())) if " " not in n]
    genitive = m.genitive_fi.removesuffix(" Tl")
    for name in names:
        for word, case in finnish_forms(name, genitive):
            yield word, Form(m.code, "exact" if case == "nominative" else "inflected", case)
    if " " not in m.name_sv and m.name_sv not in names:
        yield m.name_sv, Form(m.code, "swedish", "nominative")
        if not m.name_sv.endswith(("s", "x", "z")):
            yield m.name_sv + "s", Form(m.code, "swedish", "genitive")


class Forms:
    """Every form of every municipality by its key, and a memo of the words already looked up (a listing repeats
    its capitalised words; the memo is bounded, so a hostile input cannot grow it without end)."""

    MEMO_SIZE = 65536

    def __init__(self, by_key: dict[str, Form]) -> None:
        self.by_key = by_key
        self._memo: dict[str, Form | None] = {}

    def find(self, word: str) -> Form | None:
        """The form a written word is, or None."""
        try:
            return self._memo[word]
        except KeyError:
            form = self.by_key.get(key(word))
            if len(self._memo) < self.MEMO_SIZE:
                self._memo[word] = form
            return form


def form_index(gazetteer: Gazetteer) -> Forms:
    """Every form of every municipality; a form two municipalities share belongs to neither."""
    index: dict[str, Form] = {}
    shared: set[str] = set()
    for m in gazetteer.municipalities.values():
        for word, form in _municipality_forms(m):
            k = key(word)
            if k in index and index[k].code != form.code:
                shared.add(k)
            index.setdefault(k, form)
    return Forms({k: form for k, form in index.items() if k not in shared})


@dataclass(frozen=True)
class Hit:
    """A word that is a form of a municipality, where it stands in its line."""

    word: str
    form: Form
    start: int
    end: int


def _hits(text: str, index: Forms) -> list[Hit]:
    hits = []
    for match in _WORD.finditer(text):
        form = index.find(match.group())
        if form is not None:
            hits.append(Hit(match.group(), form, match.start(), match.end()))
    return hits


def _lists(text: str, hits: list[Hit]) -> list[list[Hit]]:
    """Runs of hits with only a list separator between neighbours (``Akaan, Jyväskylän ja Porin``)."""
    runs: list[list[Hit]] = []
    for hit in hits:
        if runs and _LIST_GAP.fullmatch(text[runs[-1][-1].end: hit.start]):
            runs[-1].append(hit)
        else:
            runs.append([hit])
    return runs


def _in_list(run: list[Hit]) -> bool:
    """A list of two or more municipalities, at least one of them not an ambiguous name."""
    return len(run) >= 2 and any(h.form.code not in AMBIGUOUS for h in run)


def _sentence_start(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence (or the line)."""
    return _SENTENCE_START.search(text, 0, start) is not None


def _names_something_else(text: str, hit: Hit, listed: bool) -> bool:
    """A name that is part of another's: ``Monetra Oulu Oy``, ``Pori Energia Oy``, ``Jyväskylän yliopisto``,
    ``Tampereen teknillinen yliopisto``, ``Oulun seudun``, and for a genitive standing alone, ``Helsingin
    Sanomat``. The municipality's own ``kaupungin``/``kunnan`` keeps it the municipality."""
    following = _NEXT_WORDS.match(text, hit.end)
    if following is None:
        return False
    word, then = following.group(1), following.group(2) or ""
    if _COMPANY_TOKEN.fullmatch(word) or (_PROPER_WORD.fullmatch(word) and _COMPANY_TOKEN.fullmatch(then)):
        return True
    if hit.form.case != "genitive":
        return False
    if _ORGANISATION_WORD.fullmatch(word) or (word.islower() and not _OWN_HEAD.match(word)
                                              and _ORGANISATION_WORD.fullmatch(then)):
        return True
    return not listed and _PROPER_WORD.fullmatch(word) is not None


def _ambiguity(text: str, hit: Hit, listed: bool, index: Forms) -> str | None:
    """Why a name is not read as the municipality here, or None when the evidence suffices: a capitalised word
    before it that is not a place (``Lotta Kokkola``), or an ambiguous name without a list or a case only a place
    takes."""
    entry = AMBIGUOUS.get(hit.form.code)
    before = _NAME_BEFORE.search(text, 0, hit.start)
    if before is not None and index.find(before.group(1)) is None:
        # A word that opens a sentence is capitalised anyway (``Sekä Mäntsälä että Porvoo``): there only a name
        # that is also a first name or a common word, in the nominative, is held back (``Anna Salo kertoi``).
        opens = _sentence_start(text, before.start(1))
        if not opens or (entry is not None and hit.form.case == "nominative"):
            return f"it follows {before.group(1)!r} as in a person's or a service's name"
    if entry is None or listed:
        return None
    kind, reason = entry
    if kind == "person" and hit.form.case not in PLACE_ONLY_CASES:
        return reason
    if kind == "noun" and _sentence_start(text, hit.start):
        return reason
    return None


def line_mentions(line: Line, known: frozenset[str], index: Forms,
                  gazetteer: Gazetteer) -> tuple[list[Mention], list[Diagnostic]]:
    """The mentions on one description line (none of the ``known`` codes), and a warning for each ambiguous name
    left unread."""
    found: list[Mention] = []
    problems: list[Diagnostic] = []
    text = line.text
    for run in _lists(text, _hits(text, index)):
        listed = _in_list(run)
        if _names_something_else(text, run[-1], listed):
            # The last item names an organisation, and so do the genitives just before it ("Tampereen ja
            # Jyväskylän yliopistot"); the items before those are places ("Espoossa ja Jyväskylän yliopistossa").
            run = run[:-1]
            while run and run[-1].form.case == "genitive":
                run = run[:-1]
        for hit in run:
            if hit.form.code in known:
                continue
            why = _ambiguity(text, hit, listed, index)
            if why is not None:
                name = gazetteer.municipalities[hit.form.code].name_fi
                problems.append(Diagnostic("ambiguous-mention", line.number, f"{hit.word!r} may name {name} "
                                           f"({hit.form.code}), but {why}; not read as a mention"))
                continue
            place = gazetteer.municipality_place(hit.word, hit.form.code, hit.form.method)
            found.append(Mention(place, line.number))
    return found, problems


def find_mentions(lines: Iterable[Line], known: frozenset[str], index: Forms,
                  gazetteer: Gazetteer) -> tuple[tuple[Mention, ...], list[Diagnostic]]:
    """Each municipality the lines name, once, at its first line; none of the ``known`` codes (lead, partners)."""
    mentions: dict[str, Mention] = {}
    problems: list[Diagnostic] = []
    for line in lines:
        found, unread = line_mentions(line, known, index, gazetteer)
        problems += unread
        for mention in found:
            code = mention.place.code
            if code is not None and code not in mentions:
                mentions[code] = mention
    return tuple(mentions.values()), problems


def known_codes(project: Project) -> frozenset[str]:
    """The municipalities a project already names as its lead or partners."""
    codes = {p.place.code for p in project.partners if p.place.code is not None}
    if project.lead is not None and project.lead.code is not None:
        codes.add(project.lead.code)
    return frozenset(codes)


def add_mentions(project: Project, lines: Iterable[Line], index: Forms, gazetteer: Gazetteer) -> Project:
    """The project with its mentions filled in and a warning for each ambiguous name it left unread."""
    mentions, problems = find_mentions(lines, known_codes(project), index, gazetteer)
    if not mentions and not problems:
        return project
    return replace(project, mentions=mentions, diagnostics=project.diagnostics + tuple(problems))
