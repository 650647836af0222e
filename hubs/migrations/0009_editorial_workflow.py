"""Hubs in the editorial workflow of issue 15: pending revisions, review state, who submitted and decided."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('authors', '0003_headshot_rules'),
        ('hubs', '0008_hero_image_rules'),
        ('references', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalhub',
            name='decided_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalhub',
            name='decided_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalhub',
            name='decision_comment',
            field=models.TextField(blank=True, help_text='Required when you request changes: what to change. The editor sees it on the form and in the list.', verbose_name='comment for the editor'),
        ),
        migrations.AddField(
            model_name='historicalhub',
            name='draft_of',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The live page this row is the pending revision of.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='hubs.hub', verbose_name='revision of'),
        ),
        migrations.AddField(
            model_name='historicalhub',
            name='review_state',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('changes', 'Changes requested')], default='draft', editable=False, help_text='Where an unpublished hub, or a pending revision, is in the review workflow.', max_length=10),
        ),
        migrations.AddField(
            model_name='historicalhub',
            name='submitted_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='historicalhub',
            name='submitted_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='hub',
            name='decided_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='hub',
            name='decided_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='hub',
            name='decision_comment',
            field=models.TextField(blank=True, help_text='Required when you request changes: what to change. The editor sees it on the form and in the list.', verbose_name='comment for the editor'),
        ),
        migrations.AddField(
            model_name='hub',
            name='draft_of',
            field=models.ForeignKey(blank=True, editable=False, help_text='The live page this row is the pending revision of.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='revisions', to='hubs.hub', verbose_name='revision of'),
        ),
        migrations.AddField(
            model_name='hub',
            name='review_state',
            field=models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('changes', 'Changes requested')], default='draft', editable=False, help_text='Where an unpublished hub, or a pending revision, is in the review workflow.', max_length=10),
        ),
        migrations.AddField(
            model_name='hub',
            name='submitted_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='hub',
            name='submitted_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='hub',
            name='related_hubs',
            field=models.ManyToManyField(blank=True, limit_choices_to={'draft_of__isnull': True}, to='hubs.hub'),
        ),
        migrations.AddConstraint(
            model_name='hub',
            constraint=models.CheckConstraint(condition=models.Q(('draft_of__isnull', True), ('is_published', False), _connector='OR'), name='hub_revision_never_published', violation_error_message='A pending revision is never published: approve it instead.'),
        ),
        migrations.AddConstraint(
            model_name='hub',
            constraint=models.UniqueConstraint(fields=('draft_of',), name='one_revision_per_hub', violation_error_message='This hub already has a pending revision.'),
        ),
    ]
