"""Parse the small POSIX shell language adb clients send (pure, no I/O).

Supported: ``;`` ``&`` and newlines, ``&&`` ``||``, ``!``, pipes, single and double quotes,
backslash escapes, ``$?`` ``$$`` ``$NAME`` ``${NAME}`` ``$(...)``, ``NAME=value`` prefixes,
redirections ``>`` ``>>`` ``<`` ``N>`` ``>&N`` ``N>&M``, and ``#`` comments. That is what the adb
client (``export ANDROID_LOG_TAGS=''; exec logcat``), adbutils (``CMD; echo X4EXIT:$?``) and
firebridge itself send; control flow (``if``/``while``) is out of scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ShellSyntaxError(ValueError):
    """The script cannot be parsed; the message is what sh would print after ``syntax error:``."""


@dataclass(frozen=True)
class Segment:
    """Part of a word: literal text, a variable, or a command substitution."""

    kind: str  # "lit" | "var" | "sub"
    text: str
    quoted: bool = False  # inside quotes: no field splitting


@dataclass
class Word:
    segments: list[Segment] = field(default_factory=list)
    quoted: bool = False  # had any quoting, so an empty expansion still yields an (empty) field


@dataclass
class Redirect:
    fd: int  # the descriptor being redirected (0, 1 or 2)
    op: str  # ">", ">>", "<", ">&"
    target: Word


@dataclass
class SimpleCommand:
    assignments: list[tuple[str, Word]] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class Pipeline:
    commands: list[SimpleCommand]
    negate: bool = False


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)  # ("&&" | "||", pipeline)


Script = list[AndOr]

_OPERATOR_CHARS = set(";&|<>\n")
_NAME_START = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_NAME_CHARS = _NAME_START | set("0123456789")


class _Lexer:
    """Turns a script into ('word', Word) | ('op', str) | ('redir', fd, op) tokens."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def tokens(self) -> list[tuple]:
        out: list[tuple] = []
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch in " \t\r":
                self.pos += 1
            elif ch == "#":
                while self.pos < len(text) and text[self.pos] != "\n":
                    self.pos += 1
            elif ch == "\\" and text.startswith("\\\n", self.pos):
                self.pos += 2  # line continuation
            elif ch in _OPERATOR_CHARS:
                out.append(self._operator(None))
            elif ch.isdigit() and self._digits_then_redirect():
                start = self.pos
                while text[self.pos].isdigit():
                    self.pos += 1
                out.append(self._operator(int(text[start:self.pos])))
            else:
                out.append(("word", self._word()))
        return out

    def _digits_then_redirect(self) -> bool:
        end = self.pos
        while end < len(self.text) and self.text[end].isdigit():
            end += 1
        return end < len(self.text) and self.text[end] in "<>"

    def _operator(self, fd: int | None) -> tuple:
        text = self.text
        for op in ("&&", "||", ">>", ">&", ";", "&", "|", "\n", ">", "<"):
            if text.startswith(op, self.pos):
                self.pos += len(op)
                if op in (">", ">>", ">&"):
                    return ("redir", 1 if fd is None else fd, op)
                if op == "<":
                    return ("redir", 0 if fd is None else fd, op)
                if fd is not None:
                    raise ShellSyntaxError(f"unexpected '{op}'")
                return ("op", ";" if op in ("\n", "&") else op)
        raise ShellSyntaxError(f"unexpected '{text[self.pos]}'")  # pragma: no cover

    def _word(self) -> Word:
        word = Word()
        text = self.text
        literal: list[str] = []

        def flush(quoted: bool = False) -> None:
            if literal:
                word.segments.append(Segment("lit", "".join(literal), quoted))
                literal.clear()

        while self.pos < len(text):
            ch = text[self.pos]
            if ch in " \t\r" or ch in _OPERATOR_CHARS:
                break
            if ch == "'":
                end = text.find("'", self.pos + 1)
                if end < 0:
                    raise ShellSyntaxError("unterminated quoted string")
                flush()
                word.segments.append(Segment("lit", text[self.pos + 1:end], True))
                word.quoted = True
                self.pos = end + 1
            elif ch == '"':
                flush()
                word.quoted = True
                self.pos += 1
                self._double_quoted(word)
            elif ch == "\\":
                if self.pos + 1 < len(text):
                    literal.append(text[self.pos + 1])
                self.pos += 2
            elif ch == "$":
                segment = self._dollar(quoted=False)
                if segment.kind == "lit":
                    literal.append(segment.text)
                else:
                    flush()
                    word.segments.append(segment)
            else:
                literal.append(ch)
                self.pos += 1
        flush()
        return word

    def _double_quoted(self, word: Word) -> None:
        text = self.text
        literal: list[str] = []
        while True:
            if self.pos >= len(text):
                raise ShellSyntaxError("unterminated quoted string")
            ch = text[self.pos]
            if ch == '"':
                self.pos += 1
                break
            if ch == "\\" and self.pos + 1 < len(text) and text[self.pos + 1] in '$`"\\\n':
                literal.append(text[self.pos + 1])
                self.pos += 2
            elif ch == "$":
                segment = self._dollar(quoted=True)
                if segment.kind == "lit":
                    literal.append(segment.text)
                else:
                    if literal:
                        word.segments.append(Segment("lit", "".join(literal), True))
                        literal.clear()
                    word.segments.append(segment)
            else:
                literal.append(ch)
                self.pos += 1
        word.segments.append(Segment("lit", "".join(literal), True))

    def _dollar(self, quoted: bool) -> Segment:
        text = self.text
        start = self.pos
        self.pos += 1
        if self.pos >= len(text):
            return Segment("lit", "$", quoted)
        ch = text[self.pos]
        if ch in "?$#!0":
            self.pos += 1
            return Segment("var", ch, quoted)
        if ch == "{":
            end = text.find("}", self.pos)
            if end < 0:
                raise ShellSyntaxError("bad substitution")
            name = text[self.pos + 1:end]
            self.pos = end + 1
            return Segment("var", name, quoted)
        if ch == "(":
            depth, i = 1, self.pos + 1
            in_single = in_double = False
            while i < len(text) and depth:
                c = text[i]
                if c == "'" and not in_double:
                    in_single = not in_single
                elif c == '"' and not in_single:
                    in_double = not in_double
                elif not in_single and not in_double:
                    depth += {"(": 1, ")": -1}.get(c, 0)
                i += 1
            if depth:
                raise ShellSyntaxError("unterminated command substitution")
            self.pos = i
            return Segment("sub", text[start + 2:i - 1], quoted)
        if ch in _NAME_START:
            end = self.pos
            while end < len(text) and text[end] in _NAME_CHARS:
                end += 1
            name = text[self.pos:end]
            self.pos = end
            return Segment("var", name, quoted)
        return Segment("lit", "$", quoted)


