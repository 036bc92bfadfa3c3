"""Group classified lines into project blocks: find where one project ends and the next begins.

A project is normally: title, [ended marker], body, [partner line], contact header, contacts, [link].
The next title is the first line after the contact section that is not a contact, link or partner line.
Blocks without a contact section end where the next title shows itself: a line followed by an ended
marker, a numbered line continuing the numbering after a partner line, or a short line after a
"Lisätietoja hankkeesta täältä." sentence.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from hankkeet.diagnostics import Diagnostic
from hankkeet.lines import looks_like_title
from hankkeet.model import Block, Kind, Line, Token

# A partner list that goes on on the next line ends with a comma or a conjunction.
_OPEN_LIST = regex.compile(r"(?:,|\s(?:ja|sekä|och|samt))\s*$")
_CONTACT_SECTION = {Kind.CONTACT_HEADER, Kind.CONTACT_INLINE, Kind.CONTACT}
_STAYS_AFTER_CONTACTS = _CONTACT_SECTION | {Kind.LINK, Kind.PARTNERS, Kind.MORE_INFO}


@dataclass
class _Open:
    """The block being built."""

    tokens: list[Token] = field(default_factory=list)
    title: Token | None = None
    ended: Token | None = None
    in_contacts: bool = False
    has_partners: bool = False
    list_open: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, token: Token) -> None:
        if self.list_open and token.kind is Kind.TEXT:
            token = Token(token.line, Kind.PARTNERS, payload=token.line.text)  # a wrapped partner line
        self.list_open = token.kind is Kind.PARTNERS and _OPEN_LIST.search(token.payload) is not None
        if token.kind is Kind.ENDED and self.ended is None:
            self.ended = token
        self.has_partners |= token.kind is Kind.PARTNERS
        self.in_contacts |= token.kind in _CONTACT_SECTION
        self.tokens.append(token)

    def close(self) -> Block:
        return Block(tuple(self.tokens), self.title, self.ended, tuple(self.diagnostics))


def _starts_block(block: _Open, token: Token, following: Token | None) -> bool:
    """Does this line begin the next project?"""
    if block.list_open and token.kind is Kind.TEXT:
        return False
    if block.in_contacts:
        return token.kind not in _STAYS_AFTER_CONTACTS
    if token.kind is Kind.ENDED or not looks_like_title(token):
        return False
    if following is not None and following.kind is Kind.ENDED and block.title is not token:
        return True
    previous = block.tokens[-1].kind
    if previous is Kind.MORE_INFO and token.kind is Kind.TEXT:
        return True
    run = block.title.number if block.title is not None else None
    return (
        block.has_partners
        and previous is Kind.PARTNERS
        and token.kind is Kind.NUMBERED
        and run is not None
        and token.number == run + 1
    )


def _open_block(token: Token, following: Token | None) -> _Open:
    """Start a block at ``token``: a title, a misplaced ended marker, or body text with no title."""
    block = _Open()
    if token.kind is Kind.ENDED and following is not None and looks_like_title(following):
        block.diagnostics.append(
            Diagnostic(
                "ended-marker-before-title",
                token.line.number,
                f"ended marker stands before the title on line {following.line.number}; "
                "it is taken to belong to that project",
            )
        )
        block.title = following
    elif looks_like_title(token):
        block.title = token
    else:
        block.diagnostics.append(
            Diagnostic("missing-title", token.line.number, "this project has no title line")
        )
    return block


def segment(tokens: list[Token]) -> tuple[list[Block], list[Line], list[Diagnostic]]:
    """Group tokens into blocks; return the blocks, the lines no project holds, and diagnostics."""
    lines = [t for t in tokens if t.kind is not Kind.BLANK]
    blocks: list[Block] = []
    current: _Open | None = None
    for index, token in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if current is None or _starts_block(current, token, following):
            if current is not None:
                blocks.append(current.close())
            current = _open_block(token, following)
        current.add(token)
    if current is not None:
        blocks.append(current.close())
    return _drop_empty(blocks)


def _drop_empty(blocks: list[Block]) -> tuple[list[Block], list[Line], list[Diagnostic]]:
    """A block with nothing of a project in it (only links or a stray marker) is unassigned, not a project."""
    kept: list[Block] = []
    unassigned: list[Line] = []
    diagnostics: list[Diagnostic] = []
    substantive = {Kind.TEXT, Kind.NUMBERED, Kind.PARTNERS, Kind.CONTACT, Kind.CONTACT_INLINE, Kind.MORE_INFO}
    for block in blocks:
        if block.title is not None or any(t.kind in substantive for t in block.tokens):
            kept.append(block)
            continue
        for token in block.tokens:
            unassigned.append(token.line)
            diagnostics.append(
                Diagnostic("unassigned-line", token.line.number, f"line belongs to no project: {token.line.text!r}")
            )
    return kept, unassigned, diagnostics
