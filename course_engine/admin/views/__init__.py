"""Site administration and course people pages."""

from course_engine.admin.blueprint import bp
from course_engine.admin.views import accounts, audit, people  # noqa: F401 - routes register on bp

__all__ = ["bp"]
