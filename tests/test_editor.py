"""The admin's writing desk on the server: the Markdown editor on article and hub forms, its preview endpoint
(the site's renderer, staff only, CSRF-checked) and "New article from a Word file"."""

import io
import re
import zipfile

import docx
import pytest
from django.test import Client
from django.urls import reverse
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from articles.models import Article

PREVIEW = reverse("admin:articles_article_markdown_preview")
IMPORT = reverse("admin:articles_article_import_word")
BODY = ("Opening.\n\n## Why sleep?\n\nIt **files** the *day*.\n\n- one\n- two\n\n> A quote.\n\n"
        "[A study](https://example.org/s)\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))")


def word_file(title="Sleep and the Anxious Brain", with_link=True):
    """A .docx as Word writes one: a title heading, a section heading, bold and italics, both kinds of list
    and a link."""
    document = docx.Document()
    if title:
        document.add_heading(title, level=1)
    paragraph = document.add_paragraph("Sleep is ")
    paragraph.add_run("essential").bold = True
    paragraph.add_run(" and ")
    paragraph.add_run("restorative").italic = True
    paragraph.add_run(".")
    document.add_heading("What happens at night", level=2)
    document.add_paragraph("First point", style="List Bullet")
    document.add_paragraph("Second point", style="List Bullet")
    document.add_paragraph("Step one", style="List Number")
    document.add_paragraph("Step two", style="List Number")
    if with_link:
        paragraph = document.add_paragraph("Read the ")
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), paragraph.part.relate_to("https://example.org/study", RELATIONSHIP_TYPE.HYPERLINK,
                                                      is_external=True))
        run, text = OxmlElement("w:r"), OxmlElement("w:t")
        text.text = "sleep study"
        run.append(text)
        link.append(run)
        paragraph._p.append(link)
        paragraph.add_run(".")
    file = io.BytesIO()
    document.save(file)
    file.seek(0)
    return file


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# The editor on the forms


@pytest.mark.django_db
def test_article_body_is_a_markdown_editor_with_its_preview_address(admin_client):
    page = admin_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'data-markdown-editor' in page and f'data-preview-url="{PREVIEW}"' in page
    assert 'name="body"' in page and "vendor/easymde/easymde.min.js" in page and "js/admin-form.js" in page
    # Under the admin's CSP every script is a file (or JSON data, which no browser runs).
    assert all("src=" in tag or 'type="application/json"' in tag for tag in re.findall(r"<script[^>]*>", page))


@pytest.mark.django_db
def test_hub_intro_and_body_are_markdown_editors(admin_client):
    page = admin_client.get(reverse("admin:hubs_hub_add")).content.decode()
    assert page.count("data-markdown-editor") == 2
    assert f'data-preview-url="{reverse("admin:hubs_hub_markdown_preview")}"' in page


# The preview endpoint


@pytest.mark.django_db
def test_preview_is_the_published_pages_body(admin_client, make_article, client):
    article = make_article(body=BODY)
    response = admin_client.post(PREVIEW, {"text": BODY})
    assert response.status_code == 200
    preview = response.json()
    assert preview["html"] == article.body_html
    assert preview["html"] in client.get(article.get_absolute_url()).content.decode()
    assert preview["words"] == article.word_count and preview["reading_minutes"] == 1


@pytest.mark.django_db
def test_preview_is_sanitised(admin_client):
    html = admin_client.post(PREVIEW, {"text": BODY}).json()["html"]
    assert "<script" not in html and "javascript:" not in html
    assert '<h2 id="why-sleep">Why sleep?</h2>' in html and "<strong>files</strong>" in html


@pytest.mark.django_db
def test_preview_is_for_signed_in_staff_only(client, django_user_model):
    assert client.post(PREVIEW, {"text": "Hi"}).status_code == 302  # to the sign-in page
    django_user_model.objects.create_user("reader", password="pw-for-tests")
    client.force_login(django_user_model.objects.get(username="reader"))
    assert client.post(PREVIEW, {"text": "Hi"}).status_code == 302


