"""The three staff groups and what each may do.

Permissions are normally created after migrations run; they are created here first so the groups
can be given them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = {
    "hubs": ["hub", "hubcitation"],
    "articles": ["article", "articlecitation", "tag", "taggedarticle"],
    "authors": ["author", "credential", "featuredin", "profilelink"],
    "references": ["reference"],
    "faqs": ["faq"],
}
REVIEWER_EXTRAS = [
    ("articles", "publish_article"),
    ("articles", "review_article"),
    ("hubs", "publish_hub"),
    # The disclaimer and crisis notice are clinical and legal text: reviewers own them.
    ("mindlab", "change_sitesettings"),
    ("mindlab", "view_sitesettings"),
]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content = [
        Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
        for app_label, models in CONTENT_MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    extras = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in REVIEWER_EXTRAS
    ]
    Group.objects.get_or_create(name="Editors")[0].permissions.set(content)
    Group.objects.get_or_create(name="Reviewers")[0].permissions.set(content + extras)
    # Given its permissions by the strategy-call app when that app exists.
    Group.objects.get_or_create(name="Strategy-call triage")


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers", "Strategy-call triage"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("mindlab", "0001_initial"),
        ("hubs", "0001_initial"),
        ("articles", "0001_initial"),
        ("authors", "0001_initial"),
        ("references", "0001_initial"),
        ("faqs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
