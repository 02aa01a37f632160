import logging
import os

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from cchc.core.worker import Worker


class Command(BaseCommand):
    help = (
        "Run a task worker: the queued jobs (imports, recomputes, documents, large exports, daily reminders) one at a "
        "time, with a heartbeat; the jobs of workers that died are queued again or marked failed. Run one or more "
        "per machine (each is one process); SIGTERM lets the running job finish, a second one stops it (it is queued "
        "again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an empty queue")
        parser.add_argument("--batch", action="store_true", help="run the queued jobs, then exit")
        parser.add_argument("--max-tasks", type=int, default=None, help="exit after this many jobs")
        parser.add_argument("--worker-id", default=None, help="unique id (default: random)")

    def handle(self, *args, interval, batch, max_tasks, worker_id, **options):
        logging.getLogger("django_tasks_db").setLevel(logging.INFO)
        # On SQLite a worker may wait for another worker's long write (an import) longer than a web request may.
        database = connections.settings[DEFAULT_DB_ALIAS]
        if database["ENGINE"] == "django.db.backends.sqlite3":
            database["OPTIONS"]["timeout"] = int(os.environ.get("SQLITE_WORKER_BUSY_TIMEOUT", "600"))
            connections[DEFAULT_DB_ALIAS].close()
        worker = Worker(interval=interval, batch=batch, max_tasks=max_tasks, worker_id=worker_id)
        worker.configure_signals()
        worker.run()
