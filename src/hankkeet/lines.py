"""Classify each line on its own, by what it holds: ended marker, partner list, contact header, contact, link, title.

Label words are one piece of evidence among others: a partner list is recognised because its items resolve to
municipalities (whatever label stands before it), an ended marker because it is a short line made only of the
words such a marker uses, a contact because it holds a person's name followed by a place, role, e-mail or phone.
The rules are data: compiled patterns as module constants, one small function per kind, tried in order.
"""
from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

import regex

from hankkeet.model import Kind, Line, Token
from hankkeet.municipalities import Gazetteer, key
from hankkeet.people import CACHED_LINES, NAME_WORD, PARTICLE, has_address_sign, is_contact, is_phone

# --- Ended markers -------------------------------------------------------------------------------------------
#: Words that say a project has ended, Finnish and Swedish, present perfect and past tense.
ENDED_WORD = regex.compile(
    r"(?i)päätty(?:nyt|i|neet|neeksi)|loppu(?:nut|i)|päätetty|"
    r"avslut(?:ats|ades|at|ad|ade)|slutför(?:t|ts|des|d)|avslutning"
)
#: Everything else a marker may say: its subject, auxiliaries, and the parts of a date.
_ENDED_FILLER = frozenset(
    "hanke hankkeen hankkeet projekti projekt projektet on oli ovat todettu nyt jo har är blev nu vuonna vuoden år "
    "den i slutet av "
    "lopussa kuun kuussa".split()
)
_MONTHS_FI = ("tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka", "marras", "joulu")
_MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
              "november", "december")
_MONTH = regex.compile(rf"(?i)(?:{'|'.join(_MONTHS_FI)})kuu\w*|{'|'.join(_MONTHS_SV)}")
_MARKER_WORD = regex.compile(r"\p{L}+|\d+")
MAX_MARKER_WORDS = 10
_DMY = regex.compile(r"(?<!\d)(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})(?!\d)")
_ISO = regex.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")
_DAY_MONTH = regex.compile(
    rf"(?i)(?<!\d)(?P<d>\d{{1,2}})\.?\s+(?P<month>(?:{'|'.join(_MONTHS_FI)})kuuta|{'|'.join(_MONTHS_SV)})"
    r"\s+(?P<y>\d{4})(?!\d)"
)


def _month_number(word: str) -> int:
    word = word.casefold()
    for index, stem in enumerate(_MONTHS_FI):
        if word.startswith(stem):
            return index + 1
    return _MONTHS_SV.index(word) + 1


def read_date(text: str) -> str | None:
    """The first full date written in the text (31.12.2022, 2022-12-31, 31. joulukuuta 2022) as ISO, or None."""
    for pattern in (_DMY, _ISO, _DAY_MONTH):
        match = pattern.search(text)
        if match is None:
            continue
        month = int(match["m"]) if "m" in match.groupdict() else _month_number(match["month"])
        try:
            return datetime.date(int(match["y"]), month, int(match["d"])).isoformat()
        except ValueError:
            return None
    return None


def is_ended_marker(text: str) -> bool:
    """A short line that says the project ended and says nothing else (a date may stand with it)."""
    if len(text) > 90 or ENDED_WORD.search(text) is None:
        return False
    words = _MARKER_WORD.findall(text.casefold())
    if len(words) > MAX_MARKER_WORDS:
        return False
    return all(w.isdigit() or w in _ENDED_FILLER or ENDED_WORD.fullmatch(w) or _MONTH.fullmatch(w) for w in words)


