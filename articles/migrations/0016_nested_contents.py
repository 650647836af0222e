from django.db import migrations


def nest_contents(apps, schema_editor):
    """The stored contents gain each h2's h3s (`children`), as a save now derives them."""
    from mindlab.markdown import render

    Article = apps.get_model("articles", "Article")
    changed = []
    for article in Article.objects.only("pk", "body", "toc").iterator():
        toc = render(article.body).toc
        if toc != article.toc:
            article.toc = toc
            changed.append(article)
    Article.objects.bulk_update(changed, ["toc"], batch_size=200)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0015_version_lists"),
    ]

    operations = [
        migrations.RunPython(nest_contents, migrations.RunPython.noop),
    ]
