"""Hero images and headshots: which files are accepted, the pixel cap, renditions (made, replaced, failed) and
the migration that records renditions by storage name."""

import io
import struct
import zlib
from functools import cache
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from PIL import Image

from articles.models import Article
from authors.models import Author
from hubs.models import Hub
from mindlab import images
from mindlab.admin import SaveErrorsAdminMixin
from mindlab.uploads import WebImageField
from ops.http import admin_form_values


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media):
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def image(kind="JPEG", size=(1600, 800), name=None, mode="RGB", color=(20, 120, 110), **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, kind, **save_options)
    return SimpleUploadedFile(name or f"photo.{kind.lower()}", buffer.getvalue())


@cache
def huge_png():
    """A real 13,000 × 13,000 image (169 megapixels) that compresses to about 20 KB."""
    buffer = io.BytesIO()
    Image.new("1", (13_000, 13_000)).save(buffer, "PNG")
    return buffer.getvalue()


def png_claiming(width, height):
    """A PNG header that claims a size, followed by no picture at all: what a decompression bomb looks like
    to a reader that trusts it."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def add_hub(admin_client, hero):
    url = reverse("admin:hubs_hub_add")
    data = admin_form_values(admin_client.get(url).text, Hub)
    data.update(title="Upload Hub", slug="upload-hub", tagline="A tagline", hero_alt="A described picture",
                _publish="Approve and publish")
    return admin_client.post(url, {**data, "hero_image": hero})


def change_hub(admin_client, hub, **changes):
    url = reverse("admin:hubs_hub_change", args=[hub.pk])
    data = admin_form_values(admin_client.get(url).text, Hub)
    return admin_client.post(url, {**data, **changes})


def field_errors(response, field):
    return response.context_data["adminform"].form.errors.get(field, [])


# What is refused


@pytest.mark.parametrize("upload,message", [
    (image("EPS", (120, 60), "hero.eps"), ".eps is not accepted"),
    (image("PNG", name="hero.pdf"), ".pdf is not accepted"),
    (image("PNG", name="hero.xbm"), ".xbm is not accepted"),
    (SimpleUploadedFile("hero.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
     ".svg is not accepted"),
    (image("GIF", name="hero.gif"), ".gif is not accepted"),
    (SimpleUploadedFile("hero.jpg", b"Just some text, named like a photo."), "not a JPEG, PNG or WebP image"),
    (image("GIF", name="hero.png"), "not a JPEG, PNG or WebP image"),
    (image("EPS", (120, 60), "hero.jpg"), "not a JPEG, PNG or WebP image"),
    (image("PNG", name="hero.jpg"), "This file is a PNG image but its name ends in .jpg"),
    (image("JPEG", name="hero"), "a file without an extension is not accepted"),
], ids=["eps", "png-named-pdf", "png-named-xbm", "svg", "gif", "text-named-jpg", "gif-named-png", "eps-named-jpg",
        "png-named-jpg", "no-extension"])
def test_only_jpeg_png_and_webp_are_accepted_with_an_error_beside_the_field(admin_client, media, upload, message):
    response = add_hub(admin_client, upload)
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, "hero_image")), field_errors(response, "hero_image")
    assert not Hub.objects.exists() and stored_files(media) == []


def test_a_headshot_follows_the_same_rules(admin_client, media):
    url = reverse("admin:authors_author_add")
    data = admin_form_values(admin_client.get(url).text, Author)
    data.update(name="Dr. Ada Example", slug="ada-example", headshot_alt="Portrait")
    response = admin_client.post(url, {**data, "headshot": image("EPS", (80, 80), "face.eps")})
    assert ".eps is not accepted" in " ".join(field_errors(response, "headshot"))
    response = admin_client.post(url, {**data, "headshot": image("PNG", (400, 400), "face.png")})
    assert response.status_code == 302
    author = Author.objects.get(slug="ada-example")
    assert author.headshot.name.endswith(".png") and (author.headshot_width, author.headshot_height) == (400, 400)


def test_full_clean_and_a_plain_save_apply_the_same_rules(db, media, make_hub):
    article = Article(title="Checked", slug="checked", hero_alt="x", hero_image=image("PNG", name="hero.pdf"))
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["primary_hub", "author"])
    assert ".pdf is not accepted" in str(error.value.message_dict["hero_image"])
    with pytest.raises(ValidationError):  # a script that skips full_clean() cannot store it either
        make_hub(hero_image=image("PNG", name="hero.pdf"), hero_alt="x")
    assert stored_files(media) == [] and not Hub.objects.exists()


def test_a_stored_hero_is_not_read_again_when_the_page_is_edited(make_article, media, monkeypatch):
    article = make_article(hero_image=image(), hero_alt="A teal field")
    reads = []
    monkeypatch.setattr(FileSystemStorage, "open", lambda *args, **kwargs: reads.append(args))
    loaded = Article.objects.get(pk=article.pk)
    loaded.title = "Edited"
    loaded.full_clean()
    loaded.save()
    assert reads == []


# The pixel cap


def test_a_13000_pixel_square_image_is_refused_with_the_limit(admin_client, media):
    response = add_hub(admin_client, SimpleUploadedFile("huge.png", huge_png()))
    assert field_errors(response, "hero_image") == [
        "This image has too many pixels; images can have at most 40 megapixels (width × height). "
        "Make it smaller and upload it again."
    ]
    assert not Hub.objects.exists() and stored_files(media) == []


def test_the_pixel_cap_is_a_setting(admin_client, media, settings):
    settings.MAX_IMAGE_PIXELS = 1_000_000
    response = add_hub(admin_client, image("JPEG", (1200, 900)))
    assert field_errors(response, "hero_image")[0].startswith(
        "This image is 1,200 × 900 pixels; images can have at most 1 megapixels")
    assert add_hub(admin_client, image("JPEG", (1000, 1000))).status_code == 302


def test_an_image_past_pillows_own_bomb_limit_is_refused_not_a_500(admin_client, media):
    # 40,000 × 40,000 is past Pillow's decompression-bomb error; 10,000 × 10,000 past its warning, an error here.
    for width in (40_000, 10_000):
        response = add_hub(admin_client, SimpleUploadedFile("bomb.png", png_claiming(width, width)))
        assert response.status_code == 200
        assert "images can have at most 40 megapixels" in " ".join(field_errors(response, "hero_image"))
    assert stored_files(media) == []


# What is accepted, end to end


def rotated_jpeg():
    """Stored 1200 × 600, with EXIF orientation 6: shown turned a quarter, 600 wide and 1200 high."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return image("JPEG", (1200, 600), exif=exif.tobytes())


