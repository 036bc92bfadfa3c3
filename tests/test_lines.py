"""tokenize: every line kind in Finnish and Swedish, classified on its own."""
from __future__ import annotations

import pytest

from hankkeet.lines import classify_text, looks_like_title, split_people
from hankkeet.model import Kind

CASES = [
    ("HANKE ON PÄÄTTYNYT.", Kind.ENDED, None, ""),
    ("HANKE ON PÄÄTTYNYT", Kind.ENDED, None, ""),
    ("HANKE PÄÄTTYNYT.", Kind.ENDED, None, ""),
    ("HANKE PÄÄTTYNYT", Kind.ENDED, None, ""),
    ("PROJEKTET HAR AVSLUTATS.", Kind.ENDED, None, ""),
    ("Hanke on päättynyt, mutta työ jatkuu.", Kind.TEXT, None, "Hanke on päättynyt, mutta työ jatkuu."),
    ("Muut kunnat: Lahti, Porvoo ja Oulu", Kind.PARTNERS, None, "Lahti, Porvoo ja Oulu"),
    ("Övriga kommuner: Vörå, Larsmo", Kind.PARTNERS, None, "Vörå, Larsmo"),
    ("Mukana Inarin kunta, Sallan kunta", Kind.PARTNERS, None, "Inarin kunta, Sallan kunta"),
    ("Mukana hankkeessa on viisi kuntaa.", Kind.TEXT, None, "Mukana hankkeessa on viisi kuntaa."),
    ("Lisätietoja", Kind.CONTACT_HEADER, None, ""),
    ("Lisätietoja:", Kind.CONTACT_HEADER, None, ""),
    ("Tilläggsuppgifter:", Kind.CONTACT_HEADER, None, ""),
    ("Mer information", Kind.CONTACT_HEADER, None, ""),
    ("Lisätietoja: Jouni Nieminen, Kärkölä", Kind.CONTACT_INLINE, None, "Jouni Nieminen, Kärkölä"),
    ("Lisätietoja hankkeesta: Kari Siponen, Kitee", Kind.CONTACT_INLINE, None, "Kari Siponen, Kitee"),
    ("Lisätietoja: hankkeen sivusto", Kind.LINK, None, "hankkeen sivusto"),
    ("Lisätietoja hankkeesta täältä.", Kind.MORE_INFO, None, ""),
    ("Lisätietoja hankkeesta Varkauden nettisivuilta.", Kind.MORE_INFO, None, ""),
    ("Lisää hankkeesta voit lukea täältä.", Kind.MORE_INFO, None, ""),
    ("Tuomas Rantala, Alavus", Kind.CONTACT, None, "Tuomas Rantala, Alavus"),
    ("Wilhelmiina Griep ja Niko Ferm, Espoo", Kind.CONTACT, None, "Wilhelmiina Griep ja Niko Ferm, Espoo"),
    ("Camilla Melen, Pargas stad", Kind.CONTACT, None, "Camilla Melen, Pargas stad"),
    ("Reetta Kotovaara-Tavasti, Kangasala", Kind.CONTACT, None, "Reetta Kotovaara-Tavasti, Kangasala"),
    ("jatehuoltoviranomainen(a)mikkeli.fi", Kind.CONTACT, None, "jatehuoltoviranomainen(a)mikkeli.fi"),
    ("www.lampio.fi", Kind.LINK, None, ""),
    ("Hankkeen nettisivut", Kind.LINK, None, ""),
    ("3. Lämpiö-hanke", Kind.NUMBERED, 3, "Lämpiö-hanke"),
    ("2. OSKU, Osaava kunta, digitalisaatio-osaamisen kehittäminen", Kind.NUMBERED, 2,
     "OSKU, Osaava kunta, digitalisaatio-osaamisen kehittäminen"),
    ("Digiloikka Karkkilassa", Kind.TEXT, None, "Digiloikka Karkkilassa"),
    ("Päätöksenteon, kokousten ja tiedonhaun sähköistämisen valmennusohjelma", Kind.TEXT, None,
     "Päätöksenteon, kokousten ja tiedonhaun sähköistämisen valmennusohjelma"),
    ("", Kind.BLANK, None, ""),
]


@pytest.mark.parametrize(("text", "kind", "number", "payload"), CASES, ids=[c[0][:40] or "blank" for c in CASES])
def test_classify(text: str, kind: Kind, number: int | None, payload: str) -> None:
    token = classify_text(text)
    assert (token.kind, token.number, token.payload) == (kind, number, payload)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("Jarkko Siren, Helsinki", [("Jarkko Siren", "Helsinki")]),
        ("Miia Kapanen ja Sirpa Mäntynen, Kouvola", [("Miia Kapanen", None), ("Sirpa Mäntynen", "Kouvola")]),
        ("Juuso Mikkonen, Lappeenranta ja Pekka Penttinen, Joensuu",
         [("Juuso Mikkonen", "Lappeenranta"), ("Pekka Penttinen", "Joensuu")]),
        ("Seija Kivelä, Porvoo (Porvoon kaupunginkirjasto)", [("Seija Kivelä", "Porvoo (Porvoon kaupunginkirjasto)")]),
        ("Digiloikka Karkkilassa", None),
        ("Hausjärven ja Lopen sähköisten palveluiden kehittämishanke", None),
    ],
)
def test_split_people(text: str, people: list[tuple[str, str | None]] | None) -> None:
    assert split_people(text) == people


@pytest.mark.parametrize(
    ("text", "title_like"),
    [
        ("Open Agenda", True),
        ("4. Kunnan rakennusvalvonnan kehittäminen", True),
        ("Hankkeen tarkoitus:", False),
        ("”Digitaalinen tulevaisuus” -hanke on viiden kunnan yhteinen hanke.", False),
        ("HANKE ON PÄÄTTYNYT.", False),
    ],
)
def test_looks_like_title(text: str, title_like: bool) -> None:
    assert looks_like_title(classify_text(text)) is title_like
