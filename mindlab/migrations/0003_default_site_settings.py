"""The one site-settings row exists from the start, so reading it never writes (which would empty the page cache)."""

from django.db import migrations


def create(apps, schema_editor):
    apps.get_model("mindlab", "SiteSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("mindlab", "0002_staff_groups")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
