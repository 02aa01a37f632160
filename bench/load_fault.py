"""Load and faults: the production stack on PostgreSQL, concurrent logged-in clients while an import runs, a task
worker killed in the middle of the import, and whether everything ended well.

    .venv/bin/python bench/load_fault.py --dossiers 200000 --clients 6 --web-workers 3 --task-workers 2 --port 8250

1. A fresh PostgreSQL database (`--db-name`, dropped at the end unless --keep), the defaults, a synthetic year:
   the first `--dossiers` × `--base-share` dossiers imported and their figures computed.
2. `cchc serve` (gunicorn, `--web-workers` processes) and `--task-workers` × `cchc worker`, on 127.0.0.1 only.
3. `--clients` threads log in and request the main pages in turn, while the administrator uploads the whole file
   (the imported rows again, unchanged, and the new ones) on the import page.
4. When the import job has read `--kill-at` of its file, the worker running it is killed (SIGKILL); a new worker is
   started, which finds the dead one and queues the job again.
5. When the job has ended, the clients stop. Printed: requests served, p50/p95/max per page, errors (HTTP 5xx or no
   answer), the job's end (status, runs), and whether the stored figures equal a full recompute and every dossier of
   the file is there.

Bounded: every wait has a deadline (`--timeout` for the whole run); every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
CCHC = [sys.executable, "-m", "cchc"]
PAGES = {
    "home": "/",
    "dashboard": "/dashboard/",
    "indicators": "/indicators/60/2023Q1/",
    "plan": "/plans/2023/",
    "tasks": "/plans/2023/tasks/",
    "reports": "/reports/?year=2023",
    "api-dossiers": "/api/dossiers/?limit=100",
    "healthz": "/healthz",
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def check(self, what: str) -> None:
        if self.left() <= 0:
            raise TimeoutError(f"--timeout reached while {what}")


class Client:
    """A browser-like session: cookies, CSRF token from the form, redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 120):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read(), response.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.read(), path

    def login(self, username: str, password: str) -> None:
        status, body, _ = self.request("/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        status, body, url = self.request(
            "/login/", form.encode(), {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.base}
        )
        if status != 200 or url.rstrip("/").endswith("/login"):
            raise RuntimeError(f"login failed: {status} {url}")

    def upload(self, path: str, fields: dict, file_field: str, file_path: Path) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {**fields, "csrfmiddlewaretoken": self.csrf()}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{file_path.name}"\r\n'
            "Content-Type: text/csv\r\n\r\n".encode()
        )
        parts.append(file_path.read_bytes())
        parts.append(f"\r\n--{boundary}--\r\n".encode())
        status, _, url = self.request(
            path,
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.base + path},
            timeout=600,
        )
        return status, url


def run(command: list[str], env: dict, what: str) -> str:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    log(f"{what}: {time.perf_counter() - started:.1f} s")
    return done.stdout


