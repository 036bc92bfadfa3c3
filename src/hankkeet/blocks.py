"""Group classified lines into project blocks: find where one project ends and the next begins.

A project is normally: title, [ended marker], body, [partner line], contact header, contacts, [link].
The next title is the first line after the contact section that is not a contact, link or partner line.
Blocks without a contact section end where the next title shows itself by its shape and place: a
title-shaped line followed by an ended marker, after a partner list, a link or a "Lisätietoja hankkeesta
täältä." sentence, or a numbered line that continues the block's numbering and is no item of a list.
Contacts are evidence of a boundary, never the only one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from hankkeet.diagnostics import Diagnostic
from hankkeet.lines import CONTACT_KINDS, is_list_item, list_left_open, looks_like_title
from hankkeet.model import Block, Kind, Line, Token
from hankkeet.people import NAME

_STAYS_AFTER_CONTACTS = CONTACT_KINDS | {Kind.LINK, Kind.PARTNERS, Kind.MORE_INFO}
#: Lines that end a project's text: what follows them is the next project when it looks like a title.
_ENDS_TEXT = {Kind.PARTNERS, Kind.LINK, Kind.MORE_INFO}
MAX_HEADER_WORDS = 4


@dataclass
class _Open:
    """The block being built."""

    tokens: list[Token] = field(default_factory=list)
    title: Token | None = None
    ended: Token | None = None
    in_contacts: bool = False
    list_open: bool = False
    items_open: bool = False  # the partner list is written as bulleted items, one per line: the next may follow
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def continues_list(self, token: Token) -> bool:
        """A text line that goes on with the partner list: the list was left open, or it is the next item."""
        return token.kind is Kind.TEXT and (self.list_open or (self.items_open and is_list_item(token.line.text)))

    def add(self, token: Token) -> None:
        if self.continues_list(token):
            token = Token(token.line, Kind.PARTNERS, payload=token.line.text)  # a wrapped partner line
        self.list_open = token.kind is Kind.PARTNERS and list_left_open(token.payload)
        self.items_open = token.kind is Kind.PARTNERS and is_list_item(token.line.text)
        if token.kind is Kind.ENDED and self.ended is None:
            self.ended = token
        self.in_contacts |= token.kind in CONTACT_KINDS
        self.tokens.append(token)

    def close(self) -> Block:
        return Block(tuple(self.tokens), self.title, self.ended, tuple(self.diagnostics))


def _starts_block(block: _Open, token: Token, following: Token | None) -> bool:
    """Does this line begin the next project?"""
    if block.continues_list(token):
        return False
    if block.in_contacts:
        return token.kind not in _STAYS_AFTER_CONTACTS
    if token.kind is Kind.ENDED or block.title is token:
        return False
    previous = block.tokens[-1]
    if previous.kind in _ENDS_TEXT:
        # A title is followed by its text; a short line right before the contacts is a note of this project.
        return (following is None or following.kind not in CONTACT_KINDS) and looks_like_title(token, following)
    if following is not None and following.kind is Kind.ENDED:
        # Right after the title, a sentence before a marker is the marker moved down a line; deeper in the
        # text, a phrase before a marker is the next title even when it ends with a full stop.
        return looks_like_title(token) or (previous is not block.title and looks_like_title(token, following))
    return (token.kind is Kind.NUMBERED and continues_run(block.title, token, previous, following)
            and looks_like_title(token))


def in_numbered_list(previous: Token | None, token: Token, following: Token | None) -> bool:
    """Is this numbered line an item of a list: after another item or a line ending with a colon, or before n+1?"""
    after_item = previous is not None and (previous.kind is Kind.NUMBERED or previous.line.text.endswith(":"))
    before_item = (following is not None and following.kind is Kind.NUMBERED
                   and following.number == (token.number or 0) + 1)
    return after_item or before_item


def continues_run(title: Token | None, token: Token, previous: Token, following: Token | None) -> bool:
    """Is this numbered line the next title: ``1.`` or the number after the block's own, and no list item?"""
    run = title.number if title is not None else None
    if token.number != 1 and run is not None and token.number != run + 1:
        return False
    return not in_numbered_list(previous, token, following)


def _open_block(token: Token, following: Token | None, after: Token | None) -> _Open:
    """Start a block at ``token``: a title, a misplaced ended marker, or body text with no title."""
    block = _Open()
    if token.kind is Kind.ENDED and following is not None and looks_like_title(following, after):
        block.diagnostics.append(
            Diagnostic(
                "ended-marker-before-title",
                token.line.number,
                f"ended marker stands before the title on line {following.line.number}; "
                "it is taken to belong to that project",
            )
        )
        block.title = following
    elif looks_like_title(token, following):
        block.title = token
    else:
        block.diagnostics.append(
            Diagnostic("missing-title", token.line.number, "this project has no title line")
        )
    return block


def segment(tokens: list[Token]) -> tuple[list[Block], list[Line], list[Diagnostic]]:
    """Group tokens into blocks; return the blocks, the lines no project holds, and diagnostics."""
    lines = _headers([t for t in tokens if t.kind is not Kind.BLANK])
    blocks: list[Block] = []
    current: _Open | None = None
    for index, token in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        if current is None or _starts_block(current, token, following):
            if current is not None:
                blocks.append(current.close())
            current = _open_block(token, following, lines[index + 2] if index + 2 < len(lines) else None)
        current.add(token)
    if current is not None:
        blocks.append(current.close())
    return _drop_empty(blocks)


def _headers(lines: list[Token]) -> list[Token]:
    """Contact sections by their neighbours, marked in place on the segmenter's own list.

    A short line ending with a colon (``Yhteyshenkilöt:``) right before a contact is a header; a name alone right
    after a header is a contact (its e-mail or phone may follow).
    """
    last = len(lines) - 1
    for index, token in enumerate(lines):
        if token.kind is not Kind.TEXT:
            continue
        text = token.line.text
        if (text.endswith(":") and index < last and lines[index + 1].kind is Kind.CONTACT
                and text.count(" ") < MAX_HEADER_WORDS):
            lines[index] = Token(token.line, Kind.CONTACT_HEADER)
        elif index and lines[index - 1].kind is Kind.CONTACT_HEADER and NAME.fullmatch(text):
            lines[index] = Token(token.line, Kind.CONTACT, payload=text)
    return lines


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
