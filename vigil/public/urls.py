"""The public website, mounted under a language prefix (``/fa/``, ``/en/``) so every link is shareable in
the language it was read in."""

from django.urls import path

from vigil.public import views
from vigil.public.caching import public_page
from vigil.public.feeds import FiguresFeed, RecordsFeed

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.directory, name="directory"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("events/", views.event_list, name="events"),
    path("events/<int:event_id>/", views.event, name="event"),
    path("statistics/", views.statistics, name="statistics"),
    path("about/", views.about, name="about"),
    path("feeds/records.atom", public_page(RecordsFeed()), name="feed-records"),
    path("feeds/figures.atom", public_page(FiguresFeed()), name="feed-figures"),
]
