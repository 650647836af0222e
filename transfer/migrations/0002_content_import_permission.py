"""The "Can import content" permission, given to Reviewers: an import publishes pages and records medical reviews,
which only Reviewers may do in admin, so Editors do not get it (docs/editors.md#importing-content)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant(apps, schema_editor):
    app_config = apps.get_app_config("transfer")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="transfer", codename="import_content")
    for group in apps.get_model("auth", "Group").objects.filter(name="Reviewers"):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("transfer", "0001_initial"),
        ("mindlab", "0002_staff_groups"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentImport",
            fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))],
            options={
                "verbose_name": "import content",
                "verbose_name_plural": "import content",
                "permissions": [("import_content", "Can import content from Markdown files or a WordPress export")],
                "managed": False,
                "default_permissions": (),
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
