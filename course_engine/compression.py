"""Pages sent compressed, gzip or brotli as the browser accepts; downloads as they are."""

from flask import Flask, Response
from flask_compress import Compress

compress = Compress()

SETTINGS = {
    # Only pages: static files come precompressed (static_files.py), and CSV
    # and other downloads are sent untouched.
    "COMPRESS_MIMETYPES": ["text/html"],
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_MIN_SIZE": 1024,
    # A streamed response is sent as it is made; compressing it would hold it back.
    "COMPRESS_STREAMS": False,
    # Called from _compress_page, which leaves downloads out.
    "COMPRESS_REGISTER": False,
}


def _compress_page(response: Response) -> Response:
    # Every download (downloads.file_response) says how to save it; an HTML
    # file a learner uploaded is one of them and goes out byte for byte.
    if "Content-Disposition" in response.headers:
        return response
    return compress.after_request(response)


def register(app: Flask) -> None:
    """Compress HTML pages above a small size."""
    for name, value in SETTINGS.items():
        app.config.setdefault(name, value)
    compress.init_app(app)
    app.after_request(_compress_page)
