"""One class's room as plain data: what the lecturer shows, the question posed, the answers.

Everything that reaches a room comes from someone in a lecture hall, so every message is
checked here before it changes anything: its size, its shape, each field's type and range.
A refusal is a ``Refused`` with a sentence for the page; the room is left as it was.

The lecturer proves each message with the room's secret and a sequence number that must
grow, so a message made without the secret, or one sent again, is refused. Students are
anonymous: a random token their page makes, kept only to count one answer per question.
"""

from __future__ import annotations

import hmac
import json
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from autodiff.core.numbers import DISPLAY, fmt
from autodiff.trace import ALGORITHMS  # the page's names: a room shows what the app steps

__all__ = [
    "ALGORITHMS", "ANSWERS_PER_QUESTION", "CHOICES", "CODE_ALPHABET", "CODE_LENGTH",
    "MAX_ANSWER_BYTES", "MAX_LECTURER_BYTES", "MAX_PROGRAM_CHARS", "MAX_STEP", "MODES",
    "Answer", "Question", "Refused", "Room", "answer_of", "lecturer_message", "new_code",
    "normal_code", "tally",
]

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector
CODE_LENGTH = 8  # 31**8 ≈ 8.5e11 codes: guessing one at the hub's attempt limit takes ages
MAX_PROGRAM_CHARS = 20_000  # the parser's own limit (autodiff.program.text)
MAX_LECTURER_BYTES = 64 * 1024  # a program, its values and the envelope
MAX_ANSWER_BYTES = 512
MAX_STEP = 10_000_000
MAX_VALUES = 100
CHOICES = 4
MAX_CHOICE_CHARS = 40
ANSWERS_PER_QUESTION = 5_000  # a big lecture hall, with room to spare
TALLY_BINS = 8  # typed answers shown as the most common few, the rest as "other"
MODES = ("watch", "predict", "practice")
_SECRET_BYTES = 32


