from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .admin_import import ImportForm, Upload, UploadError, changed_pages, may_import, run
from .models import ContentImport

SESSION_KEY = "content_imports"  # {token: file name} of the uploads this user's dry runs showed
KEPT_UPLOADS = 5
GONE = ("That upload is no longer waiting: it was imported or cancelled already, or it was uploaded more than an "
        "hour ago or to another app server. Upload the file again to see its dry run.")


@admin.register(ContentImport)
class ContentImportAdmin(admin.ModelAdmin):
    """Import content: upload → the dry run's report → Import (the real run on the same file) or Cancel."""

    def has_view_permission(self, request, obj=None):
        return may_import(request.user)  # the admin index lists the page only for those who may use it

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view  # staff only, CSRF-protected, never cached
        return [
            path("", view(self.upload_view), name="transfer_contentimport_changelist"),
            path("confirm/", view(self.confirm_view), name="transfer_contentimport_confirm"),
            path("cancel/", view(self.cancel_view), name="transfer_contentimport_cancel"),
            path("add/", view(self.add_view), name="transfer_contentimport_add"),  # a 403, like every add page refused
        ]

    def upload_view(self, request):
        if not may_import(request.user):
            return self.render(request, "Import content", status=403, forbidden=True)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = Upload.save(form.cleaned_data["file"])
            try:
                result = run(upload, dry_run=True)
            except UploadError as error:
                upload.delete()
                form.add_error("file", str(error))
            except BaseException:
                upload.delete()
                raise
            else:
                uploads = request.session.get(SESSION_KEY, {})
                for token in list(uploads)[:-KEPT_UPLOADS + 1]:  # the oldest dry runs of this user are dropped
                    Upload(token, uploads.pop(token)).delete()
                request.session[SESSION_KEY] = {**uploads, upload.token: upload.name}
                return self.render(request, f"Dry run of {upload.name}", result=result, rows=result.rows(),
                                   upload=upload)
        return self.render(request, "Import content", form=form)

    def confirm_view(self, request):
        if not may_import(request.user):
            return self.render(request, "Import content", status=403, forbidden=True)
        upload = self.take_upload(request)
        if upload is None:
            return self.back(request)
        try:
            result = run(upload, dry_run=False)
        except UploadError as error:
            self.message_user(request, str(error), messages.ERROR)
            return self.back(request)
        finally:
            upload.delete()
        return self.render(request, f"Imported {upload.name}", result=result, rows=result.rows(changed_pages(result)),
                           upload=upload)

    def cancel_view(self, request):
        upload = self.take_upload(request)
        if upload is not None:
            upload.delete()
            self.message_user(request, f"The upload {upload.name} was discarded; nothing was imported.", messages.INFO)
        return self.back(request)

    def take_upload(self, request):
        """The upload the posted token names if this user's session lists it, taken off the list; None for a GET,
        and None with a message for a forged or reused token or a file that is gone."""
        if request.method != "POST":
            return None
        uploads = request.session.get(SESSION_KEY, {})
        token = request.POST.get("token", "")
        upload = Upload.find(token, uploads.pop(token, None))
        request.session[SESSION_KEY] = uploads
        if upload is None:
            self.message_user(request, GONE, messages.ERROR)
        return upload

    def back(self, request):
        return redirect(reverse("admin:transfer_contentimport_changelist"))

    def render(self, request, title, status=200, **context):
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": title,
                   "max_mb": settings.IMPORT_MAX_UPLOAD_MB, **context}
        return TemplateResponse(request, "admin/transfer/import.html", context, status=status)
