from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("references", "0003_structured_references_data")]

    operations = [migrations.RemoveField("reference", "authors_apa")]
