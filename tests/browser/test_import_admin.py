"""A Reviewer imports a small library from the admin in Chromium: finds "Import content" on the admin index,
uploads a .zip, reads the dry run (a failure and a draft note among the lines), imports, opens what was created.
On a 390 px phone the same dry run, then Cancel. Screenshots for docs/editors.md go to docs/images/import-*.png."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User

from articles.models import Article
from tests.test_import_admin import library_files as good_files
from tests.test_import_admin import markdown, zipped
from transfer.admin_import import PERMISSIONS

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def library():
    files = good_files(broken=True)
    files["library/articles/calm-breathing.md"] = markdown({
        "type": "article", "title": "Calm breathing in two minutes", "slug": "calm-breathing", "hub": "sleep",
        "author": "sydney", "status": "published",
    }, "Breathe out for longer than you breathe in.")
    return zipped(files)


def reviewer():
    """A Reviewer with the permissions an import needs (a transactional test before this one emptied the groups)."""
    group = Group.objects.get_or_create(name="Reviewers")[0]
    for name in PERMISSIONS:
        app_label, codename = name.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user = User.objects.create_user("rita", password=PASSWORD, is_staff=True)
    user.groups.add(group)


def sign_in(page, site):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "rita")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(site + "/admin/")


def upload(page):
    page.set_input_files("#id_file", {"name": "library.zip", "mimeType": "application/zip", "buffer": library()})
    page.get_by_role("button", name="Upload and show the dry run").click()
    page.wait_for_selector("#import-summary")


def test_a_reviewer_uploads_reads_the_dry_run_and_imports(live_server, settings, tmp_path, open_page):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"
    reviewer()
    page, watch = open_page(width=1280, height=900)
    sign_in(page, live_server.url)
    page.get_by_role("link", name="Import content").first.click()
    page.wait_for_selector("#content_import_form")
    upload(page)
    summary = page.locator("#import-summary").inner_text()
    assert summary.startswith("Dry run, nothing saved: 5 would be created") and "1 failed" in summary
    assert page.locator(".import-row--failed").count() == 1
    assert "imported as a draft" in page.locator(".import-row--notes").inner_text()
    assert not Article.objects.exists()
    page.screenshot(path=IMAGES / "import-dry-run.png", full_page=True)

    page.get_by_role("button", name="Import").first.click()
    page.wait_for_selector("text=What the import did")
    assert page.locator("#import-summary").inner_text().startswith("5 created, 0 updated, 0 unchanged, 1 failed")
    assert list(settings.IMPORT_UPLOAD_DIR.iterdir()) == []
    page.screenshot(path=IMAGES / "import-done.png", full_page=True)
    page.get_by_role("link", name="library.zip:library/articles/sleep-resets.md").click()
    page.wait_for_selector("#article_form")
    assert page.locator("#id_title").input_value() == "How sleep resets the brain"
    assert Article.objects.get(slug="calm-breathing").status == "draft"
    assert watch.problems == []


def test_on_a_phone_the_dry_run_reads_and_cancel_discards(live_server, settings, tmp_path, open_page):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"
    reviewer()
    page, watch = open_page(width=390, height=844)
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/admin/transfer/contentimport/")
    upload(page)
    page.screenshot(path=IMAGES / "import-dry-run-390.png", full_page=True)
    page.get_by_role("button", name="Cancel").first.click()
    page.wait_for_selector("text=The upload library.zip was discarded; nothing was imported.")
    assert list(settings.IMPORT_UPLOAD_DIR.iterdir()) == [] and not Article.objects.exists()
    assert watch.problems == []
