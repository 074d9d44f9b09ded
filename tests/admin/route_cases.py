from tests.support.routes import ADMIN_ONLY, RouteCase

CASES = {
    "admin.index": [RouteCase("GET", "/admin/", ADMIN_ONLY)],
}
