"""The publishing rules of issue 15, switchable in Site settings, and whether an expired review shows its date."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mindlab', '0003_default_site_settings'),
    ]

    operations = [
        migrations.AddField(
            model_name='sitesettings',
            name='require_medical_review',
            field=models.BooleanField(default=True, help_text='An article is published only with a medical review (reviewer and date) recorded for its text.', verbose_name='publishing needs a medical review'),
        ),
        migrations.AddField(
            model_name='sitesettings',
            name='require_reference',
            field=models.BooleanField(default=True, help_text='An article is published only when it cites at least one reference.', verbose_name='publishing needs a reference'),
        ),
        migrations.AddField(
            model_name='sitesettings',
            name='show_last_review_when_expired',
            field=models.BooleanField(default=False, help_text='When an article is past its review interval, its review line says when it was last reviewed.', verbose_name='show the last review date once a review has expired'),
        ),
    ]
