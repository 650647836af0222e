from django.urls import path

from . import views

app_name = "pages"
# Mounted last in mindlab/urls.py, after every other route: a page can never hide another part of the site, and
# a slug whose address another route answers is refused (models.address_taken).
urlpatterns = [
    path("<slug:slug>/", views.PageDetailView.as_view(), name="detail"),
]