# --- Partner lists -------------------------------------------------------------------------------------------
#: Labels seen before partner lists. A list under any other label is read when its items resolve.
PARTNER_LABELS = frozenset(
    key(label) for label in (
        "Muut kunnat", "Muut osallistujat", "Mukana olevat kunnat", "Mukana", "Övriga kommuner",
        "Deltagande kommuner",
    )
)
_LABELLED = regex.compile(r"(?P<label>\p{L}[\p{L}\s-]{0,40}?)\s*:\s*(?P<rest>.*)")
MAX_LABEL_WORDS = 5
# "Mukana Inarin kunta, Savukosken kunta, ...": a list, so it must hold a comma.
PARTNERS_MUKANA = regex.compile(r"Mukana\s+(?P<rest>\p{Lu}[^,]*,.*)")
# Entries of a partner list are separated by commas, semicolons and conjunctions, but the "ja" of
# "sosiaali- ja terveyskuntayhtymä" (after a hyphen) joins two words of one name.
#: The words that join the last items of a list, Finnish and Swedish.
CONJUNCTIONS = ("ja", "sekä", "och", "samt")
_AND = "(?:" + "|".join(CONJUNCTIONS) + ")"
_SEPARATOR = regex.compile(rf"\s*[,;]\s*|(?<!-)\s+{_AND}\s+")
_SPLIT_POINT = regex.compile(r"[()]|" + _SEPARATOR.pattern)
_GROUP = regex.compile(r"\([^()]*\)")
#: A conjunction or comma at either end of a wrapped line belongs to the list, not to a name.
_OPEN_LIST = regex.compile(rf"(?:,|\s{_AND})\s*$")
_LOOSE_END = regex.compile(rf"^\s*{_AND}\s+|(?:[,;]|\s{_AND})\s*$")
#: A list item's bullet before an entry (``- Tampere``: a partner list written as items, as a web page's <ul>).
_ITEM_BULLET = regex.compile(r"^\s*[-–•*·]\s+")
MAX_ITEM_WORDS = 5
#: "Hankkeessa ovat mukana myös Oulu ja Kempele": at most this many words lead into an unlabelled list.
MAX_LEAD_WORDS = 4
MAX_LEAD_LINE_CHARS = 300
MAX_LIST_CHARS = 1500
_NAME_AFTER_PUNCTUATION = regex.compile(r"[,;]\s*\p{Lu}")
_NAME_AFTER_CONJUNCTION = regex.compile(rf" {_AND}\s+\p{{Lu}}")
#: A list item (a name) is at most this long on average: "Kuusiokuntien sosiaali- ja terveyskuntayhtymä" is 46.
MAX_ITEM_CHARS = 60


def _split_top_level(text: str) -> list[str]:
    """Split on separators that stand outside parentheses."""
    parts, depth, start = [], 0, 0
    for match in _SPLIT_POINT.finditer(text):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start:match.start()])
            start = match.end()
    parts.append(text[start:])
    return [p.strip(" .") for p in parts if p.strip(" .")]


def is_list_item(text: str) -> bool:
    """A line that is an item of a bulleted list (``- Tampere``)."""
    return _ITEM_BULLET.match(text) is not None


def list_left_open(payload: str) -> bool:
    """Does a partner list go on on the next line: no items yet, or a comma or conjunction at its end?"""
    return not payload or _OPEN_LIST.search(payload) is not None


def split_partners(text: str) -> list[str]:
    """Every entry of a partner list, with the members of a ``(Kuntayhtymän kuntia: A, B)`` group."""
    return [entry for entry, _ in grouped_partners(text)]


@functools.lru_cache(maxsize=CACHED_LINES)
def grouped_partners(text: str) -> tuple[tuple[str, bool], ...]:
    """split_partners with, for each entry, whether it stood in a group's brackets (a member list); cached, as
    the list rules and the fields stage both split a partner line."""
    entries: list[tuple[str, bool]] = []
    for part in _split_top_level(_LOOSE_END.sub("", _ITEM_BULLET.sub("", text))):
        groups = _GROUP.findall(part)
        outer = _GROUP.sub("", part).strip()
        if outer:
            entries.append((outer, False))
        for group in groups:
            inner = group[1:-1]
            inner = inner.split(":", 1)[1] if ":" in inner else inner
            entries.extend((entry, True) for entry in _split_top_level(inner))
    return tuple(entries)


def _separators(text: str) -> int:
    """How many list separators the text may hold, counted with str methods (cheaper than any pattern)."""
    return text.count(",") + text.count(";") + text.count("(") + sum(text.count(f" {c} ") for c in CONJUNCTIONS)


