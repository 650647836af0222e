"""Images in Markdown rendered before they were marked to load lazily: render those fields again.

Only rows whose stored HTML holds an image are touched. The stored page blocks show that HTML, so if any
row changed every page is marked as never rendered, and `migrate` renders them all when it finishes
(articles/apps.py).
"""

from functools import reduce
from operator import or_

from django.db import migrations
from django.db.models import Q

from mindlab.markdown import render

# (app, model, {source field: rendered field})
RENDERED = [
    ("articles", "Article", {"body": "body_html"}),
    ("hubs", "Hub", {"intro": "intro_html", "body": "body_html"}),
    ("faqs", "FAQ", {"answer": "answer_html"}),
    ("authors", "Author", {"bio": "bio_html"}),
]


def render_images_lazily(apps, schema_editor):
    changed = False
    for app, name, fields in RENDERED:
        model = apps.get_model(app, name)
        with_images = reduce(or_, (Q(**{f"{rendered}__contains": "<img"}) for rendered in fields.values()))
        for row in model.objects.filter(with_images):
            updates = {
                rendered: render(getattr(row, source)).html
                for source, rendered in fields.items()
                if "<img" in getattr(row, rendered)
            }
            if updates:
                model.objects.filter(pk=row.pk).update(**updates)
                changed = True
    if changed:
        apps.get_model("articles", "Article").objects.update(card_html="")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_stored_page_blocks"),
        ("authors", "0002_upload_rules"),
        ("faqs", "0001_initial"),
        ("hubs", "0005_stored_page_blocks"),
    ]

    operations = [migrations.RunPython(render_images_lazily, migrations.RunPython.noop)]
