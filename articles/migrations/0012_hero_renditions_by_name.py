"""Hero renditions recorded by storage name instead of URL (see mindlab/images.py), for articles and hubs.

The URLs were made by the filesystem storage: MEDIA_URL followed by the quoted name. The name is the URL
without that prefix, unquoted, so the storage makes the same URL again and the srcset a page prints is
unchanged, except that an original wider than the widest rendition (1,440 px) is no longer offered. A
value that cannot be read this way is emptied, and the page's next save makes its renditions again.
"""

from urllib.parse import unquote

from django.conf import settings
from django.db import migrations

WIDEST_RENDITION = 1440
PAGES = [("articles", "Article"), ("hubs", "Hub")]


def name_of(url):
    return unquote(url.removeprefix(settings.MEDIA_URL)) if url.startswith(settings.MEDIA_URL) else None


def by_name(renditions):
    sizes = (renditions or {}).get("sizes")
    if not sizes or all("name" in size for size in sizes):
        return renditions
    names = [name_of(size.get("url", "")) for size in sizes]
    if None in names:
        return {}
    source = renditions.get("source")
    return {"source": source, "sizes": [
        {"width": size["width"], "name": name} for size, name in zip(sizes, names)
        if name != source or size["width"] <= WIDEST_RENDITION
    ]}


def by_url(renditions):
    from django.core.files.storage import default_storage

    sizes = (renditions or {}).get("sizes")
    if not sizes or all("url" in size for size in sizes):
        return renditions
    return {"source": renditions.get("source"),
            "sizes": [{"width": size["width"], "url": default_storage.url(size["name"])} for size in sizes]}


def convert(apps, change):
    for app, name in PAGES:
        model = apps.get_model(app, name)
        for pk, renditions in model.objects.exclude(hero_renditions={}).values_list("pk", "hero_renditions"):
            converted = change(renditions)
            if converted != renditions:
                model.objects.filter(pk=pk).update(hero_renditions=converted)


def names_not_urls(apps, schema_editor):
    convert(apps, by_name)


def urls_not_names(apps, schema_editor):
    convert(apps, by_url)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_hero_image_rules"),
        ("hubs", "0008_hero_image_rules"),
    ]

    operations = [migrations.RunPython(names_not_urls, urls_not_names)]
