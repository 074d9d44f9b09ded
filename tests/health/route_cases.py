from tests.support.routes import DENY, PUBLIC, ROLES, RouteCase

CASES = {
    "health.healthz": [RouteCase("GET", "/healthz", PUBLIC)],
    "health.readyz": [RouteCase("GET", "/readyz", PUBLIC)],
    # Only a scraper holding METRICS_TOKEN gets metrics; no role does.
    "health.metrics": [RouteCase("GET", "/metrics", dict.fromkeys(ROLES, DENY))],
}
