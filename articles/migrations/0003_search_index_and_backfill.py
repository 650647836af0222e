"""GIN indexes for full-text search (PostgreSQL only) and the derived fields of rows saved before them."""

from django.db import migrations

from articles.models import add_months
from mindlab import search
from mindlab.markdown import render

INDEXES = {
    "articles_article": "articles_article_search_gin",
    "hubs_hub": "hubs_hub_search_gin",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_vector)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def backfill(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Hub = apps.get_model("hubs", "Hub")
    for article in Article.objects.all():
        body = render(article.body)
        review_due = add_months(article.last_reviewed, article.review_interval_months) if article.last_reviewed else None
        Article.objects.filter(pk=article.pk).update(
            body_text=body.text, images_missing_alt=body.images_without_alt, review_due=review_due
        )
        search.write_vector(Article.objects.all(), article.pk, {
            "A": article.title, "B": f"{article.summary} {article.key_takeaways}", "C": body.text,
        })
    for hub in Hub.objects.all():
        text = f"{render(hub.intro).text}\n\n{render(hub.body).text}".strip()
        Hub.objects.filter(pk=hub.pk).update(body_text=text)
        search.write_vector(Hub.objects.all(), hub.pk, {
            "A": hub.title, "B": f"{hub.tagline} {hub.key_takeaways}", "C": text,
        })


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow_search_history"),
        ("hubs", "0002_search_history"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
