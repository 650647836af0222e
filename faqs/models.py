from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from mindlab.markdown import render
from mindlab.models import ContentQuerySet

DEFAULT_HEADING = "Frequently asked questions"


class FAQGroup(models.Model):
    """A hub's FAQs come in groups, each under its own heading (e.g. "Key questions executives ask" and a general
    FAQ), shown in `order`. An article's FAQs are one list with no group."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, related_name="faq_groups")
    heading = models.CharField(
        max_length=200, blank=True,
        help_text=f'e.g. "Key questions executives ask about depression & drive". Empty: “{DEFAULT_HEADING}”.',
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "FAQ group"

    def __str__(self):
        return self.heading or DEFAULT_HEADING


class FAQ(models.Model):
    """A question and answer that belongs to exactly one hub or one article. A hub's FAQ is in one of the hub's
    groups (`FAQGroup`): saved without one, it joins the hub's first group (made if the hub has none)."""

    hub = models.ForeignKey("hubs.Hub", on_delete=models.CASCADE, null=True, blank=True, related_name="faqs")
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="faqs"
    )
    # RESTRICT, not CASCADE: a group that still holds questions is not deleted on its own (the admin says so
    # beside it); deleting the hub deletes both.
    group = models.ForeignKey(
        FAQGroup, on_delete=models.RESTRICT, null=True, blank=True, related_name="faqs", verbose_name="FAQ group",
        help_text="The heading this question is shown under. Empty: the hub's first group.",
    )
    question = models.CharField(max_length=300)
    answer = models.TextField(help_text="Markdown.")
    answer_html = models.TextField(blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)  # question and answer: the reading time
    order = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["group__order", "group_id", "order", "pk"]  # a hub's in the order of its groups
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        constraints = [
            models.CheckConstraint(
                condition=Q(hub__isnull=False, article__isnull=True) | Q(hub__isnull=True, article__isnull=False),
                name="faq_belongs_to_one_hub_or_article",
                violation_error_message="An FAQ belongs to exactly one hub or one article.",
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=True) | Q(group__isnull=True),
                name="faq_of_an_article_has_no_group",
                violation_error_message="An article's FAQs are one list: only a hub's FAQs are in groups.",
            ),
        ]

    def __str__(self):
        return self.question

    def save(self, *args, **kwargs):
        if self.hub_id and not self.group_id:
            self.group = (FAQGroup.objects.filter(hub_id=self.hub_id).first()
                          or FAQGroup.objects.create(hub_id=self.hub_id))
        answer = render(self.answer)
        self.answer_html, self.word_count = answer.html, len(self.question.split()) + answer.word_count
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.group_id and self.hub_id and self.group.hub_id != self.hub_id:
            raise ValidationError({"group": "Choose one of this hub's FAQ groups."})

    @property
    def parent(self):
        return self.hub or self.article
