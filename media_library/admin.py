import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_GET, require_POST

from mindlab.admin import SaveErrorsAdminMixin

from .models import Image, describe

PICKER_RESULTS = 24
# `![alt](image:12)` as an editor types it: the key, or whatever was typed in its place.
MARKDOWN_REFERENCE = re.compile(r"\]\(\s*<?image:([^\s)>]*)")


def page_admin_link(page):
    url = reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk])
    return format_html('<a href="{}">{}</a>', url, describe(page))


class PickerUploadForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit"]


@admin.register(Image)
class ImageAdmin(SaveErrorsAdminMixin, admin.ModelAdmin):
    list_display = ["thumbnail", "name", "alt", "caption", "credit", "size", "use_count", "created"]
    list_display_links = ["thumbnail", "name"]
    search_fields = ["title", "alt", "caption", "credit"]
    readonly_fields = ["preview", "markdown", "size", "where_used"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "alt", "caption", "credit", "title"]}),
        ("Use", {"fields": ["markdown", "size", "where_used"]}),
    ]
    delete_confirmation_template = "admin/media_library/image/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/media_library/image/delete_selected_confirmation.html"

    class Media:
        css = {"all": ["css/admin-media.css"]}

    @admin.display(description="image")
    def thumbnail(self, image, width=96):
        height = round(width * image.height / image.width) if image.width else width
        return format_html('<img class="library-thumbnail" src="{}" alt="" width="{}" height="{}">',
                           image.thumbnail_url, width, height)

    @admin.display(description="title", ordering="title")
    def name(self, image):
        return str(image)

    @admin.display(description="image")
    def preview(self, image):
        return self.thumbnail(image, width=240) if image.pk else "—"

    @admin.display(description="in a body, write")
    def markdown(self, image):
        return format_html("<code>{}</code>", image.markdown) if image.pk else "Save the image first."

    @admin.display(description="size")
    def size(self, image):
        return f"{image.width} × {image.height} px" if image.width else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).with_use_count()

    @admin.display(description="used in (pages)", ordering="use_count")
    def use_count(self, image):
        return image.use_count

    @admin.display(description="used in")
    def where_used(self, image):
        pages = image.used_in()
        if not pages:
            return "No page uses this image yet."
        return format_html("<ul class=\"where-used\">{}</ul>", format_html_join(
            "", "<li>{}</li>", ((page_admin_link(page),) for page in pages)))

    def get_deleted_objects(self, objs, request):
        """An image a page uses is protected: the delete page and the bulk action name the pages instead."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            protected += [format_html("{} — used in {}", image, page_admin_link(page)) for page in image.used_in()]
        return deleted, counts, perms_needed, protected

    # The editor's picker ("Insert image" beside a body): a JSON list to choose from, and an upload.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("picker/", view(self.picker_view), name="media_library_image_picker"),
            path("picker/upload/", view(self.picker_upload_view), name="media_library_image_upload"),
            *super().get_urls(),
        ]

    @staticmethod
    def picked(image):
        return {"id": image.pk, "title": str(image), "alt": image.alt, "caption": image.caption,
                "credit": image.credit, "thumbnail": image.thumbnail_url, "markdown": image.markdown}

    @staticmethod
    def _require(permitted):
        if not permitted:
            raise PermissionDenied

    def picker_view(self, request):
        return require_GET(self._picker)(request)

    def _picker(self, request):
        self._require(self.has_view_permission(request))
        found = Image.objects.search(request.GET.get("q"))[:PICKER_RESULTS]
        return JsonResponse({"results": [self.picked(image) for image in found],
                             "can_upload": self.has_add_permission(request)})

    def picker_upload_view(self, request):
        return require_POST(self._picker_upload)(request)

    def _picker_upload(self, request):
        self._require(self.has_add_permission(request))
        form = PickerUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    image = form.save()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return JsonResponse({"image": self.picked(image)}, status=201)
        return JsonResponse({"errors": {name: [str(message) for message in messages_]
                                        for name, messages_ in form.errors.items()}}, status=400)


class BodyImagesAdminMixin:
    """For the admin of a page: an "Insert image" button beside each field in `image_fields` (added by
    static/js/admin-insert-image.js, which reads the picker's addresses from the textarea), and a warning
    after a save whose body names an image the library does not have."""

    image_fields = ("body",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.image_fields:
            field.widget.attrs.update({
                "data-image-picker": reverse("admin:media_library_image_picker"),
                "data-image-upload": reverse("admin:media_library_image_upload"),
            })
        return field

    @property
    def media(self):
        return super().media + forms.Media(js=["js/admin-insert-image.js"], css={"all": ["css/admin-media.css"]})

    def preview_html(self, html):
        return Image.objects.expand(super().preview_html(html))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "preview" in getattr(request.resolver_match, "url_name", ""):
            return  # a preview saves inside a transaction it rolls back: the warning waits for the real save
        written = [key for name in self.image_fields for key in MARKDOWN_REFERENCE.findall(getattr(obj, name, ""))]
        known = {str(pk) for pk in Image.objects.filter(pk__in=[key for key in written if key.isdigit()])
                 .values_list("pk", flat=True)}
        unknown = sorted({key for key in written if key not in known})
        if unknown:
            messages.warning(request, "The body names " + ", ".join(f"image:{key}" for key in unknown) + ", which "
                             "the media library does not have: readers see nothing there. Use “Insert image” "
                             "to choose the image again.")
