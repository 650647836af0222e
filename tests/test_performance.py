"""Behaviour that keeps pages fast: the generated library, responsive images. Speed itself is `make bench`."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from articles.models import Article, ArticleCitation, TaggedArticle
from faqs.models import FAQ
from hubs.models import Hub


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_load_demo_generates_a_library_of_long_articles(db, media):
    call_command("load_demo", "--articles", "30", stdout=io.StringIO(), stderr=io.StringIO())
    generated = Article.objects.filter(slug__startswith="library-")
    assert generated.count() == 30
    assert Article.objects.published().filter(pk__in=generated).count() == 30
    assert Hub.objects.published().count() == 5
    sample = generated.first()
    assert 2200 <= sample.word_count <= 2900
    assert sample.body_html.count("<h2") == 8 and len(sample.toc) == 8
    assert TaggedArticle.objects.filter(content_object=sample).count() == 5
    assert ArticleCitation.objects.filter(article=sample).count() == 5
    assert FAQ.objects.filter(article=sample).count() == 4
    assert set(generated.values_list("primary_hub", flat=True)) == set(Hub.objects.values_list("pk", flat=True))


def test_generating_the_same_library_again_changes_nothing(db, media):
    call_command("load_demo", "--articles", "12", stdout=io.StringIO(), stderr=io.StringIO())
    first = list(Article.objects.filter(slug__startswith="library-").values_list("pk", flat=True))
    out = io.StringIO()
    call_command("load_demo", "--articles", "12", stdout=out, stderr=io.StringIO())
    assert "already has 12 articles" in out.getvalue()
    assert list(Article.objects.filter(slug__startswith="library-").values_list("pk", flat=True)) == first
    call_command("load_demo", "--articles", "5", stdout=io.StringIO(), stderr=io.StringIO())
    assert Article.objects.filter(slug__startswith="library-").count() == 5


@pytest.mark.parametrize("count", ["-1", "100001"])
def test_load_demo_refuses_a_silly_article_count(db, count):
    with pytest.raises(CommandError, match="between 0 and 100000"):
        call_command("load_demo", "--articles", count)


def jpeg(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 110)).save(buffer, "JPEG")
    return SimpleUploadedFile("hero.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_hero_upload_gets_responsive_sizes_once(make_article, media, client):
    article = make_article(hero_image=jpeg(1200, 500), hero_alt="A teal field")
    sizes = article.hero_renditions["sizes"]
    assert [size["width"] for size in sizes] == [480, 960, 1200]  # never upscaled past the original
    assert all((media / size["name"]).exists() and size["name"].endswith("w.webp") for size in sizes)
    html = client.get(article.get_absolute_url()).text
    assert 'srcset="/media/heroes/' in html and " 480w, " in html and 'width="1200" height="500"' in html
    assert f'src="/media/{sizes[-1]["name"]}"' in html  # the widest rendition, not the original
    before = dict(article.hero_renditions)
    article.title = "Edited"
    article.save()
    assert article.hero_renditions == before  # same upload: nothing re-made


def test_images_below_the_fold_load_lazily(client, make_article, make_author, media):
    author = make_author(headshot=jpeg(300, 300), headshot_alt="Portrait")
    html = client.get(make_article(author=author).get_absolute_url()).text
    assert 'class="author-card__photo"' in html and 'loading="lazy"' in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the visibility map and VACUUM are PostgreSQL's")
def test_generating_a_library_leaves_postgresql_vacuumed(media):
    def vacuums():
        with connection.cursor() as cursor:
            cursor.execute("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'articles_article'")
            return cursor.fetchone()[0]

    before = vacuums()
    call_command("load_demo", "--articles", "5", stdout=io.StringIO(), stderr=io.StringIO())
    assert vacuums() == before + 1
