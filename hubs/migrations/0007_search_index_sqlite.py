"""SQLite's full-text index of hubs (FTS5), filled with the hubs already saved. Nothing on PostgreSQL,
where the weighted search_vector does this job."""

from django.db import migrations

from mindlab import search


class Migration(migrations.Migration):
    dependencies = [
        ("hubs", "0006_remove_stored_page_blocks"),
    ]

    operations = [
        # What Hub.search_texts() indexes, named as fields: a migration cannot call the model's methods.
        search.CreateSearchIndex("Hub", {"A": ["title"], "B": ["tagline", "key_takeaways"], "C": ["body_text"]}),
    ]
