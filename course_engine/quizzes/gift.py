"""Parse Moodle GIFT question files into parsed questions."""

import re
from dataclasses import dataclass

from course_engine.quizzes.gift_answers import (
    AnswerSyntaxError,
    parse_answer_block,
    protect,
    restore,
)
from course_engine.quizzes.questions import ParsedQuestion, QuestionError, answer_problem

_CATEGORY = "$CATEGORY:"
_FORMAT_TAG = re.compile(r"\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
_BLANK = "_____"
_NAME_LENGTH = 40
_KEY_LENGTH = 80
# Questions one file may hold; GIFT_MAX_QUESTIONS sets it for bank imports.
MAX_QUESTIONS = 2000


@dataclass
class _Block:
    """The protected lines of one question, each with its line number in the file."""

    lines: list[tuple[int, str]]
    category: str | None

    @property
    def line(self) -> int:
        return self.lines[0][0]

    @property
    def text(self) -> str:
        return "\n".join(text for _, text in self.lines)

    def line_at(self, offset: int) -> int:
        """Return the file line that holds character `offset` of `text`."""
        end = 0
        for number, text in self.lines:
            end += len(text) + 1
            if offset < end:
                return number
        return self.lines[-1][0]


def parse_gift(
    text: str, filename: str | None = None, max_questions: int = MAX_QUESTIONS
) -> tuple[list[ParsedQuestion], list[QuestionError]]:
    """Parse a GIFT file into questions and errors, each error at its 1-based line.

    A question's key is the slug of its `::title::`, else `q<n>` for the n-th
    question, so titles keep keys stable when questions are added. A file of
    more than max_questions questions is refused before any is parsed.
    """
    blocks, problems = _split_blocks(text)
    if len(blocks) > max_questions:
        message = (
            f"the file holds {len(blocks)} questions, more than the {max_questions} "
            "a file may hold; split it into several files"
        )
        return [], [QuestionError(1, message, filename)]
    questions: list[ParsedQuestion] = []
    first_line: dict[str, int] = {}
    for ordinal, block in enumerate(blocks, start=1):
        try:
            question = _parse_block(block, ordinal)
        except QuestionError as error:
            problems.append((error.line, error.message))
            continue
        if question.key in first_line:
            message = (
                f"duplicate question key `{question.key}` (first at line "
                f"{first_line[question.key]}); give the question a different title"
            )
            problems.append((question.line, message))
            continue
        first_line[question.key] = question.line
        questions.append(question)
    problems.sort(key=lambda problem: problem[0])
    return questions, [QuestionError(line, message, filename) for line, message in problems]


def _split_blocks(text: str) -> tuple[list[_Block], list[tuple[int, str]]]:
    """Split the file on blank lines, dropping comments and applying `$CATEGORY:`."""
    blocks: list[_Block] = []
    problems: list[tuple[int, str]] = []
    current: list[tuple[int, str]] = []
    category = None
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            continue
        if not stripped or stripped.startswith(_CATEGORY):
            if current:
                blocks.append(_Block(current, category))
                current = []
            if stripped:
                category = restore(protect(stripped.removeprefix(_CATEGORY))) or None
                if category is None:
                    problems.append((number, "`$CATEGORY:` needs a category path"))
            continue
        current.append((number, protect(raw)))
    if current:
        blocks.append(_Block(current, category))
    return blocks, problems


def _parse_block(block: _Block, ordinal: int) -> ParsedQuestion:
    """Parse one question; raise QuestionError at the most precise line known."""
    source = block.text
    title, position = _title(block)
    text_format = "markdown"
    if match := _FORMAT_TAG.match(source, position):
        tag = match.group(1).lower()
        # Moodle's own "auto-format" is plain text with line breaks kept.
        text_format = "plain" if tag == "moodle" else tag
        position = match.end()

    open_at, close_at = _answer_block(block, position)
    before, after = source[position:open_at], source[close_at + 1 :]
    # Answers in mid-sentence make a missing-word question: the blank marks their place.
    text = restore(before + _BLANK + after if after.strip() else before)
    if not text:
        raise QuestionError(block.line, "the question has no text")
    try:
        answers = parse_answer_block(source[open_at + 1 : close_at])
    except AnswerSyntaxError as error:
        raise QuestionError(block.line_at(open_at + 1 + error.offset), error.message) from None

    question = ParsedQuestion(
        key=_key(title, ordinal),
        type=answers.type,
        name=title or _shorten(text),
        text=text,
        line=block.line,
        general_feedback=answers.general_feedback,
        answers=answers.answers,
        pairs=answers.pairs,
        category=block.category,
        text_format=text_format,
    )
    if problem := answer_problem(question):
        raise QuestionError(block.line, problem)
    return question


def _title(block: _Block) -> tuple[str, int]:
    """Return the `::title::` (or "") and the offset just after it."""
    source = block.text
    if not source.lstrip().startswith("::"):
        return "", 0
    start = source.index("::") + 2
    end = source.find("::", start)
    if end < 0:
        raise QuestionError(block.line, "unterminated `::title::`")
    return restore(source[start:end]), end + 2


def _answer_block(block: _Block, position: int) -> tuple[int, int]:
    """Return the offsets of the question's one `{` and its `}`."""
    source = block.text
    open_at = source.find("{", position)
    stray = source.find("}", position, open_at if open_at >= 0 else len(source))
    if stray >= 0:
        raise QuestionError(block.line_at(stray), "`}` without `{`; write `\\}` for a brace")
    if open_at < 0:
        raise QuestionError(block.line, "no answers: add `{...}`, or `{}` for an essay")
    close_at = source.find("}", open_at)
    if close_at < 0:
        raise QuestionError(block.line_at(open_at), "unterminated `{`")
    nested = source.find("{", open_at + 1, close_at)
    if nested >= 0:
        raise QuestionError(block.line_at(nested), "`{` inside answers; write `\\{` for a brace")
    extra = re.compile(r"[{}]").search(source, close_at + 1)
    if extra:
        raise QuestionError(block.line_at(extra.start()), "a question has one answer block only")
    return open_at, close_at


def _key(title: str, ordinal: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:_KEY_LENGTH].strip("-") or f"q{ordinal}"


def _shorten(text: str) -> str:
    first_line = text.splitlines()[0]
    if len(first_line) <= _NAME_LENGTH:
        return first_line
    return first_line[: _NAME_LENGTH - 1].rstrip() + "…"