def place_list_items(text: str, gazetteer: Gazetteer) -> tuple[int, int, int] | None:
    """(items, places, firm places) of a text read as a list; None when an item is too long to be a name.

    A place is an item that resolves to a municipality, a former one or an organisation; a firm place is a
    municipality matched without fuzzy matching.
    """
    if len(text) > MAX_LIST_CHARS or len(text) > MAX_ITEM_CHARS * (_separators(text) + 1):
        return None  # most body lines: far too few separators for their length, so no need to split them
    if any(chunk.lstrip()[:1].islower() for chunk in text.split(",")):
        return None  # names are capitalised; prose goes on after a comma in lower case
    first = _SEPARATOR.search(text)
    if (text[: first.start()] if first else text).count(" ") >= MAX_ITEM_WORDS:
        return None
    items = split_partners(text)
    if not items or any(item.count(" ") >= MAX_ITEM_WORDS for item in items):
        return None
    places = firm = 0
    for item in items:
        place = gazetteer.resolve(item)
        places += place.kind != "unknown"
        firm += place.code is not None and place.method != "fuzzy"
    return len(items), places, firm


def is_place_list(text: str, gazetteer: Gazetteer, labelled: bool) -> bool:
    """Do the items of this text resolve to places? Under a label two thirds must; with no label all must."""
    counts = place_list_items(text, gazetteer)
    if counts is None:
        return False
    items, places, firm = counts
    if labelled:
        return firm >= 1 and 3 * places >= 2 * items
    return places == items and (firm >= 2 or (items == 1 and firm == 1))


def partner_label(text: str) -> str | None:
    """The label before the colon of a labelled line, or None."""
    match = _LABELLED.fullmatch(text)
    return match["label"] if match else None


# --- Contacts ------------------------------------------------------------------------------------------------
_INFO_WORDS = (r"(?:lisätietoja|lisätiedot|lisätietoa|tilläggsuppgifter|mer\s+information|ytterligare\s+information"
               r"|yhteystiedot|yhteyshenkilö(?:t|mme)?|kontaktuppgifter|kontaktperson(?:er)?|tiedustelut)")
_INFO_TAIL = r"(?:\s+(?:hankkeesta|om\s+projektet|antaa|antavat|ger|lämnar))*"
CONTACT_HEADER = regex.compile(rf"(?i){_INFO_WORDS}{_INFO_TAIL}\s*:?")
CONTACT_INLINE = regex.compile(rf"(?i){_INFO_WORDS}{_INFO_TAIL}\s*:\s*(?P<rest>\S.*)")
CONTACT_INLINE_BARE = regex.compile(rf"(?i){_INFO_WORDS}{_INFO_TAIL}\s+(?P<rest>\S.*)")
# A body sentence that points elsewhere: "Lisätietoja hankkeesta täältä." It names no person.
MORE_INFO = regex.compile(r"(?i)(?:lisätietoja|lisää\s+tietoa|lisää\s+hankkeesta|mer\s+information)\s+\S.*")
MAX_MORE_INFO_WORDS = 20
# --- Titles and links ----------------------------------------------------------------------------------------
#: ``1. Title``, ``1) Title``, ``1 Title``: without a dot or bracket the title must start with a capital.
NUMBERED = regex.compile(r"(?P<number>[0-9]{1,2})(?:\.\s+|\)\s*|\s+(?=\p{Lu}))(?P<rest>\S.*)")
LINK = regex.compile(
    r"(?i)(?:https?://|www\.)\S+|[\w.-]+\.(?:fi|com|net|org|se|eu)(?:/\S*)?"
    r"|(?:hankkeen\s+|projektets\s+)?(?:netti|verkko|koti|www-)?sivu(?:t|sto|stolta)?(?:\s+\S+)?\.?"
    r"|(?:hankkeen\s+|projektets\s+)?(?:nettisivut|verkkosivut|kotisivut|hemsida|webbplats)\.?"
)
MAX_TITLE_WORDS = 25
_BULLET = "-–—•*·>"
_COPULA = regex.compile(r"(?i)\b(?:on|oli|ovat|olivat|är|var|har|hade)\b")
_ADDRESS = regex.compile(r"(?i)https?://|www\.|@")
#: A sentence ends and the next begins: a title is one phrase.
SENTENCE_BREAK = regex.compile(r"[.!?]\s+\p{Lu}")