def _is_assignment(word: Word) -> str | None:
    """The variable name when the word is ``NAME=...`` with an unquoted name, else None."""
    if not word.segments or word.segments[0].kind != "lit" or word.segments[0].quoted:
        return None
    head = word.segments[0].text
    name, eq, _ = head.partition("=")
    if eq and name and name[0] in _NAME_START and all(c in _NAME_CHARS for c in name):
        return name
    return None


def _assignment_value(word: Word, name: str) -> Word:
    first = word.segments[0]
    rest_text = first.text[len(name) + 1:]
    segments = ([Segment("lit", rest_text)] if rest_text else []) + word.segments[1:]
    return Word(segments, quoted=True)  # an assignment never splits and may be empty


def parse(script: str) -> Script:
    """Parse a script into and-or lists of pipelines of simple commands."""
    tokens = _Lexer(script).tokens()
    result: Script = []
    i = 0

    def parse_command() -> SimpleCommand:
        nonlocal i
        command = SimpleCommand()
        while i < len(tokens):
            token = tokens[i]
            if token[0] == "word":
                name = _is_assignment(token[1]) if not command.words else None
                if name:
                    command.assignments.append((name, _assignment_value(token[1], name)))
                else:
                    command.words.append(token[1])
                i += 1
            elif token[0] == "redir":
                if i + 1 >= len(tokens) or tokens[i + 1][0] != "word":
                    raise ShellSyntaxError("unexpected end of redirection")
                command.redirects.append(Redirect(token[1], token[2], tokens[i + 1][1]))
                i += 2
            else:
                break
        return command

    def parse_pipeline() -> Pipeline:
        nonlocal i
        negate = False
        if i < len(tokens) and tokens[i][0] == "word" and _word_text(tokens[i][1]) == "!":
            negate = True
            i += 1
        commands = [parse_command()]
        while i < len(tokens) and tokens[i] == ("op", "|"):
            i += 1
            commands.append(parse_command())
        for command in commands:
            if not (command.words or command.assignments or command.redirects):
                raise ShellSyntaxError("unexpected '|'" if len(commands) > 1 else "unexpected ';'")
        return Pipeline(commands, negate)

    while i < len(tokens):
        if tokens[i] == ("op", ";"):
            i += 1
            continue
        andor = AndOr(parse_pipeline())
        while i < len(tokens) and tokens[i][0] == "op" and tokens[i][1] in ("&&", "||"):
            op = tokens[i][1]
            i += 1
            if i >= len(tokens):
                raise ShellSyntaxError(f"unexpected end of file after '{op}'")
            andor.rest.append((op, parse_pipeline()))
        result.append(andor)
        if i < len(tokens) and tokens[i] != ("op", ";"):
            raise ShellSyntaxError(f"unexpected '{tokens[i][-1]}'")
    return result


def _word_text(word: Word) -> str | None:
    if all(s.kind == "lit" for s in word.segments):
        return "".join(s.text for s in word.segments)
    return None


def quote(arg: str) -> str:
    """Quote one argument for this shell (and for Android's mksh/toybox sh)."""
    if arg and all(c.isalnum() or c in "@%+=:,./-_" for c in arg):
        return arg
    return "'" + arg.replace("'", "'\\''") + "'"
