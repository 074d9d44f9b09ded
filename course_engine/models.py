"""Every domain's models, imported together so the metadata (and Alembic) sees them all."""

from course_engine.admin.models import EnrolmentKey
from course_engine.audit.models import AuditEntry
from course_engine.auth.models import PasswordReset, User
from course_engine.certificates.models import Certificate
from course_engine.courses.models import (
    CohortGroup,
    Course,
    Enrolment,
    Item,
    ItemProgress,
    Module,
    Pack,
    PackAsset,
    Track,
)
from course_engine.deliverables.models import (
    Assessment,
    Deliverable,
    Submission,
    SubmissionFile,
    SubmissionVersion,
)
from course_engine.discussions.models import (
    Attachment,
    DigestEntry,
    DiscussionSettings,
    Forum,
    ForumSubscription,
    Post,
    PostReport,
    ReadState,
    Thread,
    ThreadSubscription,
)
from course_engine.gradebook.models import CategoryWeight, Grade
from course_engine.live_sessions.models import (
    Attendance,
    CalendarFeed,
    LiveSession,
    TimeZonePreference,
)
from course_engine.notifications.models import QueuedEmail
from course_engine.peer_review.models import Allocation, Review
from course_engine.quizzes.models import Answer, Attempt, AttemptAnswer, Question, Quiz
from course_engine.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse

__all__ = [
    "Allocation",
    "Answer",
    "Assessment",
    "Attachment",
    "Attempt",
    "AttemptAnswer",
    "Attendance",
    "AuditEntry",
    "Certificate",
    "CalendarFeed",
    "CategoryWeight",
    "CohortGroup",
    "Course",
    "Deliverable",
    "DigestEntry",
    "DiscussionSettings",
    "Enrolment",
    "EnrolmentKey",
    "Forum",
    "ForumSubscription",
    "Grade",
    "Item",
    "ItemProgress",
    "LiveSession",
    "Module",
    "Pack",
    "PackAsset",
    "PasswordReset",
    "Post",
    "PostReport",
    "Question",
    "QueuedEmail",
    "Quiz",
    "ReadState",
    "Review",
    "Submission",
    "SubmissionFile",
    "SubmissionVersion",
    "Survey",
    "SurveyAnswer",
    "SurveyQuestion",
    "SurveyResponse",
    "Thread",
    "ThreadSubscription",
    "TimeZonePreference",
    "Track",
    "User",
]
