"""Read a YAML input strictly: safe tags only, no duplicate keys, no anchors or aliases, bounded nesting.

Files given to ``diff`` and ``--overrides`` may come from anywhere. Our writers never emit anchors, aliases,
duplicate keys or deep nesting, so a file that has them was not written by us and is refused with its line,
before any of it is used. An alias bomb is refused at its first anchor.
"""
from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node
from yaml.resolver import Resolver

try:  # libyaml's parser, about five times as fast as PyYAML's; the composing and checks below stay in Python
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

from hankkeet.printable import printable

#: Nesting deeper than this is refused; a project record needs 6 levels inside a hankkeet.yaml.
MAX_DEPTH = 20
#: Quoted values in messages are cut to this many characters.
QUOTE_LIMIT = 40


class YamlInputError(ValueError):
    """A YAML input that cannot be used: the file, the line or field path, and what is wrong."""

    def __init__(self, problem: str, *, line: int | None = None, path: str = "", file: str = "") -> None:
        super().__init__(problem)
        self.problem, self.line, self.path, self.file = problem, line, path, file

    def __str__(self) -> str:
        where = [self.file, f"line {self.line}" if self.line is not None else "", self.path]
        return ": ".join([part for part in where if part] + [self.problem])

    def in_file(self, file: str) -> YamlInputError:
        """The same error, naming the file it was found in."""
        return YamlInputError(self.problem, line=self.line, path=self.path, file=file)


def escape(text: str, limit: int | None = None) -> str:
    """Text safe to print on one line: hidden characters as ``\\x1b``-style escapes, cut to ``limit`` characters."""
    cut = text if limit is None else text[:limit]
    return printable(cut) + ("…" if len(cut) < len(text) else "")


def quote(text: str, mark: str = '"') -> str:
    """A short, escaped, quoted form of a value for a message, as ``repr`` would write it with ``mark``."""
    cut = text[:QUOTE_LIMIT]
    body = escape(cut.replace("\\", "\\\\").replace(mark, "\\" + mark))
    return mark + body + ("…" if len(cut) < len(text) else "") + mark


def quote_key(key: Any) -> str:
    """A mapping key for a message: ``'title'``."""
    return quote(str(key), "'")


class StrictLoader(Composer, _Parser, SafeConstructor, Resolver):
    """A safe loader (libyaml's parser, PyYAML's composer) that refuses anchors, aliases, merge keys, duplicate
    keys and deep nesting."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1 if event is not None and event.start_mark is not None else None
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor is not None):
            raise YamlInputError("anchors and aliases (& and *) are not allowed here", line=line)
        if self.depth >= MAX_DEPTH:
            raise YamlInputError(f"nested deeper than {MAX_DEPTH} levels", line=line)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except YamlInputError:
            raise
        except (ValueError, OverflowError) as err:  # int() of 5000 digits, a date 2022-13-45
            raise YamlInputError(f"not valid YAML ({escape(str(err), 200)})", line=node.start_mark.line + 1) from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlInputError("merge keys (<<) are not allowed here", line=line)
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                continue  # unhashable: the base constructor refuses it with its own message
            if duplicate:
                raise YamlInputError(f"duplicate key {quote_key(key)}", line=line)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _invalid(err: yaml.YAMLError, text: str) -> YamlInputError:
    """A parser's error as ours: its problem, escaped and short, and its line."""
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        problem = escape(", ".join(part for part in (err.context, err.problem) if part) or "unreadable", 200)
        return YamlInputError(f"not valid YAML ({problem})", line=mark.line + 1 if mark else None)
    if isinstance(err, yaml.reader.ReaderError):
        line = text.count("\n", 0, err.position) + 1
        character = err.character if isinstance(err.character, str) else chr(err.character)
        return YamlInputError(f"not valid YAML (character {character!a}: {err.reason})", line=line)
    return YamlInputError(f"not valid YAML ({escape(str(err).splitlines()[0], 200)})")


def load(text: str) -> Any:
    """The one document in ``text`` as plain data; raises YamlInputError with the line of the problem."""
    try:
        loader = StrictLoader(text)  # the reader refuses unprintable characters here
    except yaml.YAMLError as err:
        raise _invalid(err, text) from None
    try:
        return loader.get_single_data()
    except yaml.YAMLError as err:
        raise _invalid(err, text) from None
    finally:
        loader.dispose()
