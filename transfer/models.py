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
