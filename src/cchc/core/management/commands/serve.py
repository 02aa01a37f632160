import multiprocessing
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    return min(2 * multiprocessing.cpu_count() + 1, 9)


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn (production): WEB_WORKERS processes (default 2 × cores + 1, at most 9), "
        "WEB_TIMEOUT seconds per request (default 60: long work runs in `cchc worker`, never in a request), "
        "graceful restarts, workers recycled after about 1,000 requests. Static files are served by WhiteNoise. "
        "Put a reverse proxy (deploy/nginx-cchc.conf) in front for HTTPS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("WEB_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS") or default_workers()))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "1")))
        parser.add_argument("--timeout", type=int, default=int(os.environ.get("WEB_TIMEOUT", "60")))
        parser.add_argument("--max-requests", type=int, default=int(os.environ.get("WEB_MAX_REQUESTS", "1000")))
        parser.add_argument("--access-log", default=os.environ.get("WEB_ACCESS_LOG", "-"), help="'-' for stdout")

    def handle(self, *args, bind, workers, threads, timeout, max_requests, access_log, **options):
        try:
            from gunicorn.app.base import BaseApplication
        except ImportError as exc:  # pragma: no cover - gunicorn is a dependency
            raise CommandError("gunicorn is not installed") from exc
        from django.core.wsgi import get_wsgi_application

        if workers < 1 or timeout < 1:
            raise CommandError("--workers and --timeout must be positive")
        options = {
            "bind": bind,
            "workers": workers,
            "threads": threads,
            "timeout": timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            "max_requests": max_requests,
            "max_requests_jitter": max(max_requests // 10, 1) if max_requests else 0,
            "accesslog": access_log or None,
            "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s',
            "errorlog": "-",
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            "proc_name": "cchc-web",
            "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
        }
        application = get_wsgi_application()

        class Server(BaseApplication):
            def load_config(self):
                for key, value in options.items():
                    if value is not None:
                        self.cfg.set(key, value)

            def load(self):
                return application

        self.stdout.write(
            f"cchc serve: {bind}, {workers} workers × {threads} threads, timeout {timeout} s "
            f"(database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]})"
        )
        Server().run()