def figures(conn) -> dict:
    rows = conn.execute(
        "SELECT unit_id, period, level, metric, numerator, denominator FROM indicators_indicatorvalue"
    ).fetchall()
    return {row[:4]: row[4:] for row in rows}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=200_000, help="dossiers in the imported file")
    parser.add_argument("--base-share", type=float, default=0.5, help="share of them imported before the load")
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8250)
    parser.add_argument("--kill-at", type=float, default=0.3, help="kill the import's worker at this share read")
    parser.add_argument(
        "--kill-in",
        choices=["import", "refresh"],
        default="import",
        help="kill while the file is read (rolled back) or during the indicator refresh (dossiers committed)",
    )
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--db-name", default="h_runtime_bench")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds for the whole run")
    parser.add_argument("--keep", action="store_true", help="keep the database and the data folder")
    args = parser.parse_args()
    deadline = Deadline(args.timeout)
    base = f"http://127.0.0.1:{args.port}"
    data_dir = Path(tempfile.mkdtemp(prefix="cchc-loadfault-"))
    password = secrets.token_urlsafe(12)
    database_url = f"{args.server}/{args.db_name}"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="cchc.settings",
        SECRET_KEY=secrets.token_urlsafe(40),
        DEBUG="",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        CCHC_DATA_DIR=str(data_dir),
        CCHC_WORKER_HEARTBEAT="1",
        CCHC_REMINDERS_AT="",
        LOG_FORMAT="json",
        LOG_LEVEL="WARNING",
        WEB_ACCESS_LOG="",
        DJANGO_SUPERUSER_PASSWORD=password,
        PYTHONUNBUFFERED="1",
    )
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.db_name}"')
        admin.execute(f'CREATE DATABASE "{args.db_name}"')
    processes: dict[str, subprocess.Popen] = {}
    logs = data_dir / "logs"
    logs.mkdir()

    def start(name: str, command: list[str]) -> subprocess.Popen:
        out = (logs / f"{name}.log").open("w")
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        processes[name] = process
        return process

    try:
        # 1. The database and a first part of the year.
        run([*CCHC, "migrate", "--noinput"], env, "migrate")
        run([*CCHC, "collectstatic", "--noinput"], env, "collectstatic")
        run([*CCHC, "load_defaults"], env, "load_defaults")
        run([*CCHC, "createsuperuser", "--noinput", "--username", "admin", "--email", "a@example.vn"], env, "admin")
        whole = data_dir / "ho-so-2023.csv"
        run(
            [*CCHC, "generate_dossiers", "--year", "2023", "--count", str(args.dossiers), "--seed", "7", "--out",
             str(whole)],
            env,
            f"generate {args.dossiers:,} dossiers",
        )  # fmt: skip
        run([*CCHC, "import_catalogue", str(data_dir / "ho-so-2023-catalogue.csv")], env, "import catalogue")
        base_rows = int(args.dossiers * args.base_share)
        first = data_dir / "ho-so-2023-dot-1.csv"
        with whole.open() as src, first.open("w") as dst:
            for i, line in enumerate(src):
                if i > base_rows:
                    break
                dst.write(line)
        run([*CCHC, "import_dossiers", str(first), "--no-refresh"], env, f"import the first {base_rows:,}")
        run([*CCHC, "recompute_indicators", "--year", "2023"], env, "recompute 2023")

        # 2. The production stack.
        start("web", [*CCHC, "serve", "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.web_workers)])
        for i in range(args.task_workers):
            start(f"worker-{i + 1}", [*CCHC, "worker", "--worker-id", f"bench-{i + 1}"])
        while True:
            deadline.check("waiting for the server")
            try:
                status, body, _ = Client(base).request("/healthz", timeout=5)
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        log(f"server up: {args.web_workers} web processes, {args.task_workers} task workers")

        # 3. Clients on the main pages.
        results: list[tuple[str, int, float]] = []
        results_lock = threading.Lock()
        stop = threading.Event()

        def client_loop(number: int) -> None:
            client = Client(base)
            client.login("admin", password)
            names = list(PAGES)
            i = number
            while not stop.is_set() and deadline.left() > 0:
                name = names[i % len(names)]
                i += 1
                began = time.perf_counter()
                try:
                    status, _, _ = client.request(PAGES[name])
                except OSError:
                    status = 0
                with results_lock:
                    results.append((name, status, time.perf_counter() - began))

        threads = [threading.Thread(target=client_loop, args=(n,), daemon=True) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(3)

        # 4. The import through the page, and the kill.
        uploader = Client(base)
        uploader.login("admin", password)
        uploader.request("/dossiers/import/")
        status, url = uploader.upload("/dossiers/import/", {"kind": "dossiers"}, "file", whole)
        job_id = int(re.search(r"/jobs/(\d+)/", url).group(1))
        log(f"import job {job_id} started ({status}): {whole.stat().st_size / 2**20:.1f} MB")
        conn = psycopg.connect(database_url, autocommit=True)
        killed = None
        restarted_at = None
        while True:
            deadline.check("waiting for the import")
            row = conn.execute(
                "SELECT status, done, total, worker, attempts, message FROM core_job WHERE id = %s", [job_id]
            ).fetchone()
            status_, done, total, worker_id, attempts, message = row
            if status_ in ("done", "failed"):
                break
            file_size = whole.stat().st_size
            in_import = total == file_size and done >= args.kill_at * total
            in_refresh = total is not None and total != file_size
            due = in_import if args.kill_in == "import" else in_refresh
            if killed is None and status_ == "running" and due and worker_id:
                pid = conn.execute("SELECT pid FROM core_workerprocess WHERE worker_id = %s", [worker_id]).fetchone()[0]
                name = next(n for n, p in processes.items() if p.pid == pid)
                os.kill(pid, signal.SIGKILL)
                processes[name].wait()
                killed = (name, f"{100 * done / total:.0f}% of the file" if args.kill_in == "import" else "the refresh")
                log(f"killed {name} (pid {pid}) during {killed[1]}")
                start(f"{name}-restarted", [*CCHC, "worker", "--worker-id", f"{worker_id}-restarted"])
                restarted_at = time.monotonic()
            time.sleep(0.5)
        job_seconds = time.monotonic() - restarted_at if restarted_at else 0.0
        time.sleep(2)
        stop.set()
        for thread in threads:
            thread.join(timeout=150)
        log(f"import job {job_id}: {status_} after {attempts} run(s); {job_seconds:.0f} s after the restart")

        # 5. The figures: as stored, then as a full recompute gives them.
        stored = figures(conn)
        marks = conn.execute("SELECT count(*) FROM dossiers_refreshmark").fetchone()[0]
        dossiers = conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[0]
        result = conn.execute("SELECT result FROM core_job WHERE id = %s", [job_id]).fetchone()[0] or {}
        conn.close()
        run([*CCHC, "recompute_indicators", "--year", "2023"], env, "reference recompute")
        with psycopg.connect(database_url) as check:
            reference = figures(check)
        differing = sum(1 for key in set(stored) | set(reference) if stored.get(key) != reference.get(key))

        # The report.
        print()
        print(
            f"Load and faults — {args.clients} clients, {args.web_workers} web processes, {args.task_workers} task "
            f"workers, PostgreSQL; import of {args.dossiers:,} dossiers ({base_rows:,} already there)"
        )
        print(f"{'page':<14}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
        errors_total = 0
        for name in PAGES:
            rows = [r for r in results if r[0] == name]
            if not rows:
                continue
            times = [1000 * r[2] for r in rows]
            errors = sum(1 for r in rows if r[1] >= 500 or r[1] == 0)
            errors_total += errors
            print(
                f"{name:<14}{len(rows):>9}{percentile(times, 0.5):>9.0f}{percentile(times, 0.95):>9.0f}"
                f"{max(times):>9.0f}{errors:>8}"
            )
        statuses: dict[int, int] = {}
        for r in results:
            statuses[r[1]] = statuses.get(r[1], 0) + 1
        print(f"requests served: {len(results)}; by status: {dict(sorted(statuses.items()))}")
        print(f"server errors (5xx or no answer): {errors_total}")
        print(f"worker killed: {killed[0]} during {killed[1]}" if killed else "worker killed: no")
        print(f"import job: {status_}, runs {attempts}; {message!r}")
        print(f"import summary: {json.dumps(result.get('summary', {}))}")
        summary = result.get("summary", {})
        expected_dossiers = summary.get("rows_read", -1) - summary.get("rejected", 0)
        print(f"dossiers stored: {dossiers:,} (valid rows of the file: {expected_dossiers:,})")
        print(f"indicator refreshes still marked: {marks}")
        print(f"figures: {len(stored):,} stored values, {differing} differ from a full recompute")
        ok = (
            errors_total == 0
            and status_ == "done"
            and killed is not None
            and differing == 0
            and marks == 0
            and dossiers == expected_dossiers
        )
        print("RESULT:", "OK — 0 server errors, the import finished, the figures are right" if ok else "NOT OK")
        return 0 if ok else 1
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if not args.keep:
            with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
            import shutil

            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            log(f"kept: database {args.db_name}, folder {data_dir}")


if __name__ == "__main__":
    sys.exit(main())