#: The lines of a contact section.
CONTACT_KINDS = frozenset({Kind.CONTACT_HEADER, Kind.CONTACT_INLINE, Kind.CONTACT})

#: What a rule reads from a line: its kind, its list number, and the text after any label (for an ended
#: marker, the ISO date written with it, or "").
Reading = tuple[Kind, int | None, str]


def _ended(text: str) -> Reading | None:
    return (Kind.ENDED, None, read_date(text) or "") if is_ended_marker(text) else None


def _partners(text: str, gazetteer: Gazetteer) -> Reading | None:
    match = _LABELLED.fullmatch(text)
    if match is not None and match["label"].count(" ") < MAX_LABEL_WORDS:
        rest = match["rest"]
        if key(match["label"]) in PARTNER_LABELS or is_place_list(rest, gazetteer, labelled=True):
            return Kind.PARTNERS, None, rest
        return None
    mukana = PARTNERS_MUKANA.fullmatch(text)
    if mukana:
        return Kind.PARTNERS, None, mukana["rest"]
    if is_place_list(text, gazetteer, labelled=False):
        return Kind.PARTNERS, None, text
    listed = after_lead_phrase(text, gazetteer)
    return (Kind.PARTNERS, None, listed) if listed is not None else None


def after_lead_phrase(text: str, gazetteer: Gazetteer) -> str | None:
    """``Mukana myös Oulu ja Kempele.``: the list of places after a short phrase that leads into it, or None.

    The list must hold at least two items, all of them places, so a sentence that merely ends with a place
    name is not taken for a list.
    """
    if len(text) > MAX_LEAD_LINE_CHARS:
        return None
    first = _SEPARATOR.search(text)
    if first is None:
        return None
    words = text[: first.start()].split()
    if len(words) > MAX_LEAD_WORDS + MAX_ITEM_WORDS:
        return None
    # A phrase, not a name: "Mukana myös", "Hankkeessa ovat mukana" end with a lower-case word.
    for cut in range(2, min(MAX_LEAD_WORDS, len(words) - 1) + 1):
        if not all(w.islower() for w in words[1:cut]):
            break
        rest = text[len(" ".join(words[:cut])):].strip()
        if is_place_list(rest, gazetteer, labelled=False):
            return rest
    return None


def _info(text: str) -> Reading | None:
    if CONTACT_HEADER.fullmatch(text):
        return Kind.CONTACT_HEADER, None, ""
    inline = CONTACT_INLINE.fullmatch(text)
    if inline:
        rest = inline["rest"]
        return (Kind.CONTACT_INLINE if is_contact(rest) else Kind.LINK), None, rest
    bare = CONTACT_INLINE_BARE.fullmatch(text)  # "Lisätietoja antaa kehittämispäällikkö Leena Viitasaari, …"
    if bare and is_contact(bare["rest"]):
        return Kind.CONTACT_INLINE, None, bare["rest"]
    if MORE_INFO.fullmatch(text) and len(text.split()) <= MAX_MORE_INFO_WORDS:
        return Kind.MORE_INFO, None, ""
    return None


def _labelled_contact(text: str) -> Reading | None:
    """``Yhteyshenkilö: Name, Place`` under any short label: the text after the colon is a contact."""
    match = _LABELLED.fullmatch(text)
    if match is None or match["label"].count(" ") >= MAX_LABEL_WORDS or not is_contact(match["rest"]):
        return None
    return Kind.CONTACT_INLINE, None, match["rest"]


def _numbered(text: str) -> Reading | None:
    match = NUMBERED.fullmatch(text)
    return (Kind.NUMBERED, int(match["number"]), match["rest"]) if match else None


def _contact(text: str) -> Reading | None:
    return (Kind.CONTACT, None, text) if is_contact(text) or is_phone(text) else None


def _link(text: str) -> Reading | None:
    return (Kind.LINK, None, "") if LINK.fullmatch(text) else None


