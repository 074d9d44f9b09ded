"""Course engine: a self-hosted learning platform with every activity built in."""

import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask


def create_app(config: Mapping | None = None) -> Flask:
    """Create and wire the application; load nothing and touch no database."""
    config = dict(config or {})
    instance_path = Path(
        config.pop("INSTANCE_PATH", None)
        or os.environ.get("COURSE_ENGINE_INSTANCE")
        or Path.cwd() / "instance"
    ).resolve()
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True)

    from course_engine.config import load_config

    app.config.update(load_config(instance_path, config.pop("ENV_VARS", None)))
    app.config.update(config)

    from course_engine import database, errors, inputs, logs, models, security  # noqa: F401 - models fill the metadata

    logs.configure(app)
    from course_engine.extensions import bootstrap, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    # Every limit sits on its route and its decorator checks it; the hook
    # Flask-Limiter adds before every request only looks for app-wide limits,
    # of which there are none, and costs each page a few percent of its time.
    # Flask-Limiter has no public switch for it, so the version is pinned to a
    # minor release and tests/auth/test_rate_limits_wiring.py checks the hook is gone.
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)
    bootstrap.init_app(app)
    errors.register(app)
    security.register(app)
    inputs.register(app)

    from course_engine import blueprints, compression, jobs, static_files
    from course_engine.health import metrics
    from course_engine.notifications import services as notifications

    blueprints.register(app)
    static_files.register(app)
    compression.register(app)
    metrics.register(app)
    notifications.listen_to_commits()
    jobs.listen_to_commits()
    return app
