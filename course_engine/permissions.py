"""Who may do what in a course: the one place that answers it for every domain.

Roles are per course (an enrolment); admin is site-wide and may do
everything a facilitator may. Someone without access gets 404, never 403,
so ids reveal nothing.
"""

from collections.abc import Callable, Collection
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec

from flask import abort, g
from flask.typing import ResponseReturnValue
from flask_login import AnonymousUserMixin, current_user

from course_engine.roles import ALL_ROLES, Role

if TYPE_CHECKING:
    from course_engine.auth.models import User

P = ParamSpec("P")


def course_role(user: "User | AnonymousUserMixin", course_id: int) -> Role | None:
    """Return the user's role in the course, facilitator for admins, None without one."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = g.setdefault("course_roles", {})
    key = (user.id, course_id)
    if key not in cache:
        from course_engine.courses.services import enrolment_role

        cache[key] = Role.FACILITATOR if user.is_admin else enrolment_role(user.id, course_id)
    role: Role | None = cache[key]
    return role


def remember_role(
    user: "User | AnonymousUserMixin", course_id: int, enrolment_role: Role | None
) -> None:
    """Cache a role a service already read with other data, so checks need no query."""
    if getattr(user, "is_authenticated", False):
        role = Role.FACILITATOR if user.is_admin else enrolment_role
        g.setdefault("course_roles", {})[(user.id, course_id)] = role


def can_view_course(user: "User | AnonymousUserMixin", course_id: int) -> bool:
    """Tell whether the user may see the course at all."""
    return course_role(user, course_id) is not None


def can_facilitate(user: "User | AnonymousUserMixin", course_id: int) -> bool:
    """Tell whether the user runs the course (a facilitator or an admin)."""
    return course_role(user, course_id) == Role.FACILITATOR


def require_course_role(course_id: int, roles: Collection[Role] = ALL_ROLES) -> Role:
    """Return the current user's role in the course, or answer 404."""
    role = course_role(current_user, course_id)
    if role is None or role not in roles:
        abort(404)
    return role


def admin_required(view: Callable[P, ResponseReturnValue]) -> Callable[P, ResponseReturnValue]:
    """Let only site admins through; everyone else signed in gets 404."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            from course_engine.extensions import login_manager

            unauthorized: ResponseReturnValue = login_manager.unauthorized()
            return unauthorized
        if not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapper
