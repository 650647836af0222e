"""import_wordpress: a WordPress export (WXR 1.2) written by the tests, with its uploads folder."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.redirects.models import Redirect
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image as PILImage

from articles.models import Article
from authors.models import Author
from hubs.models import Hub
from media_library.models import Image
from mindlab.models import SiteSettings
from transfer import wordpress
from transfer.models import WordPressPost

SITE = "https://old.example.com"
FUTURE = (timezone.now() + timedelta(days=30)).astimezone(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE = True
    return settings.MEDIA_ROOT


@pytest.fixture
def no_rules(db):
    """WordPress posts carry no medical review or references: with the rules off, a published post stays published."""
    SiteSettings.objects.update_or_create(pk=1, defaults={"require_medical_review": False, "require_reference": False})


def jpeg(size=(1600, 800)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (20, 120, 110)).save(buffer, "JPEG")
    return buffer.getvalue()


def item(post_id, title, slug, body, status="publish", date="2024-03-05 09:30:00", gmt="2024-03-05 08:30:00",
         creator="jane", categories=(("sleep", "Sleep"),), tags=(), meta=(), post_type="post", extra=""):
    terms = "".join(f'<category domain="category" nicename="{nice}"><![CDATA[{name}]]></category>'
                    for nice, name in categories)
    terms += "".join(f'<category domain="post_tag" nicename="{tag.lower()}"><![CDATA[{tag}]]></category>'
                     for tag in tags)
    metas = "".join(f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
                    f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>" for key, value in meta)
    return f"""
    <item>
      <title><![CDATA[{title}]]></title>
      <link>{SITE}/{date[:4]}/{date[5:7]}/{slug}/</link>
      <dc:creator><![CDATA[{creator}]]></dc:creator>
      <guid isPermaLink="false">{SITE}/?p={post_id}</guid>
      <content:encoded><![CDATA[{body}]]></content:encoded>
      <excerpt:encoded><![CDATA[]]></excerpt:encoded>
      <wp:post_id>{post_id}</wp:post_id>
      <wp:post_date><![CDATA[{date}]]></wp:post_date>
      <wp:post_date_gmt><![CDATA[{gmt}]]></wp:post_date_gmt>
      <wp:post_name><![CDATA[{slug}]]></wp:post_name>
      <wp:status><![CDATA[{status}]]></wp:status>
      <wp:post_type><![CDATA[{post_type}]]></wp:post_type>
      {extra}{terms}{metas}
    </item>"""


BODY = """<!-- wp:paragraph -->
<p>Sleep <strong>clears</strong> the day. <script>alert(1)</script></p>
<!-- /wp:paragraph -->
<h2>Why does it matter?</h2>
<ul><li>Memory</li><li>Mood</li></ul>
<blockquote><p>Sleep is the best meditation.</p></blockquote>
[caption id="attachment_9" align="aligncenter" width="800"]<a href="{site}/wp-content/uploads/2024/03/brain.jpg">\
<img class="wp-image-9 size-medium" src="{site}/wp-content/uploads/2024/03/brain-300x150.jpg" \
alt="A brain scan lit in teal" width="300" height="150" /></a> The sleeping brain[/caption]
<p>[gallery ids="1,2"] Notes [sic] stay.</p>
""".replace("{site}", SITE)

CLASSIC_BODY = "First paragraph\nwith a break.\n\nSecond paragraph.\n\n<h3>A heading</h3>"


def export(*items, authors=None, categories=None):
    authors = authors if authors is not None else [("jane", "Jane Doe"), ("sam", "Sam Lee")]
    categories = categories if categories is not None else [(3, "sleep", "Sleep", "Rest and the brain."),
                                                           (4, "anxiety", "Anxiety", "")]
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Old blog</title><link>{SITE}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  {"".join(f"<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login><![CDATA[{login}]]></wp:author_login>"
           f"<wp:author_display_name><![CDATA[{name}]]></wp:author_display_name></wp:author>"
           for n, (login, name) in enumerate(authors, start=1))}
  {"".join(f"<wp:category><wp:term_id>{term}</wp:term_id><wp:category_nicename><![CDATA[{nice}]]>"
           f"</wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[{name}]]>"
           f"</wp:cat_name><wp:category_description><![CDATA[{text}]]></wp:category_description></wp:category>"
           for term, nice, name, text in categories)}
  <wp:tag><wp:term_id>7</wp:term_id><wp:tag_slug><![CDATA[memory]]></wp:tag_slug><wp:tag_name><![CDATA[Memory]]></wp:tag_name></wp:tag>
  {"".join(items)}
</channel>
</rss>
"""


