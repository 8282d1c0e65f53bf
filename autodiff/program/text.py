"""Program text before any walk: the cheap gates, the parse, and errors with carets.

Everything here looks at characters, not meaning: the length, plain ASCII, bracket depth
and runs of signs are checked before ``ast.parse`` sees the text, so no input can make the
parser itself slow or deep. ``Source`` keeps the text as typed beside the text parsed
(``^`` becomes ``**``) and maps columns between them, so every caret points at what was typed.
"""

from __future__ import annotations

import ast
import re
import unicodedata
import warnings

__all__ = [
    "MAX_ABS_NUMBER", "MAX_DEPTH", "MAX_INPUTS", "MAX_LINES", "MAX_NAME_CHARS", "MAX_NODES",
    "MAX_OUTPUTS", "MAX_PROGRAM_CHARS", "MAX_SIGN_RUN", "MAX_STEPS", "ProgramError", "Source",
    "prepare", "segment",
]

# Python warns about text such as `1if x` while parsing; the walk refuses it anyway, with a
# better message. Only warnings about the parsed program's own pseudo-file are silenced.
_PROGRAM_FILE = "<program>"
warnings.filterwarnings("ignore", category=SyntaxWarning, module=re.escape(_PROGRAM_FILE) + r"\Z")

# ---- limits: each one has its own message below ----

MAX_PROGRAM_CHARS = 20_000  # checked before anything else looks at the text
MAX_LINES = 500
MAX_DEPTH = 80  # nesting of brackets and of expressions, through inlined calls too
MAX_SIGN_RUN = 10  # "- - - -x": the parser recurses once per sign
MAX_NODES = 5_000  # engine nodes built, counting every inlined call
MAX_STEPS = 30_000  # expression parts visited while building (bounds calls of calls)
MAX_INPUTS = 100
MAX_OUTPUTS = 20  # a Jacobian costs one backward pass per output
MAX_NAME_CHARS = 40
MAX_ABS_NUMBER = 1e15  # for numbers in the text and for the values of inputs

