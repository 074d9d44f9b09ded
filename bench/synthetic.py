"""Synthetic course packs of any size, for benchmarks and query-count tests."""

from pathlib import Path

import yaml

LESSON = """A synthetic lesson, number {number}, of a generated course.

## What this lesson covers

Public services in small states are run by small teams. {filler}

| Step | Question |
| --- | --- |
| Find | How does a citizen learn that the service exists? |
| Apply | What must they bring? |

Next comes [the outline](../index.md).
"""


def write_pack(
    folder: Path, *, course_id: str = "synthetic", modules: int = 20, lessons: int = 25
) -> Path:
    """Write a pack of `modules` modules of `lessons` lessons each into folder; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lessons").mkdir(exist_ok=True)
    (folder / "index.md").write_text("The outline of the synthetic course.\n")
    filler = "Each step is a chance to save a citizen a trip. " * 40
    track_modules = []
    for module_number in range(1, modules + 1):
        items = []
        for lesson_number in range(1, lessons + 1):
            slug = f"m{module_number}-l{lesson_number}"
            (folder / "lessons" / f"{slug}.md").write_text(
                LESSON.format(number=slug, filler=filler)
            )
            items.append(
                {
                    "id": slug,
                    "kind": "page",
                    "title": f"Lesson {slug}",
                    "file": f"lessons/{slug}.md",
                }
            )
        track_modules.append(
            {"id": f"m{module_number}", "title": f"Module {module_number}", "items": items}
        )
    manifest = {
        "id": course_id,
        "title": f"Synthetic course {course_id}",
        "summary": "A generated course.",
        "language": "en",
        "tracks": [{"id": "main", "title": "Main track", "modules": track_modules}],
    }
    (folder / "course.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return folder


def write_quiz_pack(folder: Path, *, course_id: str = "quizbench", questions: int = 10) -> Path:
    """Write a pack holding one quiz of single-choice questions, all on one page."""
    (folder / "quizzes").mkdir(parents=True, exist_ok=True)
    items = [
        {
            "id": f"q{number}",
            "type": "single",
            "text": f"Question {number}: which answer is right?",
            "answers": [
                {"text": "This one", "weight": 100, "feedback": "Right."},
                {"text": "That one", "weight": 0, "feedback": "Not this time."},
            ],
        }
        for number in range(1, questions + 1)
    ]
    (folder / "quizzes" / "check.yaml").write_text(yaml.safe_dump({"questions": items}))
    quiz = {
        "id": "check",
        "kind": "quiz",
        "title": "Check",
        "file": "quizzes/check.yaml",
        "per_page": questions,
    }
    manifest = {
        "id": course_id,
        "title": "Quiz benchmark",
        "tracks": [
            {
                "id": "main",
                "title": "Main",
                "modules": [{"id": "only", "title": "Only", "items": [quiz]}],
            }
        ],
    }
    (folder / "course.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return folder


def write_graded_pack(folder: Path, *, course_id: str = "gradebench", items: int = 30) -> Path:
    """Write a pack of `items` deliverables; the first accepts one PDF of up to 250 MB."""
    (folder / "deliverables").mkdir(parents=True, exist_ok=True)
    (folder / "deliverables" / "brief.md").write_text("Upload your work as a PDF.\n")
    deliverables = [
        {
            "id": f"d{number}",
            "kind": "deliverable",
            "title": f"Deliverable {number}",
            "instructions": "deliverables/brief.md",
            "submission": "file",
            "file_types": ["pdf"],
            "max_files": 1,
            "max_size_mb": 250,
        }
        for number in range(1, items + 1)
    ]
    manifest = {
        "id": course_id,
        "title": "Gradebook benchmark",
        "tracks": [
            {
                "id": "main",
                "title": "Main",
                "modules": [{"id": "work", "title": "Work", "items": deliverables}],
            }
        ],
    }
    (folder / "course.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return folder
