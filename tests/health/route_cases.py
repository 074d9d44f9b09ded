from tests.support.routes import PUBLIC, RouteCase

CASES = {
    "health.healthz": [RouteCase("GET", "/healthz", PUBLIC)],
    "health.readyz": [RouteCase("GET", "/readyz", PUBLIC)],
}
