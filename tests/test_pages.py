from django.urls import reverse

from articles.models import Article


def test_published_pages_answer(client, make_article):
    article = make_article()
    for url in [reverse("home"), article.primary_hub.get_absolute_url(), article.get_absolute_url(),
                article.author.get_absolute_url()]:
        assert client.get(url).status_code == 200, url


def test_draft_article_is_404(client, make_article):
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unknown_slug_is_404(client, db):
    assert client.get("/articles/no-such-article/").status_code == 404
