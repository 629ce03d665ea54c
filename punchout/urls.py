from django.urls import path

from punchout import views

urlpatterns = [
    path("return/<str:token>/", views.punchout_return, name="punchout_return"),
]