@pytest.mark.parametrize("upload,shown,widths", [
    (image("JPEG", (2400, 1200)), (2400, 1200), [480, 960, 1440]),
    (image("PNG", (1000, 500), mode="RGBA", color=(200, 30, 30, 0)), (1000, 500), [480, 960, 1000]),
    (image("WEBP", (1440, 720)), (1440, 720), [480, 960, 1440]),
    (rotated_jpeg(), (600, 1200), [480, 600]),
    (image("JPEG", (300, 200)), (300, 200), [300]),
], ids=["jpeg", "png-with-alpha", "webp", "exif-rotated-jpeg", "small-jpeg"])
def test_accepted_images_get_renditions_shown_on_the_page(admin_client, client, media, upload, shown, widths):
    assert add_hub(admin_client, upload).status_code == 302
    hub = Hub.objects.get(slug="upload-hub")
    assert (hub.hero_width, hub.hero_height) == shown
    sizes = hub.hero_renditions["sizes"]
    assert [size["width"] for size in sizes] == widths
    for size in sizes:
        with default_storage.open(size["name"]) as stored, Image.open(stored) as rendition:
            assert rendition.format == "WEBP" and rendition.width == size["width"]
            assert rendition.height == round(shown[1] * size["width"] / shown[0])
            if upload.name.endswith(".png"):
                assert rendition.mode == "RGBA" and rendition.getpixel((0, 0))[3] == 0  # transparency kept
    html = client.get(hub.get_absolute_url()).text
    srcset = ", ".join(f"/media/{size['name']} {size['width']}w" for size in sizes)
    assert f'src="/media/{sizes[-1]["name"]}"' in html and f'srcset="{srcset}"' in html
    assert f'width="{shown[0]}" height="{shown[1]}"' in html
    assert change_hub(admin_client, hub, title="Edited").status_code == 302  # an edit keeps all of it
    edited = Hub.objects.get(pk=hub.pk)
    assert (edited.hero_width, edited.hero_height, edited.hero_renditions) == (*shown, hub.hero_renditions)


def test_the_file_picker_offers_only_the_accepted_kinds(admin_client):
    for url in (reverse("admin:hubs_hub_add"), reverse("admin:articles_article_add"),
                reverse("admin:authors_author_add")):
        assert 'accept="image/jpeg,image/png,image/webp"' in admin_client.get(url).text, url


def test_a_wide_original_is_never_offered_to_browsers_but_is_shared(admin_client, client, media, settings):
    add_hub(admin_client, image("JPEG", (4000, 2000)))
    hub = Hub.objects.get(slug="upload-hub")
    html = client.get(hub.get_absolute_url()).text
    original = hub.hero_image.url
    tag = html[html.index('<img class="hero-image"'):]
    tag = tag[:tag.index(">")]
    assert original not in tag and tag.count("w, ") == 2 and "1440w" in tag and "4000w" not in tag
    # Sharing cards and structured data name the original: a JPEG, PNG or WebP within the upload limits.
    assert f'<meta property="og:image" content="{settings.SITE_URL}{original}">' in html


