"""Admin → Import content (issue 19 §4): upload, the dry run's report, then Import or Cancel, on the commands' code
path with the commands' lines and errors."""

import io
import os
import time
import zipfile

import pytest
import yaml
from django.contrib.auth.models import Permission
from django.contrib.redirects.models import Redirect
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from PIL import Image as PILImage

from articles.models import Article
from authors.models import Author
from hubs.models import Hub
from media_library.models import Image
from mindlab.models import SiteSettings
from tests.test_import_wordpress import export, item, realistic
from transfer.admin import GONE
from transfer.models import WordPressPost

URL = "/admin/transfer/contentimport/"
CONFIRM = URL + "confirm/"
CANCEL = URL + "cancel/"
REFERENCE = {"doi": "10.1038/nrn3381", "authors": "Russo, S. J., & Nestler, E. J.", "year": 2013,
             "title": "The brain reward circuitry in mood disorders", "journal": "Nature Reviews Neuroscience"}


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"
    return settings.IMPORT_UPLOAD_DIR


@pytest.fixture
def reviewer(client, make_staff):
    client.force_login(make_staff("Reviewers"))
    return client


def markdown(fields, body=""):
    return f"---\n{yaml.safe_dump(fields, sort_keys=False)}---\n\n{body}\n".encode()


