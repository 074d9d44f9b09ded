"""The admin domain's blueprint: site pages under /admin, course people under /courses."""

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")
