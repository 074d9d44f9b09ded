"""The explicit list of item kinds the engine knows, each defined by the domain that owns it."""

from course_engine.packs import registry


def register_all() -> None:
    """Register every item kind."""
    from course_engine.courses.kinds import PageKind
    from course_engine.deliverables.kinds import DeliverableKind
    from course_engine.discussions.kinds import DiscussionKind
    from course_engine.live_sessions.kinds import LiveSessionKind
    from course_engine.quizzes.kinds import QuizKind
    from course_engine.surveys.kinds import SurveyKind

    for kind in (PageKind, QuizKind, DiscussionKind, DeliverableKind, SurveyKind, LiveSessionKind):
        registry.register(kind())
