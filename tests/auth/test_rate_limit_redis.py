"""Sign-in limits held in Redis apply across several app processes."""

import secrets

from course_engine import create_app
from course_engine.extensions import db
from tests.support.local_redis import needs_redis


@needs_redis
def test_failed_sign_ins_count_across_workers(app, make_user, tmp_path, database_url):
    user = make_user()
    prefix = f"test-{secrets.token_hex(6)}"

    def worker(name):
        return create_app(
            {
                "INSTANCE_PATH": tmp_path / name,
                "ENV_VARS": {
                    "DATABASE_URL": database_url,
                    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
                },
                "SECRET_KEY": "x",
                "WTF_CSRF_ENABLED": False,
                "PASSWORD_HASH_CHEAP": True,
                "RATELIMIT_KEY_PREFIX": prefix,
            }
        )

    first, second = worker("one"), worker("two")
    wrong = {"email": user.email, "password": "wrong password!"}
    for number in range(5):
        client = (first if number % 2 else second).test_client()
        assert client.post("/auth/login", data=wrong).status_code == 200
    blocked = first.test_client().post("/auth/login", data=wrong)
    assert blocked.status_code == 429
    assert second.test_client().post("/auth/login", data=wrong).status_code == 429
    for worker_app in (first, second):
        with worker_app.app_context():
            db.engine.dispose()
    from redis import Redis

    connection = Redis(host="127.0.0.1", port=6379)
    keys = list(connection.scan_iter(f"*{prefix}*"))
    assert keys, "the limits were not kept in Redis"
    for key in keys:
        connection.delete(key)
    connection.close()
