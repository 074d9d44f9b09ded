"""The WSGI entry point: gunicorn 'wsgi:app'."""

from course_engine import create_app

app = create_app()
