"""The ceiling: a bare Flask app rendering a template after one SQLite read."""

import sqlite3
import tempfile
from pathlib import Path

from flask import Flask, render_template_string

DATABASE = Path(tempfile.gettempdir()) / "course-engine-ceiling.db"
PAGE = "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1><p>{{ body }}</p>"

with sqlite3.connect(DATABASE) as connection:
    connection.execute(
        "CREATE TABLE IF NOT EXISTS pages (id INTEGER PRIMARY KEY, title TEXT, body TEXT)"
    )
    connection.execute("INSERT OR REPLACE INTO pages VALUES (1, 'A lesson', 'Some text.')")

app = Flask(__name__)


@app.get("/")
def page():
    """Render one row as a page."""
    with sqlite3.connect(DATABASE) as connection:
        title, body = connection.execute("SELECT title, body FROM pages WHERE id = 1").fetchone()
    return render_template_string(PAGE, title=title, body=body)
