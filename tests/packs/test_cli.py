"""`course-engine pack ...` on the command line, including a killed import."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import create_engine, func, select

from bench.synthetic import write_pack
from course_engine import create_app
from course_engine.courses.models import Course, Item
from course_engine.extensions import db
from course_engine.packs.cli import pack_cli
from tests.conftest import EXAMPLE_PACK, ROOT, TEST_DATABASE_URL
from tests.packs.conftest import zip_folder


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(pack_cli, list(args), catch_exceptions=False)

    return invoke


def test_validate_a_good_pack(run):
    result = run("validate", str(EXAMPLE_PACK))
    assert result.exit_code == 0
    assert "The pack is valid." in result.output


def test_validate_reports_each_problem_and_exits_1(run, pack_copy):
    folder = pack_copy(replace=("file: lessons/welcome.md", "file: lessons/gone.md"))
    result = run("validate", str(folder))
    assert result.exit_code == 1
    assert "course.yaml:18: missing file 'lessons/gone.md'" in result.output
    assert "1 problem(s) found" in result.output


def test_dry_run_prints_what_would_change_and_changes_nothing(run):
    result = run("import", str(EXAMPLE_PACK), "--dry-run")
    assert result.exit_code == 0
    assert "added welcome" in result.output
    assert "Dry run: nothing was changed." in result.output
    assert db.session.scalar(select(func.count()).select_from(Course)) == 0


def test_import_and_export(run, tmp_path):
    assert run("import", str(EXAMPLE_PACK)).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Item)) == 7
    result = run("import", str(EXAMPLE_PACK))
    assert "example-course: unchanged" in result.output
    out = tmp_path / "out.zip"
    assert run("export", "example-course", str(out)).exit_code == 0
    assert out.stat().st_size > 0
    assert run("validate", str(out)).exit_code == 0


def test_import_of_a_zip(run, pack_copy, tmp_path):
    archive = zip_folder(pack_copy(), tmp_path / "pack.zip")
    assert run("import", str(archive)).exit_code == 0


def test_bad_zip_exits_1_with_a_one_line_reason(run, tmp_path):
    archive = tmp_path / "bad.zip"
    archive.write_bytes(b"this is not a zip")
    result = run("import", str(archive))
    assert result.exit_code == 1
    assert result.output.strip() == "bad.zip: not a zip file"


def test_export_of_a_missing_course(run, tmp_path):
    result = run("export", "nowhere", str(tmp_path / "x.zip"))
    assert result.exit_code == 1
    assert "There is no course 'nowhere'." in result.output


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="runs against its own SQLite file")
def test_killed_import_leaves_no_half_built_course_and_a_rerun_succeeds(tmp_path):
    pack = write_pack(tmp_path / "big", course_id="big", modules=40, lessons=25)
    env = {**os.environ, "COURSE_ENGINE_INSTANCE": str(tmp_path / "instance")}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-c", "from course_engine.cli import main; main()"]
    subprocess.run([*command, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    process = subprocess.Popen(
        [*command, "pack", "import", str(pack)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    engine = create_engine(f"sqlite:///{tmp_path / 'instance' / 'course_engine.db'}")
    with engine.connect() as connection:
        items = connection.scalar(select(func.count()).select_from(Item.__table__))
        courses = connection.scalar(select(func.count()).select_from(Course.__table__))
    assert (courses, items) in {(0, 0), (1, 1000)}
    finished = subprocess.run(
        [*command, "pack", "import", str(pack)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Item.__table__)) == 1000
    engine.dispose()


def test_two_imports_of_the_same_pack_at_once_give_one_course(app, database_url, tmp_path):
    from course_engine.packs.services import import_folder

    errors = []
    # Two processes' apps, built before the threads start: each has its own engine.
    workers = [
        create_app(
            {"INSTANCE_PATH": tmp_path / f"w{number}", "ENV_VARS": {"DATABASE_URL": database_url}}
        )
        for number in range(2)
    ]
    barrier = threading.Barrier(2)

    def import_once(worker):
        with worker.app_context():
            barrier.wait()
            try:
                import_folder(EXAMPLE_PACK)
                db.session.commit()
            except Exception as error:  # the test records which import lost
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()
                db.engine.dispose()

    threads = [threading.Thread(target=import_once, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Course)) == 1
    assert db.session.scalar(select(func.count()).select_from(Item)) == 7
    assert len(errors) <= 1


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="runs against its own SQLite file")
@pytest.mark.parametrize("command", ["validate", "import"])
def test_a_database_not_yet_migrated_gets_the_next_step_not_a_traceback(tmp_path, command):
    fresh = create_app({"INSTANCE_PATH": tmp_path, "ENV_VARS": {}, "SECRET_KEY": "x"})
    with fresh.app_context():
        result = fresh.test_cli_runner().invoke(pack_cli, [command, str(EXAMPLE_PACK)])
        db.engine.dispose()
    assert result.exit_code == 1
    assert "run `course-engine db upgrade` first" in result.output