# Failures while making renditions


def test_a_damaged_image_that_passes_the_header_check_is_a_form_error(admin_client, media):
    whole = image("JPEG", (1600, 800)).read()
    response = add_hub(admin_client, SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2]))
    assert response.status_code == 200
    assert images.DAMAGED in field_errors(response, "hero_image")
    assert not Hub.objects.exists() and stored_files(media) == []


def test_a_failure_while_resizing_is_a_form_error_with_no_row_or_file(admin_client, media, monkeypatch):
    def fail(*args):
        raise OSError("decoder error -2")

    monkeypatch.setattr(images, "_resize", fail)
    response = add_hub(admin_client, image())
    assert response.status_code == 200 and images.DAMAGED in field_errors(response, "hero_image")
    assert "Please correct the error below." in response.text
    assert not Hub.objects.exists() and stored_files(media) == []


@pytest.mark.parametrize("failing", ["the original", "a rendition"])
def test_a_storage_failure_is_a_form_error_with_no_row_or_file(admin_client, media, monkeypatch, failing):
    save = FileSystemStorage.save

    def flaky_save(storage, name, content, max_length=None):
        if failing == "the original" or name.endswith("w.webp") and "960" in name:
            raise OSError("No space left on device")
        return save(storage, name, content, max_length)

    monkeypatch.setattr(FileSystemStorage, "save", flaky_save)
    response = add_hub(admin_client, image())
    assert response.status_code == 200
    assert field_errors(response, "hero_image") == [
        "The image could not be stored just now, so nothing was saved. Try again in a minute."
    ]
    assert not Hub.objects.exists() and stored_files(media) == []


def test_a_failed_replacement_keeps_the_page_as_it_was(admin_client, media, make_hub, monkeypatch):
    hub = make_hub(hero_image=image(), hero_alt="Before")
    before = (hub.hero_image.name, hub.hero_renditions, stored_files(media))
    monkeypatch.setattr(images, "_resize", lambda *args: 1 / 0)
    response = change_hub(admin_client, hub, hero_image=image("PNG"), hero_alt="After", title="Renamed")
    assert images.DAMAGED in field_errors(response, "hero_image")
    hub.refresh_from_db()
    assert (hub.hero_image.name, hub.hero_renditions, stored_files(media)) == before
    assert (hub.hero_alt, hub.title) != ("After", "Renamed")


def test_every_admin_of_a_model_with_an_image_field_shows_save_errors_beside_the_field():
    with_images = [model for model in apps.get_models()
                   if any(isinstance(field, WebImageField) for field in model._meta.fields)]
    assert {model.__name__ for model in with_images} >= {"Article", "Hub", "Author"}
    for model in with_images:
        assert isinstance(admin.site.get_model_admin(model), SaveErrorsAdminMixin), model


# Replacing and clearing


