"""The Strategy-call triage group may read and triage requests, never delete them; no other group sees them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRIAGE_PERMISSIONS = [
    "view_strategycallrequest",
    "change_strategycallrequest",
    "view_statuschange",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("strategy_calls")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    triage, _ = Group.objects.get_or_create(name="Strategy-call triage")
    triage.permissions.add(
        *Permission.objects.filter(content_type__app_label="strategy_calls", codename__in=TRIAGE_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Strategy-call triage"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="strategy_calls"))


class Migration(migrations.Migration):
    dependencies = [
        ("strategy_calls", "0001_initial"),
        ("mindlab", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
