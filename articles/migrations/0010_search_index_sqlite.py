"""SQLite's full-text index of articles (FTS5), filled with the articles already saved. Nothing on PostgreSQL,
where the weighted search_vector (0002, 0003) does this job."""

from django.db import migrations

from mindlab import search


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_remove_stored_page_blocks"),
    ]

    operations = [
        # What Article.search_texts() indexes, named as fields: a migration cannot call the model's methods.
        search.CreateSearchIndex(
            "Article", {"A": ["title"], "B": ["summary", "key_takeaways", "tags__name"], "C": ["body_text"]}
        ),
    ]