def jpeg(size=(1600, 800)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (20, 120, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


def library_files(broken=False):
    files = {
        "library/articles/sleep-resets.md": markdown({
            "type": "article", "title": "How sleep resets the brain", "slug": "sleep-resets", "hub": "sleep",
            "author": "sydney", "reviewer": "review-team", "last_reviewed": "2026-01-15", "status": "published",
            "references": [REFERENCE], "hero_image": "../images/night.jpg", "hero_alt": "A dark bedroom",
        }, "Sleep clears the day.\n\n## Why does it matter?\n\nIt does."),
        "library/hubs/sleep.md": markdown({"type": "hub", "title": "Sleep", "slug": "sleep", "status": "published",
                                          "author": "sydney"}, "## What sleep does\n\nA pillar essay."),
        "library/authors/sydney.md": markdown({"type": "author", "name": "Sydney Ceruto", "slug": "sydney"}, "A bio."),
        "library/authors/review-team.md": markdown({"type": "author", "name": "Clinical Review Team",
                                                    "slug": "review-team", "kind": "organisation"}),
        "library/images/night.jpg": jpeg(),
    }
    if broken:
        files["library/articles/broken.md"] = markdown({"type": "article", "title": "Broken", "slug": "broken",
                                                        "hub": "sleep", "author": "sydney", "colour": "red"})
    return files


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client, data, name="library.zip"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def confirm(client, response):
    return client.post(CONFIRM, {"token": response.context["upload"].token})


def report_lines(response):
    result = response.context["result"]
    return [line for outcome in result.report.outcomes for line in outcome.lines()] + [result.summary]


def waiting(folder):
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def counts():
    return {model.__name__: model.objects.count() for model in (Article, Hub, Author, Image, Redirect)}


NOTHING = {"Article": 0, "Hub": 0, "Author": 0, "Image": 0, "Redirect": 0}


@pytest.fixture
def no_rules(db):
    """WordPress posts carry no medical review or references: with the rules off, a published post stays published."""
    SiteSettings.objects.update_or_create(pk=1, defaults={"require_medical_review": False, "require_reference": False})


# The two steps


def test_the_dry_run_shows_each_files_line_and_saves_nothing(reviewer, folders):
    response = upload(reviewer, zipped(library_files()))
    assert response.status_code == 200
    page = response.content.decode()
    assert "library.zip:library/articles/sleep-resets.md" in page and ">create<" in page
    assert "Dry run, nothing saved: 4 would be created, 0 would be updated, 0 unchanged, 0 failed" in page
    assert 'value="Import"' in page and 'value="Cancel"' in page
    assert counts() == NOTHING
    assert waiting(folders) == [response.context["upload"].token]  # kept for the confirmation, outside media
    assert list(reviewer.session["content_imports"]) == [response.context["upload"].token]


def test_import_saves_the_same_file_links_the_pages_and_deletes_the_upload(reviewer, folders):
    dry = upload(reviewer, zipped(library_files()))
    response = confirm(reviewer, dry)
    assert response.status_code == 200
    article = Article.objects.get(slug="sleep-resets", draft_of=None)
    assert article.has_published_status and article.hero_image and Hub.objects.get(slug="sleep").has_published_status
    page = response.content.decode()
    assert "4 created, 0 updated, 0 unchanged, 0 failed, 0 imported as a draft." in page
    assert "Dry run" not in page
    assert reverse("admin:articles_article_change", args=[article.pk]) in page
    assert waiting(folders) == [] and reviewer.session["content_imports"] == {}
    again = upload(reviewer, zipped(library_files()))
    assert "0 would be created, 0 would be updated, 4 unchanged" in again.content.decode()


def test_the_report_is_the_commands_report_for_the_same_file(reviewer, tmp_path, monkeypatch):
    data = zipped(library_files(broken=True))
    (tmp_path / "library.zip").write_bytes(data)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_content", "library.zip", "--dry-run", stdout=out)
    response = upload(reviewer, data)
    assert report_lines(response) == out.getvalue().splitlines()


def test_a_bad_file_among_good_ones_fails_alone_with_its_problem(reviewer):
    dry = upload(reviewer, zipped(library_files(broken=True)))
    page = dry.content.decode()
    assert 'import-row--failed' in page and "library.zip:library/articles/broken.md" in page and "colour" in page
    assert "1 failed" in page
    done = confirm(reviewer, dry)
    assert done.status_code == 200 and "4 created, 0 updated, 0 unchanged, 1 failed" in done.content.decode()
    assert Article.objects.filter(slug="sleep-resets").exists() and not Article.objects.filter(slug="broken").exists()


def test_a_single_markdown_file_is_named_by_its_own_name(reviewer):
    response = upload(reviewer, markdown({"type": "author", "name": "Sydney Ceruto", "slug": "sydney"}), "sydney.md")
    assert report_lines(response)[0] == "sydney.md: create"
    assert Author.objects.count() == 0
    confirm(reviewer, response)
    assert Author.objects.get().name == "Sydney Ceruto"


# What cannot be imported: one clear line, nothing saved, nothing left waiting


@pytest.mark.parametrize("name, data, message", [
    ("library.zip", b"not a zip at all", "library.zip: not a readable .zip archive"),
    ("notes.docx", b"PK\x03\x04", "notes.docx is not a kind of file this page imports. Choose a .zip of Markdown "
                                  "files (with their images and audio), a single .md file, or a WordPress export"),
    ("export.xml", b"<rss><channel><title>Feed</title></channel></rss>",
     "export.xml: not a WordPress export (WXR): export it with WordPress&#x27;s Tools → Export; nothing was imported."),
    ("export.xml", b"<rss><channel>", "export.xml: not well-formed XML"),
    ("images.zip", zipped({"a.jpg": jpeg()}), "images.zip: holds no Markdown files (.md) and no WordPress export"),
    ("evil.zip", zipped({"../outside.md": b"---\ntype: author\n---\n"}), "a path outside the archive"),
])
def test_a_file_that_cannot_be_imported_is_a_form_error(reviewer, folders, name, data, message):
    response = upload(reviewer, data, name)
    assert response.status_code == 200
    assert message in response.content.decode() and "Nothing was imported." in response.content.decode()
    assert "result" not in response.context
    assert counts() == NOTHING and waiting(folders) == []


def test_a_file_above_the_limit_is_refused_with_the_limit(reviewer, settings, folders):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    response = upload(reviewer, os.urandom(1024 * 1024 + 1))
    assert "This file is larger than 1 MB" in response.content.decode()
    assert counts() == NOTHING and waiting(folders) == []


# WordPress


def test_a_wordpress_export_imports_with_its_lines_redirects_and_the_missing_images_note(reviewer, no_rules):
    dry = upload(reviewer, realistic().encode(), "export.xml")
    page = dry.content.decode()
    assert "Skipped (not articles):" in page and "old addresses would be redirected." in page
    assert "upload a .zip holding the export and its wp-content/uploads folder" in page
    assert counts() == NOTHING
    done = confirm(reviewer, dry)
    assert done.status_code == 200 and "newly redirected." in done.content.decode()
    # Its body image was not uploaded: that post fails alone, with the command's line; the others go in.
    assert "post 11 &quot;How sleep resets the brain&quot;" in done.content.decode()
    assert not Article.objects.filter(slug="sleep-resets").exists()
    assert Article.objects.filter(slug="calm-in-ten").exists() and WordPressPost.objects.count() == 3
    calm = Article.objects.get(slug="calm-in-ten", draft_of=None)
    assert reverse("admin:articles_article_change", args=[calm.pk]) in done.content.decode()
    assert Redirect.objects.exists()


def test_a_wordpress_zip_brings_its_uploads_and_reports_as_the_command_does(reviewer, no_rules, tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "wp-content/uploads/2024/03").mkdir(parents=True)
    (site / "wp-content/uploads/2024/03/brain.jpg").write_bytes(jpeg())
    (site / "wp-content/uploads/2024/03/brain-300x150.jpg").write_bytes(jpeg((300, 150)))
    (site / "export.xml").write_text(realistic())
    out = io.StringIO()
    monkeypatch.chdir(site)
    call_command("import_wordpress", "export.xml", "--uploads", "wp-content/uploads", "--dry-run", stdout=out)
    data = zipped({f"site/{path.relative_to(site)}": path.read_bytes() for path in site.rglob("*") if path.is_file()})
    dry = upload(reviewer, data, "old-blog.zip")
    assert report_lines(dry) == [line for line in out.getvalue().splitlines() if not line.startswith("Skipped")]
    assert "upload a .zip holding" not in dry.content.decode()
    confirm(reviewer, dry)
    assert Image.objects.filter(alt="A brain scan lit in teal").exists()


def test_a_zip_with_two_exports_asks_for_one_per_zip(reviewer):
    xml = export(item(11, "One", "one", "<p>One.</p>")).encode()
    response = upload(reviewer, zipped({"a.xml": xml, "b.xml": xml}), "two.zip")
    assert "two.zip: holds 2 .xml files: put one WordPress export in each .zip" in response.content.decode()
    assert counts() == NOTHING


# Who may import


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


@pytest.mark.parametrize("group", [None, "Editors"])
def test_staff_without_the_permissions_get_403_and_nothing_is_imported(client, make_staff, django_user_model,
                                                                       group, folders):
    user = make_staff(group) if group else django_user_model.objects.create_user("plain", is_staff=True)
    # The import permission alone is not enough for an Editor: an import publishes and records reviews.
    user.user_permissions.add(Permission.objects.get(codename="import_content"))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    response = upload(client, zipped(library_files()))
    assert response.status_code == 403 and "You may not import content" in response.content.decode()
    assert client.post(CONFIRM, {"token": "x" * 32}).status_code == 403
    assert counts() == NOTHING and waiting(folders) == []
    index = client.get("/admin/").content.decode()
    assert "Import content" not in index and "transfer-contentimport" not in index


def test_reviewers_and_superusers_may_import_and_find_the_page_on_the_index(reviewer, admin_client):
    for client in (reviewer, admin_client):
        assert client.get(URL).status_code == 200
        index = client.get("/admin/").content.decode()
        assert f'<a href="{URL}">Import content</a> — a .zip of Markdown files' in index  # the Editorial box
        assert 'id="transfer-contentimport"' in index  # the Import and export section


def test_the_form_is_csrf_protected(make_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff("Reviewers"))
    assert upload(client, zipped(library_files())).status_code == 403
    assert counts() == NOTHING


# The waiting upload


def test_a_forged_or_another_users_token_imports_nothing(reviewer, client, make_staff, folders):
    dry = upload(reviewer, zipped(library_files()))
    other = Client()
    other.force_login(make_staff("Reviewers"))
    for token in (dry.context["upload"].token, "A" * 32, "../../etc/passwd"):
        response = other.post(CONFIRM, {"token": token}, follow=True)
        assert response.status_code == 200 and GONE in response.content.decode()
    assert counts() == NOTHING and waiting(folders) == [dry.context["upload"].token]  # still the owner's


def test_an_upload_that_is_gone_asks_for_it_again(reviewer, folders):
    dry = upload(reviewer, zipped(library_files()))
    dry.context["upload"].delete()  # stale, or received by another app server
    response = confirm(reviewer, dry)
    assert response.status_code == 302
    assert GONE in reviewer.get(response.url).content.decode()
    assert counts() == NOTHING


def test_an_upload_older_than_an_hour_cannot_be_imported(reviewer, folders):
    dry = upload(reviewer, zipped(library_files()))
    hours_ago = time.time() - 2 * 60 * 60
    os.utime(dry.context["upload"].path, (hours_ago, hours_ago))
    response = confirm(reviewer, dry)
    assert response.status_code == 302 and GONE in reviewer.get(response.url).content.decode()
    assert counts() == NOTHING and waiting(folders) == []


def test_cancel_discards_the_upload_and_it_cannot_be_imported_after(reviewer, folders):
    dry = upload(reviewer, zipped(library_files()))
    response = reviewer.post(CANCEL, {"token": dry.context["upload"].token}, follow=True)
    assert "The upload library.zip was discarded; nothing was imported." in response.content.decode()
    assert waiting(folders) == []
    assert GONE in reviewer.post(CONFIRM, {"token": dry.context["upload"].token}, follow=True).content.decode()
    assert counts() == NOTHING


def test_a_second_confirm_imports_nothing_more(reviewer):
    dry = upload(reviewer, zipped(library_files()))
    confirm(reviewer, dry)
    response = confirm(reviewer, dry)
    assert response.status_code == 302 and Article.objects.count() == 1


def test_uploads_older_than_an_hour_are_removed_and_nothing_else(reviewer, folders):
    folders.mkdir(parents=True)
    stale, other = folders / ("s" * 32), folders / "not-ours"
    stale.mkdir()
    other.mkdir()
    hours_ago = time.time() - 2 * 60 * 60
    os.utime(stale, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    dry = upload(reviewer, zipped(library_files()))
    assert waiting(folders) == sorted([dry.context["upload"].token, "not-ours"])
