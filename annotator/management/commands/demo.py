"""``manage.py demo``: ``serve`` with the sample project seeded and a login printed."""

from __future__ import annotations

from typing import Any

from annotator.demo import demo_seed
from annotator.management.commands.serve import Command as ServeCommand


class Command(ServeCommand):
    help = "Seed the sample project and run the web server with a worker."

    def prepare(self, **options: Any) -> None:
        login = demo_seed()
        url = f"http://{options['host']}:{options['port']}/projects/{login.project_id}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Sample project ready ({login.items_created} items added): {url}\n"
                f"Log in as  {login.username} / {login.password}"
            )
        )
