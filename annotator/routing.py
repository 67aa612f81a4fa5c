from django.urls import path

from annotator import converters  # noqa: F401 - registers <id:…>
from annotator.consumers import ProjectEventsConsumer

websocket_urlpatterns = [
    # Channels' URLRouter takes Django's path(); the stubs type path() for views only.
    path("ws/projects/<id:project_id>/", ProjectEventsConsumer.as_asgi()),  # type: ignore[arg-type]
]
