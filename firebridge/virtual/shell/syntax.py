"""Parse the small POSIX shell language adb clients send (pure, no I/O).

Supported: ``;`` ``&`` and newlines, ``&&`` ``||``, ``!``, pipes, single and double quotes,
backslash escapes, ``$?`` ``$$`` ``$NAME`` ``${NAME}`` ``$(...)``, ``NAME=value`` prefixes,
redirections ``>`` ``>>`` ``<`` ``N>`` ``>&N`` ``N>&M``, ``#`` comments, and two compound commands:
``for NAME [in WORDS]; do LIST; done`` and ``case WORD in PATTERN[|PATTERN]) LIST ;; ... esac`` (with
``break``). That is what the adb client (``export ANDROID_LOG_TAGS=''; exec logcat``), adbutils
(``CMD; echo X4EXIT:$?``) and the drivers send (a key loop that stops at the first unconfirmed
press); ``if``/``while`` are out of scope.
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
class ForLoop:
    name: str
    words: list[Word]
    body: "Script"
    redirects: list[Redirect] = field(default_factory=list)


@dataclass
class CaseItem:
    patterns: list[Word]
    body: "Script"


@dataclass
class Case:
    word: Word
    items: list[CaseItem]
    redirects: list[Redirect] = field(default_factory=list)


Command = SimpleCommand | ForLoop | Case


@dataclass
class Pipeline:
    commands: list[Command]
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
        for op in ("&&", "||", ">>", ">&", ";;", ";", "&", "|", "\n", ">", "<"):
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
    """Parse a script into and-or lists of pipelines of commands."""
    parser = _Parser(_Lexer(script).tokens())
    result = parser.parse_list(frozenset())
    if parser.i < len(parser.tokens):
        raise ShellSyntaxError(f"unexpected '{parser.describe()}'")
    return result


class _Parser:
    def __init__(self, tokens: list[tuple]) -> None:
        self.tokens = tokens
        self.i = 0

    def describe(self) -> str:
        token = self.tokens[self.i]
        return (_word_text(token[1]) or "word") if token[0] == "word" else str(token[-1])

    def keyword(self) -> str | None:
        """The unquoted literal word at the cursor (reserved words only count there)."""
        if self.i < len(self.tokens) and self.tokens[self.i][0] == "word" and not self.tokens[self.i][1].quoted:
            return _word_text(self.tokens[self.i][1])
        return None

    def at(self, token: tuple) -> bool:
        return self.i < len(self.tokens) and self.tokens[self.i] == token

    def skip_separators(self) -> None:
        while self.at(("op", ";")):
            self.i += 1

    def expect(self, word: str) -> None:
        if self.keyword() != word:
            found = self.describe() if self.i < len(self.tokens) else "end of file"
            raise ShellSyntaxError(f"unexpected '{found}' (expecting \"{word}\")")
        self.i += 1

    def parse_list(self, stop: frozenset[str]) -> Script:
        """And-or lists up to the end, a reserved word in ``stop`` or ``;;``."""
        result: Script = []
        while True:
            self.skip_separators()
            if self.i >= len(self.tokens) or self.at(("op", ";;")) or self.keyword() in stop:
                return result
            andor = AndOr(self.parse_pipeline())
            while self.i < len(self.tokens) and self.tokens[self.i][0] == "op" and self.tokens[self.i][1] in ("&&", "||"):
                op = self.tokens[self.i][1]
                self.i += 1
                self.skip_separators()  # a newline may follow && and ||
                if self.i >= len(self.tokens):
                    raise ShellSyntaxError(f"unexpected end of file after '{op}'")
                andor.rest.append((op, self.parse_pipeline()))
            result.append(andor)
            if self.i < len(self.tokens) and not (self.at(("op", ";")) or self.at(("op", ";;"))):
                raise ShellSyntaxError(f"unexpected '{self.describe()}'")

    def parse_pipeline(self) -> Pipeline:
        negate = False
        if self.keyword() == "!":
            negate = True
            self.i += 1
        commands = [self.parse_command()]
        while self.at(("op", "|")):
            self.i += 1
            commands.append(self.parse_command())
        for command in commands:
            if isinstance(command, SimpleCommand) and not (command.words or command.assignments or command.redirects):
                raise ShellSyntaxError("unexpected '|'" if len(commands) > 1 else "unexpected ';'")
        return Pipeline(commands, negate)

    def parse_command(self) -> Command:
        word = self.keyword()
        if word == "for":
            return self.parse_for()
        if word == "case":
            return self.parse_case()
        return self.parse_simple()

    def parse_redirects(self) -> list[Redirect]:
        redirects = []
        while self.i < len(self.tokens) and self.tokens[self.i][0] == "redir":
            token = self.tokens[self.i]
            if self.i + 1 >= len(self.tokens) or self.tokens[self.i + 1][0] != "word":
                raise ShellSyntaxError("unexpected end of redirection")
            redirects.append(Redirect(token[1], token[2], self.tokens[self.i + 1][1]))
            self.i += 2
        return redirects

    def parse_simple(self) -> SimpleCommand:
        command = SimpleCommand()
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            if token[0] == "word":
                name = _is_assignment(token[1]) if not command.words else None
                if name:
                    command.assignments.append((name, _assignment_value(token[1], name)))
                else:
                    command.words.append(token[1])
                self.i += 1
            elif token[0] == "redir":
                command.redirects.extend(self.parse_redirects())
            else:
                break
        return command

    def parse_for(self) -> ForLoop:
        self.i += 1
        name = self.keyword()
        if not name or name[0] not in _NAME_START or not all(c in _NAME_CHARS for c in name):
            raise ShellSyntaxError("bad for loop variable")
        self.i += 1
        words: list[Word] = []
        self.skip_separators()
        if self.keyword() == "in":
            self.i += 1
            while self.i < len(self.tokens) and self.tokens[self.i][0] == "word":
                words.append(self.tokens[self.i][1])
                self.i += 1
        self.skip_separators()
        self.expect("do")
        body = self.parse_list(frozenset({"done"}))
        self.expect("done")
        return ForLoop(name, words, body, self.parse_redirects())

    def parse_case(self) -> Case:
        self.i += 1
        if self.i >= len(self.tokens) or self.tokens[self.i][0] != "word":
            raise ShellSyntaxError("unexpected end of file (expecting word)")
        subject = self.tokens[self.i][1]
        self.i += 1
        self.skip_separators()
        self.expect("in")
        items: list[CaseItem] = []
        while True:
            self.skip_separators()
            if self.keyword() == "esac":
                self.i += 1
                return Case(subject, items, self.parse_redirects())
            items.append(self.parse_case_item())

    def parse_case_item(self) -> CaseItem:
        if self.keyword() == "(":
            self.i += 1
        patterns: list[Word] = []
        while True:
            if self.i >= len(self.tokens) or self.tokens[self.i][0] != "word":
                raise ShellSyntaxError("unexpected end of file (expecting \")\")")
            pattern = self.tokens[self.i][1]
            self.i += 1
            closed = _strip_close_paren(pattern)
            if closed is None and self.keyword() == ")":
                self.i += 1
                closed = pattern
            if closed is not None:
                patterns.append(closed)
                break
            patterns.append(pattern)
            if not self.at(("op", "|")):
                raise ShellSyntaxError("unexpected word in case pattern (expecting \")\")")
            self.i += 1
        body = self.parse_list(frozenset({"esac"}))
        if self.at(("op", ";;")):
            self.i += 1
        return CaseItem(patterns, body)


def _strip_close_paren(word: Word) -> Word | None:
    """``pattern)`` lexes as one word; the pattern without its ``)``, or None if it has none."""
    if not word.segments:
        return None
    last = word.segments[-1]
    if last.kind != "lit" or last.quoted or not last.text.endswith(")"):
        return None
    text = last.text[:-1]
    segments = word.segments[:-1] + ([Segment("lit", text)] if text else [])
    return Word(segments, word.quoted)


def _word_text(word: Word) -> str | None:
    if all(s.kind == "lit" for s in word.segments):
        return "".join(s.text for s in word.segments)
    return None


def quote(arg: str) -> str:
    """Quote one argument for this shell (and for Android's mksh/toybox sh)."""
    if arg and all(c.isalnum() or c in "@%+=:,./-_" for c in arg):
        return arg
    return "'" + arg.replace("'", "'\\''") + "'"