def test_replacing_a_hero_deletes_its_old_renditions_and_keeps_the_original(admin_client, media, make_hub,
                                                                           django_capture_on_commit_callbacks):
    hub = make_hub(hero_image=image(), hero_alt="First")
    first, first_renditions = hub.hero_image.name, [size["name"] for size in hub.hero_renditions["sizes"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert change_hub(admin_client, hub, hero_image=image("PNG", (1500, 700))).status_code == 302
    hub.refresh_from_db()
    second, new = hub.hero_image.name, [size["name"] for size in hub.hero_renditions["sizes"]]
    assert stored_files(media) == sorted([first, second, *new])  # the old renditions are gone, both originals kept
    assert not set(first_renditions) & set(new)
    with django_capture_on_commit_callbacks(execute=True):
        assert change_hub(admin_client, hub, **{"hero_image-clear": "on", "hero_alt": ""}).status_code == 302
    hub.refresh_from_db()
    assert not hub.hero_image and hub.hero_renditions == {} and hub.hero_width is None
    assert stored_files(media) == sorted([first, second])


def test_restoring_a_version_with_an_earlier_hero_makes_its_renditions_again(admin_client, client, media, make_hub,
                                                                             django_capture_on_commit_callbacks):
    hub = make_hub(hero_image=image(), hero_alt="First")
    first_version = hub.history.earliest()
    first_sizes = hub.hero_renditions["sizes"]
    with django_capture_on_commit_callbacks(execute=True):
        change_hub(admin_client, hub, hero_image=image("PNG", (1500, 700)))
    assert not default_storage.exists(first_sizes[0]["name"])
    url = reverse("admin:hubs_hub_restore_version", args=[hub.pk, first_version.history_id])
    assert admin_client.post(url).status_code == 302
    revision = hub.revisions.get()  # a published hub is restored into its pending revision
    assert revision.hero_image.name == first_version.hero_image != Hub.objects.get(pk=hub.pk).hero_image.name
    with django_capture_on_commit_callbacks(execute=True):
        revision.approve()
    hub.refresh_from_db()
    assert hub.hero_image.name == first_version.hero_image
    assert all(default_storage.exists(size["name"]) for size in hub.hero_renditions["sizes"])
    assert f"/media/{hub.hero_renditions['sizes'][-1]['name']} 1440w" in client.get(hub.get_absolute_url()).text


def test_a_restore_whose_hero_cannot_be_read_changes_nothing(admin_client, media, make_hub):
    hub = make_hub(hero_image=image(), hero_alt="First")
    first_version = hub.history.earliest()
    change_hub(admin_client, hub, hero_image=image("PNG", (1500, 700)), title="Second")
    default_storage.delete(first_version.hero_image)  # an operator tidied the storage by hand
    url = reverse("admin:hubs_hub_restore_version", args=[hub.pk, first_version.history_id])
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200 and f"Not restored: {images.DAMAGED}" in response.text
    assert Hub.objects.get(pk=hub.pk).title == "Second" and hub.history.count() == 2
    assert not hub.revisions.exists()  # the revision the restore opened went with it


def test_editing_a_page_keeps_its_renditions_untouched(make_article, media):
    article = make_article(hero_image=image(), hero_alt="A teal field")
    before = (article.hero_renditions, stored_files(media))
    article.title = "Edited"
    article.save()
    article.refresh_from_db()
    assert (article.hero_renditions, stored_files(media)) == before


# Renditions recorded by storage name: the migration from URLs


def migrate_renditions():
    loader = MigrationLoader(connection)
    state = loader.project_state(("articles", "0012_hero_renditions_by_name"))
    import_module("articles.migrations.0012_hero_renditions_by_name").names_not_urls(state.apps, None)


def test_migration_records_renditions_by_name_and_pages_print_the_same_srcset(make_article, make_hub, media):
    legacy = "heroes/2025/My Photo.jpg"  # an upload from before generated names: its URL is quoted
    narrow = {"source": legacy, "sizes": [
        {"width": 480, "url": "/media/heroes/2025/My%20Photo-480w.webp"},
        {"width": 960, "url": "/media/heroes/2025/My%20Photo-960w.webp"},
        {"width": 1200, "url": "/media/heroes/2025/My%20Photo.jpg"},
    ]}
    wide = {"source": "heroes/2026/ab.jpg", "sizes": [
        *({"width": width, "url": f"/media/heroes/2026/ab-{width}w.webp"} for width in (480, 960, 1440)),
        {"width": 13000, "url": "/media/heroes/2026/ab.jpg"},
    ]}
    article = make_article()
    hub = make_hub()
    Article.objects.filter(pk=article.pk).update(hero_image=legacy, hero_renditions=narrow, hero_width=1200,
                                                 hero_height=600)
    Hub.objects.filter(pk=hub.pk).update(hero_image="heroes/2026/ab.jpg", hero_renditions=wide, hero_width=13000,
                                         hero_height=9000)
    migrate_renditions()
    article, hub = Article.objects.get(pk=article.pk), Hub.objects.get(pk=hub.pk)
    assert article.hero_renditions["sizes"][0] == {"width": 480, "name": "heroes/2025/My Photo-480w.webp"}
    assert article.hero_srcset == ", ".join(f"{size['url']} {size['width']}w" for size in narrow["sizes"])
    assert hub.hero_srcset == ", ".join(f"{size['url']} {size['width']}w" for size in wide["sizes"][:3])
    assert hub.hero_src == "/media/heroes/2026/ab-1440w.webp"
    migrate_renditions()  # a second run changes nothing
    assert Article.objects.get(pk=article.pk).hero_renditions == article.hero_renditions


def test_migration_empties_what_it_cannot_read_and_the_next_save_makes_it_again(make_hub, media):
    hub = make_hub(hero_image=image(), hero_alt="A teal field")
    Hub.objects.filter(pk=hub.pk).update(hero_renditions={"source": hub.hero_image.name, "sizes": [
        {"width": 480, "url": "https://old-cdn.example/heroes/x-480w.webp"}]})
    migrate_renditions()
    hub.refresh_from_db()
    assert hub.hero_renditions == {} and hub.hero_src == hub.hero_image.url  # the original until the next save
    hub.save()
    assert [size["width"] for size in Hub.objects.get(pk=hub.pk).hero_renditions["sizes"]] == [480, 960, 1440]
