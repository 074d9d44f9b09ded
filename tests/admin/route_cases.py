from tests.support.routes import ADMIN_ONLY, COURSE_STAFF, SIGNED_IN, RouteCase


def _user(name):
    return lambda world: {"user_id": world[name].id}


PEOPLE = "/courses/example-course/people"

CASES = {
    "admin.index": [RouteCase("GET", "/admin/", ADMIN_ONLY)],
    "admin.users": [
        RouteCase("GET", "/admin/users/", ADMIN_ONLY),
        RouteCase("GET", "/admin/users/?q=user&page=2", ADMIN_ONLY),
    ],
    "admin.new_user": [
        RouteCase("GET", "/admin/users/new", ADMIN_ONLY),
        RouteCase("POST", "/admin/users/new", ADMIN_ONLY),
    ],
    "admin.import_users": [
        RouteCase("GET", "/admin/users/import", ADMIN_ONLY),
        RouteCase("POST", "/admin/users/import", ADMIN_ONLY),
    ],
    "admin.edit_user": [
        RouteCase("GET", "/admin/users/{user_id}", ADMIN_ONLY, _user("learner")),
        RouteCase("POST", "/admin/users/{user_id}", ADMIN_ONLY, _user("learner")),
    ],
    "admin.deactivate_user": [
        RouteCase("POST", "/admin/users/{user_id}/deactivate", ADMIN_ONLY, _user("other_learner"))
    ],
    "admin.reactivate_user": [
        RouteCase("POST", "/admin/users/{user_id}/reactivate", ADMIN_ONLY, _user("other_learner"))
    ],
    "admin.audit": [RouteCase("GET", "/admin/audit?action=user.create", ADMIN_ONLY)],
    "admin.people": [RouteCase("GET", PEOPLE, COURSE_STAFF)],
    "admin.enrol": [RouteCase("POST", PEOPLE + "/enrol", COURSE_STAFF)],
    "admin.change_role": [
        RouteCase(
            "POST",
            PEOPLE + "/{user_id}/role",
            COURSE_STAFF,
            _user("peer_reviewer"),
            data={"role": "peer_reviewer"},
        )
    ],
    "admin.set_group": [
        RouteCase(
            "POST", PEOPLE + "/{user_id}/group", COURSE_STAFF, _user("learner"), {"group": "A"}
        )
    ],
    # The facilitator may not remove themself (400); the admin, asked last, removes them.
    "admin.remove": [
        RouteCase("POST", PEOPLE + "/{user_id}/remove", COURSE_STAFF, _user("facilitator"))
    ],
    "admin.set_key": [
        RouteCase("POST", PEOPLE + "/key", COURSE_STAFF, data={"key": "open-sesame"})
    ],
    "admin.clear_key": [RouteCase("POST", PEOPLE + "/key/clear", COURSE_STAFF)],
    "admin.join": [RouteCase("GET", "/join", SIGNED_IN), RouteCase("POST", "/join", SIGNED_IN)],
}