_PERSON_START = regex.compile(rf"(?:\p{{L}}+\s+)?{NAME_WORD}\s+(?:{PARTICLE}\s+)?\p{{Lu}}")


def _may_be_contact(text: str) -> bool:
    """Cheap test before the contact patterns: an e-mail sign, or a comma after two capitalised words."""
    return has_address_sign(text) or text[-1].isdigit() or (
        ("," in text or "(" in text or ";" in text or " – " in text or " | " in text)
        and _PERSON_START.match(text) is not None)


def may_hold_names(text: str) -> bool:
    """Cheap test before the list rules: a capitalised word after a separator (``Oulu, Kempele``); most body
    lines go on in lower case after their commas and conjunctions."""
    if _NAME_AFTER_PUNCTUATION.search(text) is not None:
        return True
    has_conjunction = any(f" {c} " in text for c in CONJUNCTIONS)
    return has_conjunction and _NAME_AFTER_CONJUNCTION.search(text) is not None


def _may_be_list(text: str) -> bool:
    """Cheap test before the partner rules: a label, names after a separator, or one short capitalised group."""
    return ":" in text or (text.count(" ") < 3 and text[0].isupper()) or may_hold_names(text)


def read_line(text: str, gazetteer: Gazetteer) -> Reading:
    """Classify one line's text: the first rule that accepts it wins.

    Each rule is tried only if a cheap test says it could apply at all, because most lines are long body
    sentences that no rule accepts; the tests are written out here (not as a table of lambdas) for speed.
    """
    if not text:
        return Kind.BLANK, None, ""
    first = text[0]
    reading = (
        (len(text) <= 90 and _ended(text))
        or (first in "LlTtMmYyKk" and _info(text))
        or (_may_be_list(text) and _partners(text, gazetteer))
        or (first.isdigit() and _numbered(text))
        or (_may_be_contact(text) and _contact(text))
        or (":" in text and _labelled_contact(text))
        or (text.count(" ") <= 3 and _link(text))
    )
    return reading or (Kind.TEXT, None, text)


def classify_text(text: str, gazetteer: Gazetteer) -> Token:
    """Classify one line's text as a token (line number 0)."""
    return Token(Line(0, text), *read_line(text, gazetteer))


def classify(lines: Iterable[Line], gazetteer: Gazetteer) -> list[Token]:
    """Classify every line, keeping its original number; each distinct text is read once.

    Lines repeat ("Lisätietoja", "HANKE ON PÄÄTTYNYT.", a partner list), and whole listings repeat across
    snapshots, so the readings are kept for the run.
    """
    readings: dict[str, Reading] = {}
    tokens = []
    for line in lines:
        reading = readings.get(line.text)
        if reading is None:
            reading = readings[line.text] = read_line(line.text, gazetteer)
        tokens.append(Token(line, *reading))
    return tokens


def title_shape(text: str, *, lenient: bool) -> bool:
    """Short, not a label, not a list item; with ``lenient`` it may end with a full stop if it is one phrase.

    A phrase, not a sentence: a line with a copula (``on``, ``oli``, ``är``) is a sentence of the description.
    """
    if not text or text[0] in _BULLET or text.endswith((":", ",", ";")) or _ADDRESS.search(text):
        return False
    if text.endswith((".", "!", "?")) and not (
            lenient and SENTENCE_BREAK.search(text) is None and _COPULA.search(text) is None):
        return False
    # Cleaned lines have single spaces, so the word count is the space count + 1; split only if not.
    words = text.count(" ") + 1 if "  " not in text else len(text.split())
    return words <= MAX_TITLE_WORDS


def looks_like_title(token: Token, following: Token | None = None) -> bool:
    """A numbered line, or a short text line that is not a sentence, a label or a list item.

    A line that ends with a full stop is a title only when its text follows it (not the contacts straight away).
    """
    if token.kind is Kind.NUMBERED:
        return title_shape(token.payload, lenient=True)
    if token.kind is not Kind.TEXT:
        return False
    lenient = following is not None and following.kind not in CONTACT_KINDS
    return title_shape(token.line.text, lenient=lenient)
