from django.urls import path

from . import views

app_name = "hubs"
urlpatterns = [
    path("<slug:slug>/", views.HubDetailView.as_view(), name="detail"),
]