class Refused(ValueError):
    """A message the room will not take, with the sentence the page shows."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """A code as typed (any case, spaces or a dash) in the form rooms are kept under."""
    code = "".join(ch for ch in str(text).upper() if ch not in " -")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise Refused(f"A room code is {CODE_LENGTH} letters and digits, as shown on the "
                      "projector: check it and try again.")
    return code


def _json(raw: bytes | str, limit: int) -> dict:
    if len(raw) > limit:
        raise Refused(f"That message is too long ({len(raw):,} bytes, at most {limit:,}).")
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError):
        raise Refused("That message is not readable (not JSON).") from None
    if not isinstance(message, dict):
        raise Refused("That message is not readable (not a JSON object).")
    return message


def _int(message: dict, key: str, low: int, high: int) -> int:
    value = message.get(key)
    if type(value) is not int or not low <= value <= high:
        raise Refused(f"'{key}' must be a whole number from {low:,} to {high:,}.")
    return value


def _number(value, what: str) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise Refused(f"{what} must be a finite number.")
    return float(value)


def _choice(value: str, allowed: tuple[str, ...], key: str) -> str:
    if value not in allowed:
        raise Refused(f"'{key}' must be one of: {', '.join(allowed)}.")
    return value


@dataclass(frozen=True)
class Question:
    """A predict question posed to the room: the step it asks about, the four choices
    (as the page writes them), which one is right and the interval a typed answer is right
    within (the page's own question of that step, autodiff/trace/questions.py)."""

    id: int
    step: int
    prompt: str
    choices: tuple[str, ...]
    right: int
    low: float
    high: float
    revealed: bool = False

    def public(self) -> dict:
        """What a student may see: the right answer only once it is revealed."""
        seen = {"id": self.id, "step": self.step, "prompt": self.prompt,
                "choices": list(self.choices), "revealed": self.revealed}
        if self.revealed:
            seen.update(right=self.right, low=self.low, high=self.high)
        return seen

    def is_right(self, answer: float | int, by_choice: bool) -> bool:
        return answer == self.right if by_choice else self.low <= answer <= self.high


def _question(message: dict, qid: int) -> Question:
    raw = message.get("question")
    if not isinstance(raw, dict):
        raise Refused("'question' must be an object: step, prompt, choices, right, low, high.")
    choices = raw.get("choices")
    if (not isinstance(choices, list) or len(choices) != CHOICES
            or not all(isinstance(c, str) and 0 < len(c) <= MAX_CHOICE_CHARS for c in choices)):
        raise Refused(f"A question has {CHOICES} choices, each a short text "
                      f"(at most {MAX_CHOICE_CHARS} characters).")
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not 0 < len(prompt) <= 300:
        raise Refused("A question's prompt is a sentence of at most 300 characters.")
    low, high = _number(raw.get("low"), "'low'"), _number(raw.get("high"), "'high'")
    if low > high:
        raise Refused("A question's 'low' must not be above its 'high'.")
    return Question(qid, _int(raw, "step", 0, MAX_STEP), prompt,
                    tuple(choices),
                    _int(raw, "right", 0, CHOICES - 1), low, high)


def answer_of(raw: bytes | str) -> tuple[str, int, float | int, bool]:
    """(student token, question id, answer, whether it is a choice's index) of a
    student's answer message ``{"student", "question", "choice"}`` or ``{..., "number"}``."""
    message = _json(raw, MAX_ANSWER_BYTES)
    student = message.get("student")
    if not isinstance(student, str) or not 16 <= len(student) <= 64 or not student.isalnum():
        raise Refused("The page's anonymous token is missing: reload the page.")
    question = _int(message, "question", 1, 1_000_000)
    if "choice" in message:
        return student, question, _int(message, "choice", 0, CHOICES - 1), True
    return student, question, _number(message.get("number"), "An answer"), False


def lecturer_message(raw: bytes | str) -> dict:
    """A lecturer's message, read and bounded (proof and sequence checked by the room)."""
    message = _json(raw, MAX_LECTURER_BYTES)
    if not isinstance(message.get("secret"), str):
        raise Refused("Only the lecturer's page can do that (no room secret was sent).")
    _int(message, "seq", 1, 2**53)
    _choice(message.get("action"), ("show", "step", "pose", "reveal", "end"), "action")
    return message


Answer = tuple[float | int, bool]  # the number or choice's index, and whether a choice


def tally(question: Question, answers: Iterable[Answer]) -> dict:
    """The answers to a question as the lecturer sees them: how many, how many right, how
    many chose each choice, and the typed numbers most given (4 significant digits, as
    the graph writes them: -1.029e+5)."""
    answered = right = 0
    chosen = [0] * CHOICES
    typed: dict[str, int] = {}
    for answer, by_choice in answers:
        answered += 1
        right += question.is_right(answer, by_choice)
        if by_choice:
            chosen[answer] += 1
        else:
            text = fmt(answer, DISPLAY)  # 4 digits, as the graph writes numbers
            typed[text] = typed.get(text, 0) + 1
    common = sorted(typed.items(), key=lambda item: (-item[1], item[0]))
    return {"question": question.id, "answered": answered, "right": right, "choices": chosen,
            "typed": [list(b) for b in common[:TALLY_BINS]],
            "other": sum(count for _, count in common[TALLY_BINS:])}


@dataclass
class Room:
    """A class: what every student's page shows, and the question now posed."""

    code: str
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(_SECRET_BYTES))
    seq: int = 0  # the last lecturer message taken
    version: int = 0  # grows with every change a student sees
    program: str = ""
    values: dict[str, float] = field(default_factory=dict)
    algorithm: str = ALGORITHMS[0]
    mode: str = MODES[0]
    step: int = 0
    question: Question | None = None
    ended: bool = False

    def to_dict(self) -> dict:
        """The room as JSON-ready data, secret included: for a store shared by servers."""
        return {**self.public(), "secret": self.secret, "seq": self.seq,
                "question": self.question.__dict__ if self.question else None}

    @classmethod
    def from_dict(cls, data: dict) -> Room:
        question = data["question"]
        return cls(data["code"], data["secret"], data["seq"], data["version"], data["program"],
                   data["values"], data["algorithm"], data["mode"], data["step"],
                   Question(**{**question, "choices": tuple(question["choices"])})
                   if question else None, data["ended"])

    def public(self) -> dict:
        """Everything a student's page needs to show the room (never the secret)."""
        return {"code": self.code, "version": self.version, "program": self.program,
                "values": dict(self.values), "algorithm": self.algorithm, "mode": self.mode,
                "step": self.step, "ended": self.ended,
                "question": self.question.public() if self.question else None}

    def drive(self, message: dict) -> str:
        """Apply a lecturer's message (from ``lecturer_message``); returns its action."""
        if not hmac.compare_digest(message["secret"].encode(), self.secret.encode()):
            raise Refused("Only the lecturer's page can do that (the room secret is wrong).")
        if message["seq"] <= self.seq:
            raise Refused("That lecturer message was already taken (sent again?): ignored.")
        if self.ended:
            raise Refused("This class has ended.")
        action = message["action"]
        getattr(self, f"_{action}")(message)
        self.seq = message["seq"]
        self.version += 1
        return action

    def _show(self, message: dict) -> None:
        program = message.get("program")
        if not isinstance(program, str) or len(program) > MAX_PROGRAM_CHARS:
            raise Refused(f"'program' must be a text of at most {MAX_PROGRAM_CHARS:,} characters.")
        values = message.get("values", {})
        if not isinstance(values, dict) or len(values) > MAX_VALUES:
            raise Refused(f"'values' must be an object of at most {MAX_VALUES} numbers.")
        self.program = program
        self.values = {str(k)[:40]: _number(v, f"The value of {str(k)[:40]}")
                       for k, v in values.items()}
        self.algorithm = _choice(message.get("algorithm", ALGORITHMS[0]), ALGORITHMS, "algorithm")
        self.mode = _choice(message.get("mode", MODES[0]), MODES, "mode")
        self.step, self.question = _int(message, "step", 0, MAX_STEP), None

    def _step(self, message: dict) -> None:
        self.step = _int(message, "step", 0, MAX_STEP)

    def _pose(self, message: dict) -> None:
        self.question = _question(message, (self.question.id + 1) if self.question else 1)

    def _reveal(self, message: dict) -> None:
        if self.question is None:
            raise Refused("No question is posed: pose one first.")
        self.question = replace(self.question, revealed=True)

    def _end(self, message: dict) -> None:
        self.ended = True

    def open_question(self, question: int) -> Question:
        """The question posed, if ``question`` names it and it still takes answers."""
        if self.ended:
            raise Refused("This class has ended.")
        now = self.question
        if now is None or now.id != question:
            raise Refused("That question is no longer open: answer the one on the screen.")
        if now.revealed:
            raise Refused("The answer has been revealed: this question is closed.")
        return now