@pytest.mark.django_db
def test_preview_needs_permission_on_the_model(client, django_user_model):
    django_user_model.objects.create_user("triage", password="pw-for-tests", is_staff=True)
    client.force_login(django_user_model.objects.get(username="triage"))
    assert client.post(PREVIEW, {"text": "Hi"}).status_code == 403


@pytest.mark.django_db
def test_preview_is_post_only_and_checks_the_csrf_token(admin_user, make_staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_staff("Editors"))
    assert browser.get(PREVIEW).status_code == 405
    assert browser.post(PREVIEW, {"text": "Hi"}).status_code == 403
    browser.get(reverse("admin:articles_article_add"))  # sets the CSRF cookie, as opening the form does
    token = browser.cookies["csrftoken"].value
    response = browser.post(PREVIEW, {"text": "Hi *there*"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.json()["html"] == "<p>Hi <em>there</em></p>"


# New article from a Word file


@pytest.mark.django_db
def test_word_file_becomes_a_draft_with_its_structure(admin_client, make_hub, make_author):
    hub, author = make_hub(), make_author()
    response = admin_client.post(IMPORT, {
        "file": upload("sleep.docx", word_file().read()), "primary_hub": hub.pk, "author": author.pk})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:articles_article_change", args=[article.pk])
    assert article.status == Article.Status.DRAFT and not article.is_published
    assert article.title == "Sleep and the Anxious Brain" and article.slug == "sleep-and-the-anxious-brain"
    assert (article.primary_hub, article.author) == (hub, author)
    assert article.history.get().history_change_reason == "Imported from sleep.docx"
    assert article.body == (
        "Sleep is **essential** and *restorative*.\n\n## What happens at night\n\n- First point\n- Second point\n\n"
        "1. Step one\n2. Step two\n\nRead the [sleep study](https://example.org/study).\n")
    assert "<h2" in article.body_html and "<ol>" in article.body_html and '<a href="https://example.org/study"' in (
        article.body_html)
    page = admin_client.get(response["Location"]).content.decode()
    assert "Draft “Sleep and the Anxious Brain” created from sleep.docx" in page


@pytest.mark.django_db
def test_word_file_without_a_heading_takes_its_file_name_and_a_free_slug(admin_client, make_article):
    taken = make_article(title="Evening light", slug="evening-light")
    admin_client.post(IMPORT, {"file": upload("evening_light.docx", word_file(title=None).read()),
                               "primary_hub": taken.primary_hub.pk, "author": taken.author.pk})
    article = Article.objects.exclude(pk=taken.pk).get()
    assert (article.title, article.slug) == ("evening light", "evening-light-2")
    assert article.body.startswith("Sleep is **essential**")


@pytest.mark.parametrize("name, content, message", [
    ("notes.docx", b"just some text", "could not be read as a Word document"),
    ("old.doc", b"\xd0\xcf\x11\xe0 an old Word file", "Choose a .docx file"),
    ("empty.docx", b"", "The submitted file is empty"),
])
@pytest.mark.django_db
def test_a_bad_word_file_is_a_form_error_and_nothing_is_saved(admin_client, make_hub, make_author, name, content,
                                                              message):
    response = admin_client.post(IMPORT, {"file": upload(name, content), "primary_hub": make_hub().pk,
                                          "author": make_author().pk})
    assert response.status_code == 200
    assert message in response.content.decode() and "Nothing was saved" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_zip_that_is_no_word_file_is_refused(admin_client, make_hub, make_author):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("content.xml", "<office:document/>")  # an OpenDocument file renamed
    response = admin_client.post(IMPORT, {"file": upload("renamed.docx", archive.getvalue()),
                                          "primary_hub": make_hub().pk, "author": make_author().pk})
    assert "could not be read as a Word document" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_word_import_is_offered_to_those_who_may_add_articles(admin_client, client, django_user_model):
    changelist = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "New article from a Word file" in changelist
    django_user_model.objects.create_user("viewer", password="pw-for-tests", is_staff=True)
    client.force_login(django_user_model.objects.get(username="viewer"))
    assert client.get(IMPORT).status_code == 403