def attachment(post_id, path, alt):
    meta = [("_wp_attached_file", path)] + ([("_wp_attachment_image_alt", alt)] if alt else [])
    return item(post_id, path, path.rsplit("/", 1)[-1].split(".")[0], "", status="inherit", post_type="attachment",
                categories=(), meta=meta,
                extra=f"<wp:attachment_url><![CDATA[{SITE}/wp-content/uploads/{path}]]></wp:attachment_url>")


def realistic():
    return export(
        item(11, "How sleep resets the brain", "sleep-resets", BODY, tags=("Memory", "R&amp;D"),
             meta=[("_thumbnail_id", "9")]),
        item(12, "Calm in ten minutes", "calm-in-ten", CLASSIC_BODY, creator="sam",
             categories=(("anxiety", "Anxiety"), ("sleep", "Sleep"))),
        item(13, "Unfinished thoughts", "unfinished", "<p>Not yet.</p>", status="draft",
             gmt="0000-00-00 00:00:00"),
        item(14, "Coming soon", "coming-soon", "<p>Soon.</p>", status="future",
             date=f"{FUTURE:%Y-%m-%d %H:%M:%S}", gmt=f"{FUTURE:%Y-%m-%d %H:%M:%S}"),
        attachment(9, "2024/03/brain.jpg", "A brain scan lit in teal"),
        item(20, "About", "about", "<p>About us.</p>", post_type="page", categories=()),
        item(21, "Home", "home", "", post_type="nav_menu_item", categories=()),
    )


