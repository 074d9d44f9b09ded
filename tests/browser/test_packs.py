"""An admin imports a pack in the browser; a learner reads a lesson and sees progress."""

import pytest

from tests.browser.conftest import sign_in, sign_out
from tests.conftest import EXAMPLE_PACK
from tests.packs.conftest import zip_folder

pytestmark = pytest.mark.browser


def test_import_a_pack_then_learn_from_it(page, server, make_user, enrol, tmp_path):
    admin = make_user(is_admin=True)
    learner = make_user(name="Dwayne Learner")
    archive = zip_folder(EXAMPLE_PACK, tmp_path / "example.zip")

    sign_in(page, server, admin.email)
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Import and export course packs").click()
    page.get_by_label("Course pack (.zip)").set_input_files(str(archive))
    page.get_by_role("button", name="Check the pack").click()
    assert page.get_by_text("Added (7)").is_visible()
    page.get_by_role("button", name="Import now").click()
    assert page.get_by_text("example-course: 7 added, 0 changed, 0 archived").is_visible()
    sign_out(page)

    enrol(learner, "example-course")
    sign_in(page, server, learner.email)
    assert page.get_by_text("0 of 5 required items done").is_visible()
    page.get_by_role("link", name="Example course").click()
    page.get_by_role("link", name="Welcome").click()
    assert page.get_by_role("heading", name="What you will do").is_visible()
    page.get_by_role("button", name="Mark as done").click()
    assert page.get_by_text("Done", exact=True).is_visible()
    page.get_by_role("link", name="My courses").click()
    assert page.get_by_text("1 of 5 required items done").is_visible()
    assert page.locator("progress").first.get_attribute("value") == "1"
