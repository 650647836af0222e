from django.urls import path

from . import views

app_name = "strategy_calls"
urlpatterns = [
    path("", views.request_call, name="request"),
    path("thanks/", views.thanks, name="thanks"),
]
