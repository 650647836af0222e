from django.contrib.redirects.models import Redirect
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, ArticleCitation, Tag, TaggedArticle
from authors.models import Author, Credential
from faqs.models import FAQ
from hubs.models import Hub, HubCitation
from mindlab.markdown import render
from references.models import Reference

COUNTED = [Hub, Article, Author, Credential, Reference, FAQ, ArticleCitation, HubCitation, Tag, TaggedArticle,
           Article.history.model, Hub.history.model, Redirect]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_load_demo_twice_gives_the_same_counts(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    assert first["Hub"] >= 3 and first["Article"] >= 12


def test_loading_the_demo_again_writes_nothing(db, settings, tmp_path):
    """Unchanged files are left alone: no version, no reference saved again, so the content version stays put."""
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))
    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo", stdout=open("/dev/null", "w"))
    writes = [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE",
                                                                                              "DELETE"))]
    assert writes == []


def test_demo_content_covers_every_kind_of_page(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert Hub.objects.exclude(pillar_label="").filter(faqs__isnull=False, citations__isnull=False).exists()
    for hub in Hub.objects.all():  # stored sizes: rendering never opens the image file
        assert (hub.hero_width, hub.hero_height) == (1600, 640) and hub.hero_alt
        assert [size["width"] for size in hub.hero_renditions["sizes"]] == [480, 960, 1440]  # not the original
    published = Article.objects.published()
    assert published.exclude(audio_file="").exists()
    assert published.filter(reviewer__kind="organisation").exists()
    assert Article.objects.filter(status="draft").count() == 1
    assert Article.objects.filter(status="published").exclude(pk__in=published).count() == 1  # scheduled
    for article in Article.objects.all():
        assert article.citations.count() >= 3, article
        assert article.faqs.count() >= 3, article
        assert article.takeaways, article
        assert article.tags.exists(), article
    # A library a practice would recognise (issue 19 §5): long pillar essays and long articles.
    assert [render(hub.body).word_count >= 1500 for hub in Hub.objects.all()] == [True] * 3
    assert Article.objects.published().filter(word_count__range=(1200, 3000)).count() >= 6
    shared = Reference.objects.filter(article_citations__isnull=False).distinct()
    assert any(reference.article_citations.count() > 1 for reference in shared)


def test_demo_login_is_created_only_in_debug(db, settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = False
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert not django_user_model.objects.filter(username="demo").exists()
    settings.DEBUG = True
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert django_user_model.objects.get(username="demo").is_superuser
