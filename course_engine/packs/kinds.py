"""The explicit list of item kinds the engine knows."""

from datetime import date, datetime

from course_engine.packs import registry

WHEN = (str, date, datetime)
NUMBER = (int, float)

# Kinds whose domains have not landed yet still validate as data, so packs
# that use them import; each is replaced when its domain registers it.
DATA_KINDS = []


def register_all() -> None:
    """Register every item kind, each from the domain that owns it."""
    from course_engine.courses.kinds import PageKind

    for kind in DATA_KINDS:
        registry.register(kind)
    registry.register(PageKind())
    from course_engine.deliverables.kinds import DeliverableKind

    registry.register(DeliverableKind())
    from course_engine.quizzes.kinds import QuizKind

    registry.register(QuizKind())
    from course_engine.discussions.kinds import DiscussionKind

    registry.register(DiscussionKind())
    from course_engine.surveys.kinds import SurveyKind

    registry.register(SurveyKind())
    from course_engine.live_sessions.kinds import LiveSessionKind

    registry.register(LiveSessionKind())
