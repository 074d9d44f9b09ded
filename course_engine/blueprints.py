"""The list of domain blueprints and command groups the app is built from."""

from flask import Flask


def register(app: Flask) -> None:
    """Register every domain's blueprint and CLI commands."""
    from course_engine.admin.cli import users_cli
    from course_engine.admin.views import bp as admin_bp
    from course_engine.auth.views import bp as auth_bp
    from course_engine.backup import backup_command, restore_command
    from course_engine.certificates.views import bp as certificates_bp
    from course_engine.courses.views import bp as courses_bp
    from course_engine.deliverables.views import bp as deliverables_bp
    from course_engine.discussions.cli import discussions_cli
    from course_engine.discussions.views import bp as discussions_bp
    from course_engine.gradebook.views import bp as gradebook_bp
    from course_engine.health.views import bp as health_bp
    from course_engine.jobs import worker_command
    from course_engine.live_sessions.views import bp as live_sessions_bp
    from course_engine.notifications.cli import notifications_cli
    from course_engine.packs import kinds
    from course_engine.packs.cli import pack_cli
    from course_engine.packs.views import bp as packs_bp
    from course_engine.peer_review.cli import peer_review_cli
    from course_engine.peer_review.views import bp as peer_review_bp
    from course_engine.quizzes.cli import quiz_cli
    from course_engine.quizzes.views import bp as quizzes_bp
    from course_engine.reports.views import bp as reports_bp
    from course_engine.storage import storage_cli
    from course_engine.surveys.views import bp as surveys_bp

    kinds.register_all()
    for blueprint in (
        auth_bp,
        courses_bp,
        admin_bp,
        packs_bp,
        quizzes_bp,
        discussions_bp,
        deliverables_bp,
        gradebook_bp,
        peer_review_bp,
        surveys_bp,
        live_sessions_bp,
        certificates_bp,
        reports_bp,
        health_bp,
    ):
        app.register_blueprint(blueprint)
    for command in (
        users_cli,
        pack_cli,
        quiz_cli,
        discussions_cli,
        notifications_cli,
        storage_cli,
        peer_review_cli,
        backup_command,
        restore_command,
        worker_command,
    ):
        app.cli.add_command(command)
    register_storage_owners()


def register_storage_owners() -> None:
    """Tell the file store which domains reference stored files."""
    from course_engine.certificates import files as certificate_files
    from course_engine.deliverables.services import stored_names
    from course_engine.discussions import storage as attachments
    from course_engine.storage import register_owner

    register_owner("deliverables", stored_names)
    register_owner("discussions", attachments.stored_names, folder=attachments.FOLDER)
    register_owner("certificates", certificate_files.stored_names, folder=certificate_files.FOLDER)
