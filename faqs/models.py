from django.db import models
from django.db.models import Q

from mindlab.markdown import render
from mindlab.models import ContentQuerySet


class FAQ(models.Model):
    """A question and answer that belongs to exactly one hub or one article."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, null=True, blank=True, related_name="faqs")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="faqs"
    )
    question = models.CharField(max_length=300)
    answer = models.TextField(help_text="Markdown.")
    answer_html = models.TextField(blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)  # question and answer: the reading time
    order = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        constraints = [
            models.CheckConstraint(
                condition=Q(hub__isnull=False, article__isnull=True) | Q(hub__isnull=True, article__isnull=False),
                name="faq_belongs_to_one_hub_or_article",
                violation_error_message="An FAQ belongs to exactly one hub or one article.",
            ),
        ]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        answer = render(self.answer)
        self.answer_html, self.word_count = answer.html, len(self.question.split()) + answer.word_count
        super().save(*args, **kwargs)

    @property
    def parent(self):
        return self.hub or self.article
