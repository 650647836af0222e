from django.db import models


class WordPressPost(models.Model):
    """The article a WordPress post was imported as: a re-import updates it (even when the post's slug changed in
    WordPress since), and `/?p=ID` finds it through its redirect row (mindlab/redirects.py)."""

    post_id = models.PositiveBigIntegerField("WordPress post ID", unique=True)
    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="wordpress_post")

    class Meta:
        verbose_name = "WordPress post"

    def __str__(self):
        return f"WordPress post {self.post_id}"


class ContentImport(models.Model):
    """No table: the admin's "Import content" page (transfer/admin.py) hangs on it, and its permission says who may
    use that page besides the publishing permissions an import exercises."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("import_content", "Can import content from Markdown files or a WordPress export")]
        verbose_name = verbose_name_plural = "import content"

    def __str__(self):
        return "import content"
