"""The editorial workflow of issue 15: pending revisions (`draft_of`), who submitted and decided, "changes
requested", and the fingerprint of the text a medical review covers.

An article reviewed before now keeps its "Medically reviewed" line only if its text has not changed since the
review was recorded: the version (history) in which the reviewer and date took their present values must hold
the present title, excerpt, takeaways, body and disclaimer. FAQs and citations have no history and are taken as
they are. Without any version to compare (rows written without history), the present text is taken as reviewed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from articles.models import REVIEWED_FIELDS, review_fingerprint


def record_reviews(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    History = apps.get_model("articles", "HistoricalArticle")
    for article in Article.objects.exclude(reviewer=None).exclude(last_reviewed=None).iterator():
        record = (article.reviewer_id, article.last_reviewed)
        reviewed, before = None, None
        for version in History.objects.filter(id=article.pk).order_by("history_date", "history_id"):
            if (version.reviewer_id, version.last_reviewed) == record and before != record:
                reviewed = version
            before = (version.reviewer_id, version.last_reviewed)
        if reviewed and any(getattr(reviewed, name) != getattr(article, name) for name in REVIEWED_FIELDS):
            continue  # edited after its review: the line goes until a reviewer records a review of this text
        fingerprint = review_fingerprint(
            {name: getattr(article, name) for name in REVIEWED_FIELDS},
            apps.get_model("faqs", "FAQ").objects.filter(article=article).order_by("order", "pk")
            .values_list("question", "answer"),
            article.citations.order_by("order", "pk").values_list("reference_id", flat=True),
        )
        Article.objects.filter(pk=article.pk).update(reviewed_fingerprint=fingerprint)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0012_hero_renditions_by_name'),
        ('authors', '0003_headshot_rules'),
        ('hubs', '0008_hero_image_rules'),
        ('references', '0001_initial'),
        ('faqs', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='decided_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='article',
            name='decided_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='article',
            name='decision_comment',
            field=models.TextField(blank=True, help_text='Required when you request changes: what to change. The editor sees it on the form and in the list.', verbose_name='comment for the editor'),
        ),
        migrations.AddField(
            model_name='article',
            name='draft_of',
            field=models.ForeignKey(blank=True, editable=False, help_text='The live page this row is the pending revision of.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='articles.article', verbose_name='revision of'),
        ),
        migrations.AddField(
            model_name='article',
            name='reviewed_fingerprint',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='article',
            name='submitted_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='article',
            name='submitted_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='decided_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='decided_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='decision_comment',
            field=models.TextField(blank=True, help_text='Required when you request changes: what to change. The editor sees it on the form and in the list.', verbose_name='comment for the editor'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='draft_of',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The live page this row is the pending revision of.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='articles.article', verbose_name='revision of'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='reviewed_fingerprint',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='submitted_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='submitted_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='article',
            name='hubs',
            field=models.ManyToManyField(blank=True, help_text='Further hubs that list this article.', limit_choices_to={'draft_of__isnull': True}, related_name='secondary_articles', to='hubs.hub'),
        ),
        migrations.AlterField(
            model_name='article',
            name='primary_hub',
            field=models.ForeignKey(limit_choices_to={'draft_of__isnull': True}, on_delete=django.db.models.deletion.PROTECT, related_name='primary_articles', to='hubs.hub'),
        ),
        migrations.AlterField(
            model_name='article',
            name='related_articles',
            field=models.ManyToManyField(blank=True, help_text='Hand-picked related articles, shown before the automatic ones.', limit_choices_to={'draft_of__isnull': True}, to='articles.article'),
        ),
        migrations.AlterField(
            model_name='article',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('changes', 'Changes requested'), ('published', 'Published')], default='draft', max_length=10),
        ),
        migrations.AlterField(
            model_name='historicalarticle',
            name='primary_hub',
            field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'draft_of__isnull': True}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='hubs.hub'),
        ),
        migrations.AlterField(
            model_name='historicalarticle',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('changes', 'Changes requested'), ('published', 'Published')], default='draft', max_length=10),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('draft_of__isnull', True), models.Q(('status', 'published'), _negated=True), _connector='OR'), name='article_revision_never_published', violation_error_message='A pending revision is never published: approve it instead.'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.UniqueConstraint(fields=('draft_of',), name='one_revision_per_article', violation_error_message='This article already has a pending revision.'),
        ),
        migrations.RunPython(record_reviews, migrations.RunPython.noop),
    ]
