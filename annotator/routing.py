from django.urls import path

from annotator.consumers import ProjectEventsConsumer

websocket_urlpatterns = [
    # Channels' URLRouter takes Django's path(); the stubs type path() for views only.
    path("ws/projects/<int:project_id>/", ProjectEventsConsumer.as_asgi()),  # type: ignore[arg-type]
]
