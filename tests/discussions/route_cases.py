from sqlalchemy import select

from course_engine.discussions.models import Attachment, Post
from course_engine.discussions.services.posting import Upload
from course_engine.discussions.services.subscriptions import unsubscribe_token
from course_engine.extensions import db
from tests.discussions import factories
from tests.support.routes import COURSE_MEMBER, COURSE_STAFF, PUBLIC, SIGNED_IN, RouteCase

C = "/courses/example-course"
D = f"{C}/discussions"
# Only the learner who wrote the post may edit or withdraw it.
AUTHOR_ONLY = {
    **COURSE_STAFF,
    "learner": "allow",
    "facilitator": "deny (404)",
    "admin": "deny (404)",
}


def _made(world) -> dict:
    thread = factories.thread(
        world["learner"], body="A post about services", upload=Upload("a.png", factories.PNG)
    )
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    report = factories.report(world["peer_reviewer"], post)
    return {
        "forum_id": thread.forum_id,
        "thread_id": thread.id,
        "post_id": post.id,
        "report_id": report.id,
        "attachment_id": db.session.scalar(select(Attachment.id)),
        "user_id": world["learner"].id,
        "token": unsubscribe_token(world["learner"].id, thread_id=thread.id),
    }


def case(method, path, access, data=None):
    return RouteCase(method, path, access, _made, data or {})


CASES = {
    "discussions.index": [case("GET", f"{D}/", COURSE_MEMBER)],
    "discussions.item_forum": [case("GET", f"{D}/items/introductions", COURSE_MEMBER)],
    "discussions.forum": [case("GET", D + "/forums/{forum_id}", COURSE_MEMBER)],
    "discussions.new_thread": [
        case("GET", D + "/forums/{forum_id}/new", COURSE_MEMBER),
        case("POST", D + "/forums/{forum_id}/new", COURSE_MEMBER, {"title": "T", "body": "B"}),
    ],
    "discussions.forum_subscription": [
        case("POST", D + "/forums/{forum_id}/subscription", COURSE_MEMBER, {"subscribe": "1"})
    ],
    "discussions.search": [case("GET", f"{D}/search?q=services", COURSE_MEMBER)],
    "discussions.thread": [case("GET", D + "/threads/{thread_id}", COURSE_MEMBER)],
    "discussions.reply": [
        case("POST", D + "/threads/{thread_id}/reply", COURSE_MEMBER, {"body": "R"})
    ],
    "discussions.thread_subscription": [
        case("POST", D + "/threads/{thread_id}/subscription", COURSE_MEMBER, {"subscribe": "0"})
    ],
    "discussions.edit_post": [
        case("GET", D + "/posts/{post_id}/edit", AUTHOR_ONLY),
        case("POST", D + "/posts/{post_id}/edit", AUTHOR_ONLY, {"body": "Changed"}),
    ],
    "discussions.withdraw_post": [
        case("GET", D + "/posts/{post_id}/withdraw", AUTHOR_ONLY),
        case("POST", D + "/posts/{post_id}/withdraw", AUTHOR_ONLY),
    ],
    "discussions.report_post": [
        case("GET", D + "/posts/{post_id}/report", COURSE_MEMBER),
        case("POST", D + "/posts/{post_id}/report", COURSE_MEMBER, {"reason": "Spam"}),
    ],
    "discussions.attachment": [case("GET", D + "/attachments/{attachment_id}", COURSE_MEMBER)],
    "discussions.moderate_thread": [
        case("POST", D + "/threads/{thread_id}/moderate", COURSE_STAFF, {"action": "pin"})
    ],
    "discussions.moderate_post": [
        case("POST", D + "/posts/{post_id}/moderate", COURSE_STAFF, {"action": "hide"})
    ],
    "discussions.reports": [case("GET", f"{D}/reports", COURSE_STAFF)],
    "discussions.resolve_report": [case("POST", D + "/reports/{report_id}/resolve", COURSE_STAFF)],
    "discussions.group_list": [case("GET", f"{C}/groups", COURSE_STAFF)],
    "discussions.assign_group": [case("POST", f"{C}/groups/assign", COURSE_STAFF, {"group": "A"})],
    "discussions.upload_groups": [case("POST", f"{C}/groups/upload", COURSE_STAFF)],
    "discussions.settings": [
        case("GET", "/discussions/settings", SIGNED_IN),
        case("POST", "/discussions/settings", SIGNED_IN, {"digest": "daily"}),
    ],
    "discussions.revoke_unsubscribe_links": [
        case("POST", "/discussions/settings/unsubscribe-links", SIGNED_IN)
    ],
    "discussions.confirm_unsubscribe": [case("GET", "/discussions/unsubscribe/{token}", PUBLIC)],
    "discussions.unsubscribe": [case("POST", "/discussions/unsubscribe/{token}", PUBLIC)],
}