@pytest.fixture
def site(tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2024/03").mkdir(parents=True)
    (uploads / "2024/03/brain.jpg").write_bytes(jpeg())
    (uploads / "2024/03/brain-300x150.jpg").write_bytes(jpeg((300, 150)))
    path = tmp_path / "export.xml"
    path.write_text(realistic())
    return path, uploads


def run(path, uploads=None, dry_run=False):
    out = io.StringIO()
    args = [str(path)] + (["--uploads", str(uploads)] if uploads else []) + (["--dry-run"] if dry_run else [])
    try:
        call_command("import_wordpress", *args, stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), True
    return out.getvalue(), False


def counts():
    return {model.__name__: model.objects.count() for model in (Article, Hub, Author, Image, Redirect, WordPressPost)}


@pytest.mark.django_db
def test_posts_categories_tags_and_authors_become_articles_hubs_tags_and_authors(site, no_rules, client):
    output, failed = run(*site)
    assert not failed, output
    assert "Skipped (not articles): 1 × attachment, 1 × nav_menu_item, 1 × page." in output
    assert {hub.slug: hub.title for hub in Hub.objects.all()} == {"sleep": "Sleep", "anxiety": "Anxiety"}
    assert Hub.objects.get(slug="sleep").intro == "Rest and the brain."
    assert {author.slug: author.name for author in Author.objects.all()} == {"jane": "Jane Doe", "sam": "Sam Lee"}
    sleep = Article.objects.get(slug="sleep-resets")
    assert sleep.is_published and sleep.author.slug == "jane" and sleep.primary_hub.slug == "sleep"
    assert sleep.publish_at == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert sorted(tag.name for tag in sleep.tags.all()) == ["Memory", "R&D"]
    calm = Article.objects.get(slug="calm-in-ten")
    assert calm.author.slug == "sam" and calm.primary_hub.slug == "anxiety"
    assert [hub.slug for hub in calm.hubs.all()] == ["sleep"]
    assert not Article.objects.get(slug="unfinished").has_published_status
    coming = Article.objects.get(slug="coming-soon")
    assert coming.publish_at == FUTURE and client.get(coming.get_absolute_url()).status_code == 404
    assert client.get(sleep.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_html_becomes_sanitised_markdown_with_shortcodes_taken_out(site, no_rules):
    output, _ = run(*site)
    body = Article.objects.get(slug="sleep-resets").body
    assert "Sleep **clears** the day." in body and "alert" not in body and "<!--" not in body
    assert "## Why does it matter?" in body and "- Memory\n- Mood" in body
    assert "> Sleep is the best meditation." in body
    assert "[caption" not in body and "[gallery" not in body and "Notes [sic] stay." in body
    assert 'post 11 "How sleep resets the brain": shortcode [gallery] taken out' in output
    classic = Article.objects.get(slug="calm-in-ten").body
    assert classic.startswith("First paragraph  \nwith a break.\n\nSecond paragraph.") and "### A heading" in classic


@pytest.mark.django_db
def test_featured_and_body_images_come_from_the_uploads_folder_into_the_media_library(site, no_rules, client):
    run(*site)
    article = Article.objects.get(slug="sleep-resets")
    assert article.hero_image and article.hero_alt == "A brain scan lit in teal"
    image = Image.objects.get()
    assert image.alt == "A brain scan lit in teal" and image.caption == "The sleeping brain"
    assert image.width == 1600  # the original, not WordPress's 300 px copy the body named
    assert f'![A brain scan lit in teal](image:{image.pk} "The sleeping brain")' not in article.body
    assert f"![A brain scan lit in teal](image:{image.pk})" in article.body
    page = client.get(article.get_absolute_url()).content.decode()
    assert "The sleeping brain" in page and image.file.url.rsplit(".", 1)[0].split("/")[-1] in page


@pytest.mark.django_db
def test_an_image_without_alt_text_is_left_out_and_its_post_imported_as_a_draft_with_the_reason(tmp_path, no_rules):
    uploads = tmp_path / "uploads"
    (uploads / "2024/03").mkdir(parents=True)
    (uploads / "2024/03/plain.jpg").write_bytes(jpeg())
    path = tmp_path / "export.xml"
    path.write_text(export(item(11, "No alt", "no-alt",
                                f'<p>Look.</p><p><img src="{SITE}/wp-content/uploads/2024/03/plain.jpg" /></p>',
                                meta=[("_thumbnail_id", "9")]),
                           attachment(9, "2024/03/plain.jpg", "")))
    output, failed = run(path, uploads)
    assert not failed
    article = Article.objects.get(slug="no-alt")
    assert not article.has_published_status and not article.hero_image and "plain.jpg" not in article.body
    assert not Image.objects.exists()
    assert ('post 11 "No alt": featured image "2024/03/plain.jpg": no alt text in WordPress, so it is left out'
            in output)
    assert 'post 11 "No alt": body image "2024/03/plain.jpg": no alt text' in output
    assert "1 imported as a draft" in output


@pytest.mark.django_db
def test_a_published_post_failing_the_publishing_rules_becomes_a_draft_with_the_reason(site):
    output, failed = run(*site)
    assert not failed
    assert not Article.objects.get(slug="sleep-resets").has_published_status
    assert ('post 11 "How sleep resets the brain": imported as a draft: record the medical review (reviewer and '
            "date) before publishing; cite at least one reference before publishing.") in output


@pytest.mark.django_db
def test_importing_again_updates_by_wordpress_id_and_duplicates_nothing(site, no_rules):
    run(*site)
    before = counts()
    output, failed = run(*site)
    assert not failed and counts() == before
    assert "0 created, 0 updated" in output and "0 old addresses newly redirected" in output
    path, uploads = site
    path.write_text(realistic().replace("<wp:post_name><![CDATA[sleep-resets]]>", "<wp:post_name><![CDATA[renamed]]>")
                    .replace("Sleep <strong>clears</strong>", "Sleep <strong>empties</strong>"))
    output, failed = run(path, uploads)
    assert not failed and counts()["Article"] == before["Article"] and not Article.objects.filter(slug="renamed")
    assert "empties" in Article.objects.get(slug="sleep-resets").body
    assert WordPressPost.objects.get(post_id=11).article.slug == "sleep-resets"


@pytest.mark.django_db
def test_a_dry_run_reports_the_same_and_saves_nothing(site, no_rules, media):
    output, failed = run(*site, dry_run=True)
    assert not failed
    assert "Dry run, nothing saved: 8 would be created" in output
    assert all(count == 0 for count in counts().values())
    assert not media.exists() or not any(media.rglob("*.*"))


@pytest.mark.django_db
def test_old_permalinks_redirect_through_the_real_middleware(site, no_rules, client):
    run(*site)
    article = Article.objects.get(slug="sleep-resets")
    url = article.get_absolute_url()
    for old in ("/2024/03/sleep-resets/", "/sleep-resets/", "/?p=11"):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == url, old
    response = client.get("/?p=11&utm_source=mail")
    assert response.status_code == 301 and response["Location"] == f"{url}?utm_source=mail"
    hub = Hub.objects.get(slug="sleep").get_absolute_url()
    assert client.get("/category/sleep/")["Location"] == hub and client.get("/?cat=3")["Location"] == hub
    assert client.get("/").status_code == 200 and client.get("/?p=999").status_code == 200
    assert client.get("/?p=abc").status_code == 200
    assert not Redirect.objects.filter(old_path__contains="unfinished").exists()  # a draft had no public address


@pytest.mark.django_db
def test_the_query_redirect_is_served_before_a_cached_home_page(site, no_rules, client):
    assert client.get("/?p=11").status_code == 200  # the home page, now in the page cache
    run(*site)
    assert client.get("/?p=11").status_code == 301


@pytest.mark.django_db
def test_a_renamed_page_keeps_its_wordpress_addresses_pointing_at_it(site, no_rules, client):
    run(*site)
    article = Article.objects.get(slug="sleep-resets")
    article.slug = "sleep-and-the-brain"
    article.save()
    assert client.get("/?p=11")["Location"] == article.get_absolute_url()


@pytest.mark.django_db
def test_a_bad_post_is_one_line_naming_it_and_the_field_saves_nothing_and_the_rest_import(tmp_path, no_rules):
    path = tmp_path / "export.xml"
    path.write_text(export(
        item(11, "Good", "good", "<p>Fine.</p>"),
        item(12, "Missing picture", "missing-picture",
             f'<p><img src="{SITE}/wp-content/uploads/2024/03/gone.jpg" alt="Gone" /></p>'),
        item(13, "Nobody", "nobody", "<p>Who?</p>", creator="ghost"),
        item(14, "Homeless", "homeless", "<p>Where?</p>", categories=()),
        item(15, "Empty", "empty", ""),
    ))
    output, failed = run(path, tmp_path)
    assert failed and "4 of 9 items failed" in output
    assert 'post 12 "Missing picture": body image "2024/03/gone.jpg": no such file in the uploads folder' in output
    assert 'post 13 "Nobody": author "ghost": not among the export\'s authors (wp:author)' in output
    assert 'post 14 "Homeless": categories: none' in output
    assert 'post 15 "Empty": body: required' in output
    assert list(Article.objects.values_list("slug", flat=True)) == ["good"]
    assert not WordPressPost.objects.exclude(post_id=11).exists()
    assert not Redirect.objects.filter(old_path__in=["/?p=12", "/missing-picture/"]).exists()


@pytest.mark.django_db
def test_images_without_an_uploads_folder_are_a_clear_line(site, no_rules):
    path, _ = site
    output, failed = run(path)
    assert failed and "give the uploads folder with --uploads DIR" in output


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss><channel><title>&lol3;</title></channel></rss>
"""


@pytest.mark.django_db
def test_an_entity_expansion_payload_is_refused_and_nothing_is_imported(tmp_path):
    path = tmp_path / "evil.xml"
    path.write_text(BILLION_LAUGHS)
    output, failed = run(path)
    assert failed and "refused: the file declares a DTD or XML entities" in output and "nothing was imported" in output
    assert all(count == 0 for count in counts().values())


@pytest.mark.django_db
def test_a_huge_file_is_refused_before_it_is_read(site, monkeypatch):
    monkeypatch.setattr(wordpress, "MAX_EXPORT_BYTES", 1000)
    output, failed = run(*site)
    assert failed and "export it in parts" in output


@pytest.mark.django_db
@pytest.mark.parametrize("text, message", [
    ("<rss><channel>", "not well-formed XML"),
    ("<rss><channel><title>Feed</title></channel></rss>", "not a WordPress export (WXR)"),
])
def test_a_file_that_is_not_an_export_is_one_clear_line(tmp_path, text, message):
    path = tmp_path / "export.xml"
    path.write_text(text)
    output, failed = run(path)
    assert failed and message in output


@pytest.mark.django_db
def test_an_older_wxr_version_is_read_the_same_way(tmp_path, no_rules):
    path = tmp_path / "export.xml"
    text = export(item(11, "Old format", "old-format", "<p>Still read.</p>"))
    path.write_text(text.replace("export/1.2/", "export/1.1/"))
    output, failed = run(path)
    assert not failed, output
    assert Article.objects.get(slug="old-format").body == "Still read."
