from tests.support.routes import PUBLIC, SIGNED_IN, RouteCase

CASES = {
    "auth.login": [
        RouteCase("GET", "/auth/login", PUBLIC),
        RouteCase("POST", "/auth/login", PUBLIC),
    ],
    "auth.logout": [RouteCase("POST", "/auth/logout", SIGNED_IN)],
    "auth.change_password": [
        RouteCase("GET", "/auth/password", SIGNED_IN),
        RouteCase("POST", "/auth/password", SIGNED_IN),
    ],
    "auth.reset_request": [
        RouteCase("GET", "/auth/reset", PUBLIC),
        RouteCase("POST", "/auth/reset", PUBLIC),
    ],
    "auth.reset_password": [RouteCase("GET", "/auth/reset/not-a-token", PUBLIC)],
}