class ProgramError(ValueError):
    """A program or a value was refused: plain words, and where in the text."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None,
                 source_line: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line  # 1-based
        self.column = column  # 1-based, counted in characters of the line as typed
        # Invisible and bidi characters (the reason for many errors) are shown as `?`,
        # one for one, so the caret stays in place and a terminal does not reorder text.
        self.source_line = None if source_line is None else "".join(
            ch if ch.isprintable() or ch == "\t" else "?" for ch in source_line)
        self.calls: list[str] = []  # the inlined calls it happened in, innermost first
        self._reason = message

    def add_call(self, function: str, line: int) -> None:
        """Say which call of a function the error happened in (the first and last of a
        long chain are kept)."""
        self.calls.append(f"in `{function}`, called on line {line}")
        shown = self.calls if len(self.calls) <= 2 else [self.calls[0], "...", self.calls[-1]]
        self.message = self._reason + "".join(f" ({c})" for c in shown)
        self.args = (self.message,)

    def __reduce__(self):  # keep line and column when pickled
        return type(self), (self.message, self.line, self.column, self.source_line)

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        text = f"{where}: {self.message}"
        if self.source_line is not None:
            shown, caret = _window(self.source_line, self.column)
            text += "\n    " + shown
            if caret is not None:
                # Copy tabs so the caret lines up however the terminal shows them.
                pad = "".join("\t" if ch == "\t" else " " for ch in shown[:caret])
                text += "\n    " + pad + "^"
        return text


def _window(line: str, column: int | None, width: int = 76) -> tuple[str, int | None]:
    """The part of a long line around ``column`` (1-based), and the caret's 0-based index."""
    caret = None if not column else column - 1
    if len(line) <= width:
        return line, caret
    start = 0 if caret is None else max(0, min(caret - width // 2, len(line) - width))
    shown = line[start:start + width]
    prefix, suffix = ("..." if start else ""), ("..." if start + width < len(line) else "")
    return prefix + shown + suffix, None if caret is None else caret - start + len(prefix)


# ---- the text, before and after `^` becomes `**` ----

class Source:
    """The program as typed, the text given to ``ast.parse``, and columns between them.

    ``^`` is replaced by ``**`` in the text, not in the tree: Python reads ``x^2+1`` as
    ``x ^ (2+1)``, so mapping the operator afterwards would compute ``x**3``.
    """

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self._columns: dict[int, list[int]] = {}  # line -> python column -> typed column
        python_lines = []
        for number, line in enumerate(self.lines, 1):
            if "^" in line:
                columns = []
                for typed, ch in enumerate(line):
                    columns.extend((typed, typed) if ch == "^" else (typed,))
                columns.append(len(line))
                self._columns[number] = columns
                line = line.replace("^", "**")
            python_lines.append(line)
        self.python = "\n".join(python_lines)

    def column(self, line: int, python_column: int) -> int:
        """The 0-based typed column of a 0-based column of the parsed text."""
        columns = self._columns.get(line)
        if columns is None:
            return python_column
        return columns[max(0, min(python_column, len(columns) - 1))]

    def line_text(self, line: int | None) -> str | None:
        if line is None or not 1 <= line <= len(self.lines):
            return None
        return self.lines[line - 1]

    def error(self, message: str, line: int | None, column0: int | None = None) -> ProgramError:
        """A ProgramError at a typed position (column 0-based here, 1-based in the error)."""
        if line is not None and line > len(self.lines):  # "never closed" at the very end
            line, column0 = len(self.lines), len(self.lines[-1])
        text = self.line_text(line)
        if text is None:
            return ProgramError(message)
        column = None if column0 is None else min(max(column0, 0), len(text)) + 1
        return ProgramError(message, line, column, text)

    def error_at(self, node: ast.AST, message: str) -> ProgramError:
        return self.error(message, node.lineno, self.column(node.lineno, node.col_offset))

    def segment(self, node: ast.AST, limit: int = 50) -> str:
        """The typed text of ``node`` on one line, shortened for a message."""
        end_line = node.end_lineno or node.lineno
        return segment(self.lines, node.lineno, self.column(node.lineno, node.col_offset),
                       end_line, self.column(end_line, node.end_col_offset or 0), limit)


def segment(lines: list[str] | tuple[str, ...], line: int, start: int, end_line: int,
            end: int, limit: int = 50) -> str:
    """The typed text from ``line``:``start`` to ``end_line``:``end`` (1-based lines,
    0-based columns, end excluded) on one line, shortened for a message."""
    if end_line == line:
        text = lines[line - 1][start:end]
    else:
        middle = lines[line:end_line - 1]
        text = " ".join([lines[line - 1][start:], *middle, lines[end_line - 1][:end]])
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


# ---- gates that run before the parser ----

def prepare(text: str) -> tuple[Source, ast.Module]:
    """Check the text with cheap gates, then parse it; every failure is a ProgramError."""
    if not isinstance(text, str):
        raise ProgramError(f"a program must be text, got {type(text).__name__}")
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_PROGRAM_CHARS:
        raise ProgramError(f"the program has {len(text):,} characters; "
                           f"the limit is {MAX_PROGRAM_CHARS:,}")
    source = Source(text)
    _check_characters(source)
    if len(source.lines) > MAX_LINES:
        raise ProgramError(f"the program has {len(source.lines):,} lines; "
                           f"the limit is {MAX_LINES:,}")
    _check_nesting(source)
    try:
        tree = ast.parse(source.python, filename=_PROGRAM_FILE)
    except SyntaxError as exc:
        column = None if exc.offset is None else source.column(exc.lineno or 0, exc.offset - 1)
        if "Exceeds the limit" in exc.msg:  # Python points at the line's start
            digits = re.search(r"\d{1000,}", source.line_text(exc.lineno) or "")
            column = digits.start() if digits else column
        raise source.error(_syntax_message(exc.msg), exc.lineno, column) from None
    except (RecursionError, MemoryError):
        raise ProgramError("the program is nested too deeply for the parser "
                           "(or has a very long chain of operators)") from None
    except (ValueError, OverflowError) as exc:
        raise ProgramError(f"the program cannot be read: {exc}") from None
    return source, tree


def _check_characters(source: Source) -> None:
    """Plain ASCII only: Python folds look-alike letters (bold or full-width `sin`) into
    names, and invisible characters (zero-width space, right-to-left override) hide code."""
    for number, line in enumerate(source.lines, 1):
        for column, ch in enumerate(line):
            if " " <= ch <= "~" or ch == "\t":
                continue
            name = unicodedata.name(ch, "a control character")
            shown = f"'{ch}' " if ch.isprintable() and not ch.isspace() else ""
            raise source.error(
                f"character {shown}(U+{ord(ch):04X}, {name}) is not allowed: programs are "
                "plain ASCII text (letters, digits, + - * / ^ ( ) = , and spaces)",
                number, column)


def _check_nesting(source: Source) -> None:
    """Bracket depth and runs of signs, counted in the text: the parser itself fails with
    MemoryError or RecursionError on deep input, and only after allocating a lot.
    Both counts carry across lines (brackets may span lines); comments are left out."""
    depth = signs = 0
    for number, line in enumerate(source.lines, 1):
        for column, ch in enumerate(line.split("#", 1)[0]):
            if ch in "([{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise source.error(f"brackets are nested more than {MAX_DEPTH} deep",
                                       number, column)
            elif ch in ")]}":
                depth = max(0, depth - 1)
            if ch in "+-~":
                signs += 1
                if signs > MAX_SIGN_RUN:
                    raise source.error(f"more than {MAX_SIGN_RUN} signs in a row",
                                       number, column)
            elif ch not in " \t":
                signs = 0


def _syntax_message(message: str) -> str:
    if "Exceeds the limit" in message:
        return "this number has too many digits"
    if "invalid decimal literal" in message:
        return "a number runs into a name: write `2 * x`, not `2x`"
    return f"not valid Python: {message}"


