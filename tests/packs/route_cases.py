from tests.support.routes import ADMIN_ONLY, RouteCase

CASES = {
    "packs.upload": [
        RouteCase("GET", "/admin/packs/", ADMIN_ONLY),
        RouteCase("POST", "/admin/packs/", ADMIN_ONLY),
    ],
    "packs.confirm_import": [RouteCase("POST", "/admin/packs/import", ADMIN_ONLY)],
    "packs.export": [RouteCase("GET", "/admin/packs/export/example-course.zip", ADMIN_ONLY)],
}
