#!/usr/bin/env python
"""End-to-end benchmark of cchc on SQLite and PostgreSQL (not run by CI).

    python bench/benchmark.py --rows 1000000 --databases sqlite,postgres [--workdir /tmp/cchc-bench] [--seed 2023]

For each database it measures, on fresh databases it creates itself (idempotent: it drops and recreates them):

1. generation  `cchc generate_dossiers` (once, shared by the databases): time and file size;
2. import      `cchc migrate`, `load_defaults`, `import_catalogue`, then `import_dossiers` as a child process:
               rows/s and the child's peak RSS (os.wait4 on that one child), with the ratio to the reference (the
               same file written raw into a bare table: COPY on PostgreSQL, executemany on SQLite); the same for a
               100,000-row file into another fresh database, to show whether memory grows with the file;
3. recompute   `cchc recompute_indicators --year 2023`, with the breakdown it prints;
4. refresh     10,000 changed dossiers taken from the generated file, imported in-process, then
               `cchc.indicators.compute.refresh_pending()` (by delta when it can), both timed separately; then every
               stored cell compared with a full recompute;
5. pages       the real server (`cchc runserver --noreload`, DEBUG=0) on 127.0.0.1, a logged-in urllib client,
               300 sequential requests of /indicators/<code>/<period>/ and 50 of the dossier list page; then the
               province dashboard (/dashboard/ with filters) and the public page /public/ (anonymous client);
6. duckdb      the same prepared frame aggregated by DuckDB SQL (physical reference) and by our engine
               (`leaf_values` + `procedure_usage`): times, ratio, and a cell-by-cell agreement check.

Every child's output goes to WORKDIR/logs/; the figures are printed as a table and written as JSON to
WORKDIR.json (next to the workdir). The script re-runs itself with `--inner STEP` for the in-process steps,
so that each step has its own Django settings (DATABASE_URL) and its own peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import http.cookiejar
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

YEAR = 2023
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
PG_DB = "cchc_bench"
UNIT_PAGE_CODES = ["60", "593", "602", "SNV", "TTHCC"]
DOSSIER_LIST_PATH = "/indicators/593/2023Q1/dossiers/?metric=PROCESSING_ON_TIME&part=missing"
# The province dashboard (issue 5): the whole province, a quarter (projection + at-risk list), a district, one level.
DASHBOARD_PATHS = [
    "/dashboard/",
    f"/dashboard/?period={YEAR}Q2",
    "/dashboard/?unit=593",
    f"/dashboard/?unit=593&period={YEAR}06&level=C",
    f"/dashboard/?period={YEAR}Q3&level=D",
]
PUBLIC_PATH = "/public/"  # no login: measured with a client that has no session
# The main pages a logged-in user opens, requested in turn by every concurrent client (`pages_load`).
LOAD_PATHS = [
    "/",
    "/dashboard/",
    f"/dashboard/?period={YEAR}Q2",
    "/dashboard/?unit=593",
    f"/indicators/60/{YEAR}/",
    f"/indicators/593/{YEAR}Q1/",
    f"/indicators/SNV/{YEAR}06/",
    f"/scoring/{YEAR}/ranking/",
    f"/plans/{YEAR}/",
    f"/reports/?year={YEAR}",
    "/public/",
]
BENCH_USER = "bench"
ISO = "%Y-%m-%dT%H:%M:%S"
ALT = "%d/%m/%Y %H:%M"
RATINGS = ["rat_hai_long", "hai_long", "khong_hai_long"]


class StepError(RuntimeError):
    pass


def src_fingerprint() -> dict:
    """Files and newest change under the cchc package, and a digest of their contents (no git here)."""
    import hashlib
    import importlib.util

    spec = importlib.util.find_spec("cchc")
    if spec is None or not spec.submodule_search_locations:
        return {}
    root = Path(next(iter(spec.submodule_search_locations)))
    digest, newest, count = hashlib.sha256(), 0.0, 0
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts:
            continue
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
        newest = max(newest, path.stat().st_mtime)
        count += 1
    return {
        "root": str(root),
        "files": count,
        "sha256": digest.hexdigest()[:16],
        "newest_change": dt.datetime.fromtimestamp(newest).isoformat(timespec="seconds"),
    }


def now_iso() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def say(message: str = "") -> None:
    print(message, flush=True)


def mib(kib: float | None) -> float | None:
    return None if kib is None else round(kib / 1024, 1)


# -- child processes ------------------------------------------------------------------------------------------


class Child:
    """One finished child process: exit code, wall seconds, peak RSS (KiB, this child and what it waited for)."""

    def __init__(self, name, argv, returncode, seconds, max_rss_kib, out_log, err_log):
        self.name, self.argv, self.returncode = name, argv, returncode
        self.seconds, self.max_rss_kib = seconds, max_rss_kib
        self.out_log, self.err_log = out_log, err_log

    @property
    def stdout(self) -> str:
        return self.out_log.read_text("utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self.err_log.read_text("utf-8", errors="replace")

    def tail(self, lines: int = 15) -> str:
        text = (self.stderr.strip() + "\n" + self.stdout.strip()).strip()
        return "\n".join(text.splitlines()[-lines:])


def _kill_group(pgid: int, escalate_after: float = 10.0) -> None:
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + escalate_after
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def _gnu_time() -> str | None:
    """/usr/bin/time if it is GNU time (`-f %M` = peak RSS in KiB, `-o FILE`)."""
    path = "/usr/bin/time"
    if not os.access(path, os.X_OK):
        return None
    try:
        probe = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return (
        path
        if probe.returncode == 0
        and probe.stderr.strip().splitlines()[-1:]
        and probe.stderr.strip().splitlines()[-1].isdigit()
        else None
    )


TIME_BIN = _gnu_time()
# How a child's peak RSS is measured. Not os.wait4/RUSAGE_CHILDREN of a child of this process: Linux keeps the
# parent's high-water RSS across vfork+exec (exec_mmap → setmax_mm_hiwater_rss), so ru_maxrss of every child is
# at least this process's own peak. GNU time forks from a small C process, so its %M is the child's own.
RSS_METHOD = "GNU time %M" if TIME_BIN else "wait4 ru_maxrss (after resetting this process's peak)"


def _reset_own_peak() -> None:
    """Fallback without GNU time: reset this process's VmHWM so that a child's ru_maxrss is less inflated."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def own_peak_mib() -> float | None:
    """This process's own peak RSS (VmHWM: the current image only, unlike ru_maxrss after exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _tree_rss_kib(pid: int) -> int:
    """Resident KiB of a process and its descendants (/proc), 0 when gone."""
    total, todo = 0, [pid]
    for _ in range(64):  # bounded: the trees here are one or two processes deep
        if not todo:
            break
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            todo.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return total


def _tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of a process and its descendants so far (/proc), 0 when gone: a server's cost per
    request, which carries to another machine better than its wall time under load."""
    total, todo = 0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    for _ in range(64):
        if not todo:
            break
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
            todo.extend(int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total / tick


class RssSampler(threading.Thread):
    """RSS of a child's process tree every `every` seconds: does memory grow with the rows read, or level off?"""

    def __init__(self, pid: int, every: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()
        self.started = time.perf_counter()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            rss = _tree_rss_kib(self.pid)
            if rss:
                self.samples.append((time.perf_counter() - self.started, rss))

    def summary(self) -> dict:
        """RSS (MiB) at each tenth of the run: a flat tail means memory bounded by the batch, not the file."""
        if not self.samples:
            return {}
        end = self.samples[-1][0]
        marks = {}
        for tenth in range(1, 11):
            t = end * tenth / 10
            marks[f"{tenth * 10}%"] = mib(max((r for s, r in self.samples if s <= t + 1e-9), default=0))
        return {"samples": len(self.samples), "every_s": self.every, "max_rss_so_far_mib": marks}


def run_child(
    name: str, argv: list[str], env: dict, logs: Path, cwd: Path, timeout: float, check=True, sample_rss: bool = False
) -> Child:
    """Run one child in its own process group, output to logs/NAME.{out,err}.log; its peak RSS (see RSS_METHOD)."""
    out_log, err_log = logs / f"{name}.out.log", logs / f"{name}.err.log"
    time_file = logs / f"{name}.time"
    time_file.unlink(missing_ok=True)
    if TIME_BIN:
        argv = [TIME_BIN, "-f", "%M", "-o", str(time_file), *argv]
    else:
        _reset_own_peak()
    with open(out_log, "wb") as out, open(err_log, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True
        )
        timed_out = threading.Event()

        def on_timeout() -> None:
            timed_out.set()
            _kill_group(proc.pid)

        timer = threading.Timer(timeout, on_timeout)
        timer.daemon = True
        timer.start()
        sampler = RssSampler(proc.pid) if sample_rss else None
        if sampler:
            sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            _kill_group(proc.pid, escalate_after=2)
            raise
        finally:
            timer.cancel()
            if sampler:
                sampler.stop.set()
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
    max_rss = usage.ru_maxrss
    if TIME_BIN:
        try:
            max_rss = int(time_file.read_text().strip().splitlines()[-1])
        except (OSError, ValueError, IndexError):
            max_rss = None
    child = Child(name, argv, proc.returncode, seconds, max_rss, out_log, err_log)
    child.rss_timeline = sampler.summary() if sampler else None
    child.cpu_seconds = usage.ru_utime + usage.ru_stime  # its own and its waited-for descendants' (Linux)
    if timed_out.is_set():
        raise StepError(f"{name}: timed out after {timeout:.0f} s (see {err_log})")
    if check and proc.returncode != 0:
        raise StepError(f"{name}: exit code {proc.returncode} (see {err_log}):\n{child.tail()}")
    return child


# -- parsing what the commands print ---------------------------------------------------------------------------


def _int(text: str) -> int:
    return int(text.replace(",", ""))


def parse_import_summary(text: str) -> dict:
    result: dict = {}
    m = re.search(
        r"([\d,]+) rows read: ([\d,]+) inserted, ([\d,]+) updated, ([\d,]+) unchanged, ([\d,]+) rejected"
        r".*?— ([\d.]+) s \(([\d,]+) rows/s\)",
        text,
    )
    if not m:  # the command speaks the installation's language (Vietnamese by default)
        m = re.search(
            r"Đã đọc ([\d,]+) dòng: thêm mới ([\d,]+), cập nhật ([\d,]+), không thay đổi ([\d,]+), "
            r"bị từ chối ([\d,]+).*?— ([\d.]+) giây \(([\d,]+) dòng/giây\)",
            text,
        )
    if m:
        keys = ["rows_read", "inserted", "updated", "unchanged", "rejected"]
        result.update({k: _int(v) for k, v in zip(keys, m.groups()[:5], strict=False)})
        result["command_seconds"] = float(m[6])
        result["command_rows_per_s"] = _int(m[7])
    m = re.search(r"([\d,]+) \(unit, year\) pairs to refresh", text) or re.search(
        r"([\d,]+) cặp \(đơn vị, năm\) cần tính lại", text
    )
    if m:
        result["pairs_to_refresh"] = _int(m[1])
    result["refresh_lines"] = [line for line in text.splitlines() if "refresh" in line.lower()]
    return result


def parse_recompute(text: str) -> dict:
    m = re.search(r"(\d{4}): (\d+) dossiers → (\d+) values in ([\d.]+) s \((.*)\)", text)
    if not m:
        return {"unparsed": text.strip()[-500:]}
    breakdown = {k: float(v) for k, v in re.findall(r"([A-Za-z_]+) ([\d.]+) s", m[5])}
    return {"dossiers": int(m[2]), "values": int(m[3]), "command_seconds": float(m[4]), "breakdown": breakdown}


# -- the changed-dossiers file ----------------------------------------------------------------------------------


def _parse_dt(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    for fmt in (ISO, ALT):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _fmt(value: dt.datetime) -> str:
    return value.strftime(ISO)


def write_changes(source: Path, target: Path, count: int, seed: int) -> dict:
    """`count` random rows of `source` (fixed seed), each changed the way a later sync would change it."""
    import random

    import numpy as np
    import polars as pl

    frame = pl.read_csv(source, infer_schema=False)
    count = min(count, frame.height)
    index = np.sort(np.random.default_rng(seed).choice(frame.height, size=count, replace=False))
    rows = frame[index].to_dicts()
    del frame
    rng = random.Random(seed)
    tally = {
        "finished": 0,
        "finished_after_supplement": 0,
        "to_supplement": 0,
        "rated": 0,
        "returned": 0,
        "flags": 0,
        "unchanged": 0,
    }

    def finish(row: dict, after: dt.datetime) -> None:
        accepted = _parse_dt(row["NgayTiepNhan"]) or after
        due = _parse_dt(row["NgayHenTra"])
        span = (
            (due - accepted) * rng.uniform(0.3, 1.3)
            if due and due > accepted
            else dt.timedelta(days=rng.randint(1, 20))
        )
        ended = max(after, accepted) + max(span, dt.timedelta(hours=1))
        row["TrangThaiHoSo"] = "10"
        row["NgayKetThucXuLy"] = _fmt(ended)
        row["NgayTra"] = _fmt(ended + dt.timedelta(hours=rng.randint(0, 48)))
        if rng.random() < 0.4:
            row["DanhGiaHaiLong"] = rng.choices(RATINGS, weights=[5, 4, 1])[0]

    for row in rows:
        status = int(row["TrangThaiHoSo"] or 0)
        accepted = _parse_dt(row["NgayTiepNhan"])
        if status in (2, 4, 6) and accepted:
            if rng.random() < 0.85:
                finish(row, accepted)
                tally["finished"] += 1
            else:  # a supplement is requested (a few)
                last = max(
                    d
                    for d in (accepted, _parse_dt(row["NgayYeuCauBoSung"]), _parse_dt(row["NgayHoanThanhBoSung"]))
                    if d
                )
                row["TrangThaiHoSo"] = "5"
                row["NgayYeuCauBoSung"] = _fmt(last + dt.timedelta(days=rng.randint(1, 3)))
                row["NgayHoanThanhBoSung"] = ""
                row["SoLanYeuCauBoSung"] = str(int(row["SoLanYeuCauBoSung"] or 0) + 1)
                tally["to_supplement"] += 1
            continue
        if status == 5 and accepted:
            requested = _parse_dt(row["NgayYeuCauBoSung"]) or accepted
            supplied = _parse_dt(row["NgayHoanThanhBoSung"]) or requested + dt.timedelta(days=rng.randint(1, 5))
            row["NgayYeuCauBoSung"], row["NgayHoanThanhBoSung"] = _fmt(requested), _fmt(supplied)
            finish(row, supplied)
            tally["finished_after_supplement"] += 1
            continue
        if status in (9, 10) and not row["DanhGiaHaiLong"]:
            row["DanhGiaHaiLong"] = rng.choices(RATINGS, weights=[5, 4, 1])[0]
            tally["rated"] += 1
            continue
        if status == 9 and row["NgayKetThucXuLy"]:
            row["TrangThaiHoSo"] = "10"
            row["NgayTra"] = _fmt(_parse_dt(row["NgayKetThucXuLy"]) + dt.timedelta(hours=rng.randint(1, 48)))
            tally["returned"] += 1
            continue
        for flag in ("DongBoDVCQG", "LuanChuyenDienTu", "CoKetQuaDienTu", "HoSoCoThanhPhanSoHoa"):
            if row.get(flag) == "0":
                row[flag] = "1"  # synced / digitised later
                tally["flags"] += 1
                break
        else:
            tally["unchanged"] += 1
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
    return {"rows": len(rows), "changes": tally, "file": str(target), "bytes": target.stat().st_size}


# -- HTTP client (urllib, loopback only) ------------------------------------------------------------------------


class Client:
    def __init__(self, base: str, timeout: float):
        self.base, self.timeout = base, timeout
        self.jar = http.cookiejar.CookieJar()
        # No proxies: loopback only, whatever the environment says.
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar)
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, bytes, str, float]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                content = resp.read()
                status, url = resp.status, resp.geturl()
        except urllib.error.HTTPError as exc:
            content, status, url = exc.read(), exc.code, exc.geturl()
        return status, content, url, time.perf_counter() - started

    def login(self, username: str, password: str) -> None:
        status, content, _, _ = self.request("/login/")
        if status != 200:
            raise StepError(f"GET /login/: HTTP {status}")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if not m:
            raise StepError("GET /login/: no csrfmiddlewaretoken in the form")
        status, content, url, _ = self.request(
            "/login/", {"csrfmiddlewaretoken": m[1].decode(), "username": username, "password": password}
        )
        if status != 200 or url.rstrip("/").endswith("/login"):
            raise StepError(f"login failed: HTTP {status} at {url}")
        if not any(c.name == "sessionid" for c in self.jar):
            raise StepError("login: no session cookie (is SESSION_COOKIE_SECURE on over plain HTTP?)")


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def latency_stats(samples: list[float]) -> dict:
    ms = [s * 1000 for s in samples]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1),
        "mean_ms": round(sum(ms) / len(ms), 1),
    }


def free_port(wanted: int = 0) -> int:
    """`wanted` when given (`--port`: a port reserved for this run), else one the system has free."""
    if wanted:
        return wanted
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the benchmark ------------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, args):
        self.args = args
        self.workdir = Path(args.workdir).resolve()
        self.logs = self.workdir / "logs"
        self.json_path = Path(str(self.workdir) + ".json")
        self.secret = secrets.token_urlsafe(40)
        self.started = time.monotonic()
        self.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
        unknown = set(self.databases) - {"sqlite", "postgres"}
        if unknown or not self.databases:
            raise SystemExit(f"--databases: use sqlite and/or postgres (got {args.databases!r})")
        self.results: dict = {
            "meta": {
                "started": now_iso(),
                "argv": sys.argv,
                "rows": args.rows,
                "small_rows": args.small_rows,
                "changes": args.changes,
                "seed": args.seed,
                "workdir": str(self.workdir),
                "python": sys.version.split()[0],
                "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {self._mem_total_gib()} GiB",
                "settings": "DEBUG=0, SECRET_KEY set (production-like)",
                "rss_method": RSS_METHOD,
                "src_at_start": src_fingerprint(),
            },
            "generation": {},
            "databases": {},
        }

    # -- helpers
    @staticmethod
    def _mem_total_gib() -> str:
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 2**20:.0f}"
        except OSError:
            pass
        return "?"

    def env(self, database_url: str | None = None, **extra) -> dict:
        env = dict(os.environ)
        for name in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"):
            env.pop(name, None)
        env.update(
            DEBUG="0",
            SECRET_KEY=self.secret,
            CCHC_DATA_DIR=str(self.workdir),
            PYTHONUNBUFFERED="1",
            DJANGO_SETTINGS_MODULE="cchc.settings",
            LOG_LEVEL="WARNING",
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        env.update(extra)
        return env

    def cchc(self, name: str, args: list[str], database_url: str | None, timeout: float | None = None, **kw) -> Child:
        argv = [sys.executable, "-m", "cchc", *args]
        return run_child(
            name, argv, self.env(database_url), self.logs, self.workdir, timeout or self.args.step_timeout, **kw
        )

    def inner(self, name: str, step: str, database_url: str, params: dict, timeout: float | None = None) -> dict:
        params_file = self.workdir / f"{name}.params.json"
        out_file = self.workdir / f"{name}.result.json"
        params_file.write_text(json.dumps(params))
        out_file.unlink(missing_ok=True)
        argv = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--inner",
            step,
            "--params",
            str(params_file),
            "--result",
            str(out_file),
        ]
        child = run_child(
            name, argv, self.env(database_url or None), self.logs, self.workdir, timeout or self.args.step_timeout
        )
        result = json.loads(out_file.read_text())
        result["process_seconds"] = round(child.seconds, 2)
        result["process_peak_rss_mib"] = mib(child.max_rss_kib)
        return result

    def save(self) -> None:
        self.results["meta"]["elapsed_s"] = round(time.monotonic() - self.started, 1)
        tmp = self.json_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.results, indent=2, ensure_ascii=False, default=str))
        tmp.replace(self.json_path)

    def out_of_time(self) -> bool:
        return time.monotonic() - self.started > self.args.max_minutes * 60

    def step(self, record: dict, key: str, fn, *fargs):
        """Run one step; a failure is recorded (and printed) and the benchmark goes on with the next."""
        if self.out_of_time():
            record[key] = {"error": f"skipped: past --max-minutes {self.args.max_minutes}"}
            say(f"  {key}: skipped (time budget spent)")
            return None
        say(f"[{now_iso()}] {record.get('_label', '')} {key} …")
        started = time.perf_counter()
        try:
            value = fn(*fargs)
        except Exception as exc:  # noqa: BLE001 — reported, the run goes on
            message = str(exc) if isinstance(exc, StepError) else "".join(traceback.format_exception(exc))
            record[key] = {"error": message}
            say(f"  FAILED: {message.strip()[:2000]}")
            value = None
        else:
            record[key] = value
            say(f"  done in {time.perf_counter() - started:.1f} s")
        self.save()
        return value

    # -- databases
    def psql(self, name: str, sql: str) -> Child:
        argv = [
            "psql",
            "-h",
            PG_HOST,
            "-p",
            str(PG_PORT),
            "-U",
            PG_USER,
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-X",
            "-q",
            "-c",
            sql,
        ]
        return run_child(name, argv, dict(os.environ, PGCONNECT_TIMEOUT="10"), self.logs, self.workdir, 120)

    def fresh_database(self, kind: str, small: bool) -> str:
        if kind == "sqlite":
            path = self.workdir / ("bench-small.sqlite3" if small else "bench.sqlite3")
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            return f"sqlite:///{path}"
        name = f"{self.args.pg_database}_small" if small else self.args.pg_database
        self.psql(f"postgres-drop-{name}", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.psql(f"postgres-create-{name}", f"CREATE DATABASE {name}")
        return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"

    def check_prerequisites(self) -> None:
        import importlib.util

        if importlib.util.find_spec("cchc") is None:
            raise SystemExit(f"cchc is not importable from {sys.executable} (pip install -e .)")
        if "postgres" in self.databases:
            if not shutil.which("psql"):
                raise SystemExit("psql not found: install the PostgreSQL client, or use --databases sqlite")
            try:
                self.psql("postgres-check", "SELECT 1")
            except StepError as exc:
                raise SystemExit(f"PostgreSQL at {PG_HOST}:{PG_PORT} (user {PG_USER}) is not usable: {exc}") from None
        if "duckdb" not in self.args.skip and importlib.util.find_spec("duckdb") is None:
            say("duckdb missing: pip install duckdb")
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "duckdb"], check=True, timeout=600)

    # -- steps
    def generate(self, rows: int, label: str) -> dict:
        out = self.workdir / f"dossiers-{YEAR}-{rows}-seed{self.args.seed}.csv"
        catalogue = out.with_name(out.stem + "-catalogue.csv")
        if self.args.reuse is not None and out.exists() and catalogue.exists():
            return {
                "rows": rows,
                "file": str(out),
                "catalogue": str(catalogue),
                "seconds": 0.0,
                "bytes": out.stat().st_size,
                "mib": round(out.stat().st_size / 2**20, 1),
                "catalogue_bytes": catalogue.stat().st_size,
                "peak_rss_mib": None,
                "reused": True,
            }
        child = self.cchc(
            f"generate-{label}",
            [
                "generate_dossiers",
                "--year",
                str(YEAR),
                "--count",
                str(rows),
                "--seed",
                str(self.args.seed),
                "--out",
                str(out),
            ],
            None,
        )
        if not out.exists() or not catalogue.exists():
            raise StepError(f"generate_dossiers did not write {out} and {catalogue}")
        return {
            "rows": rows,
            "file": str(out),
            "catalogue": str(catalogue),
            "seconds": round(child.seconds, 2),
            "bytes": out.stat().st_size,
            "mib": round(out.stat().st_size / 2**20, 1),
            "catalogue_bytes": catalogue.stat().st_size,
            "peak_rss_mib": mib(child.max_rss_kib),
        }

    def import_help(self) -> dict:
        child = self.cchc("import_dossiers-help", ["import_dossiers", "--help"], None, timeout=120)
        text = child.stdout
        return {"has_no_refresh": "--no-refresh" in text, "mentions_refresh": "refresh" in text.lower()}

    def setup_and_import(self, kind: str, small: bool, generated: dict, tag: str) -> dict:
        url = self.fresh_database(kind, small)
        times = {}
        for name, args in (
            ("migrate", ["migrate", "--noinput"]),
            ("load_defaults", ["load_defaults"]),
            ("import_catalogue", ["import_catalogue", generated["catalogue"]]),
        ):
            times[name] = round(self.cchc(f"{kind}-{tag}-{name}", args, url).seconds, 2)
        args = ["import_dossiers", generated["file"]]
        if self.help.get("has_no_refresh"):
            args.append("--no-refresh")
        load_before = os.getloadavg()[0]
        child = self.cchc(f"{kind}-{tag}-import_dossiers", args, url, sample_rss=True)
        load_after = os.getloadavg()[0]
        parsed = parse_import_summary(child.stdout + "\n" + child.stderr)
        rows = parsed.get("rows_read") or generated["rows"]
        # The reference: the same file's rows written raw into a bare table of the same database (PostgreSQL: COPY
        # of the file; SQLite: executemany of its rows as read by the csv module), no checks, no indexes.
        reference = self.inner(f"{kind}-{tag}-reference", "import_reference", url, {"file": generated["file"]})
        command_rate = parsed.get("command_rows_per_s")
        return {
            "database_url": url,
            "setup_seconds": times,
            "command": " ".join(args[:1] + ["FILE"] + args[2:]),
            "seconds": round(child.seconds, 2),
            "rows_per_s": round(rows / child.seconds),
            # The command's own CPU (not the PostgreSQL server's): the figure that carries to another machine.
            "cpu_seconds": round(child.cpu_seconds, 1),
            "load_average": [round(load_before, 1), round(load_after, 1)],
            "peak_rss_mib": mib(child.max_rss_kib),
            "rss_timeline": child.rss_timeline,
            "reference": reference,
            "ratio_to_reference": round(command_rate / reference["rows_per_s"], 2) if command_rate else None,
            **parsed,
        }

    def recompute(self, kind: str, url: str) -> dict:
        load = os.getloadavg()[0]
        child = self.cchc(f"{kind}-recompute", ["recompute_indicators", "--year", str(YEAR)], url)
        return {
            "loadavg_before": round(load, 2),
            "loadavg_after": round(os.getloadavg()[0], 2),
            "cpu_seconds": round(child.cpu_seconds, 2),
            "seconds": round(child.seconds, 2),
            "peak_rss_mib": mib(child.max_rss_kib),
            **parse_recompute(child.stdout),
        }

    def refresh(self, kind: str, url: str) -> dict:
        return self.inner(f"{kind}-refresh", "refresh", url, {"file": self.changes["file"]})

    def pages(self, kind: str, url: str) -> dict:
        password = secrets.token_urlsafe(16)
        prep = self.inner(
            f"{kind}-pages-prepare",
            "prepare_pages",
            url,
            {"username": BENCH_USER, "password": password, "seed": self.args.seed, "communes": 5},
        )
        env = self.env(url, ALLOWED_HOSTS="127.0.0.1", SECURE_COOKIES="0", SECURE_SSL_REDIRECT="0", CONN_MAX_AGE="60")
        static_note = "collectstatic OK with cchc.settings"
        child = run_child(
            f"{kind}-collectstatic",
            [sys.executable, "-m", "cchc", "collectstatic", "--noinput"],
            env,
            self.logs,
            self.workdir,
            600,
            check=False,
        )
        if child.returncode != 0:
            last = [line for line in child.stderr.strip().splitlines() if line.strip()]
            raise RuntimeError(f"cchc collectstatic failed ({last[-1][:300] if last else '?'}; see {child.err_log})")
        port = free_port(self.args.port)
        base = f"http://127.0.0.1:{port}"
        out_log, err_log = self.logs / f"{kind}-server.out.log", self.logs / f"{kind}-server.err.log"
        with open(out_log, "wb") as out, open(err_log, "wb") as err:
            server = subprocess.Popen(
                [sys.executable, "-m", "cchc", "runserver", f"127.0.0.1:{port}", "--noreload"],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=self.workdir,
                start_new_session=True,
            )
        try:
            client = Client(base, timeout=self.args.request_timeout)
            deadline = time.monotonic() + 60
            while True:
                if server.poll() is not None:
                    raise StepError(f"the server exited ({server.returncode}): see {err_log}")
                try:
                    if client.request("/login/")[0] == 200:
                        break
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
                if time.monotonic() > deadline:
                    raise StepError(f"the server did not answer on {base} within 60 s: see {err_log}")
                time.sleep(0.25)
            client.login(BENCH_USER, password)
            codes = UNIT_PAGE_CODES + prep["communes"]
            periods = [
                str(YEAR),
                f"{YEAR}S1",
                *(f"{YEAR}Q{q}" for q in range(1, 5)),
                *(f"{YEAR}{m:02d}" for m in range(1, 13)),
            ]
            combos = [(c, p) for c in codes for p in periods]
            import random

            random.Random(self.args.seed).shuffle(combos)
            result: dict = {
                "communes": prep["communes"],
                "commune_dossiers": prep["commune_dossiers"],
                "units": codes,
                "combinations": len(combos),
                "server": base,
                "conn_max_age": env["CONN_MAX_AGE"],
                "static": static_note,
                "settings": env["DJANGO_SETTINGS_MODULE"],
            }
            # Warm-up: each unit once (templates, connections, imports).
            for code in codes:
                client.request(f"/indicators/{code}/{YEAR}/")
            samples, errors, slowest = [], {}, []
            # A page asked for the first time is computed; asked again (same data), it is read from the page cache.
            first, again, seen = [], [], set()
            cpu = _tree_cpu_s(server.pid)
            for i in range(self.args.page_requests):
                code, period = combos[i % len(combos)]
                path = f"/indicators/{code}/{period}/"
                status, content, _, seconds = client.request(path)
                if status != 200:
                    errors[path] = status
                samples.append(seconds)
                (again if path in seen else first).append(seconds)
                seen.add(path)
                slowest.append((seconds, path, len(content)))
            result["unit_page"] = latency_stats(samples)
            result["unit_page"]["server_cpu_ms"] = round((_tree_cpu_s(server.pid) - cpu) * 1000 / len(samples), 1)
            result["unit_page"]["first_view"] = latency_stats(first) if first else None
            result["unit_page"]["viewed_again"] = latency_stats(again) if again else None
            result["unit_page"]["errors"] = errors
            result["unit_page"]["slowest"] = [
                {"path": p, "ms": round(s * 1000, 1), "bytes": b} for s, p, b in sorted(slowest, reverse=True)[:5]
            ]
            for _ in range(3):
                client.request(DOSSIER_LIST_PATH)
            samples, errors = [], {}
            size = 0
            for _ in range(self.args.list_requests):
                status, content, _, seconds = client.request(DOSSIER_LIST_PATH)
                if status != 200:
                    errors[status] = errors.get(status, 0) + 1
                size = len(content)
                samples.append(seconds)
            result["dossier_list"] = latency_stats(samples) | {
                "errors": errors,
                "bytes": size,
                "path": DOSSIER_LIST_PATH,
            }
            result["dossier_list_breakdown"] = prep.get("dossier_list_breakdown")
            result["dashboard"] = self.time_paths(client, DASHBOARD_PATHS, self.args.dashboard_requests, server.pid)
            result["public_page"] = self.time_paths(
                Client(base, timeout=self.args.request_timeout), [PUBLIC_PATH], self.args.dashboard_requests, server.pid
            )
            return result
        finally:
            if server.poll() is None:
                _kill_group(server.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=15)

    def pages_load(self, kind: str, url: str) -> dict:
        """`--clients` logged-in clients (one thread and one session each) request LOAD_PATHS in turn against the
        production server (`cchc serve`, gunicorn, `--web-workers` processes) for `--load-seconds`, while
        `import_dossiers` runs again and again in another process (the changes file, then the small file, …),
        its refresh included: p50/p95/max per page and in all, errors (non-200 or no answer), imports done."""
        password = secrets.token_urlsafe(16)
        self.inner(
            f"{kind}-load-prepare",
            "prepare_pages",
            url,
            {"username": BENCH_USER, "password": password, "seed": self.args.seed, "communes": 1, "breakdown": False},
        )
        env = self.env(url, ALLOWED_HOSTS="127.0.0.1", SECURE_COOKIES="0", SECURE_SSL_REDIRECT="0", CONN_MAX_AGE="60")
        static = run_child(
            f"{kind}-load-collectstatic",
            [sys.executable, "-m", "cchc", "collectstatic", "--noinput"],
            env,
            self.logs,
            self.workdir,
            600,
            check=False,
        )
        if static.returncode != 0:
            raise StepError(f"cchc collectstatic failed: see {static.err_log}")
        port = free_port(self.args.port)
        base = f"http://127.0.0.1:{port}"
        out_log, err_log = self.logs / f"{kind}-serve.out.log", self.logs / f"{kind}-serve.err.log"
        argv = [sys.executable, "-m", "cchc", "serve", "--bind", f"127.0.0.1:{port}", "--access-log", ""]
        argv += ["--workers", str(self.args.web_workers)]
        with open(out_log, "wb") as out, open(err_log, "wb") as err:
            server = subprocess.Popen(
                argv,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=self.workdir,
                start_new_session=True,
            )
        importer: subprocess.Popen | None = None
        try:
            probe = Client(base, timeout=self.args.request_timeout)
            deadline = time.monotonic() + 90
            while True:
                if server.poll() is not None:
                    raise StepError(f"cchc serve exited ({server.returncode}): see {err_log}")
                try:
                    if probe.request("/login/")[0] == 200:
                        break
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
                if time.monotonic() > deadline:
                    raise StepError(f"cchc serve did not answer on {base} within 90 s: see {err_log}")
                time.sleep(0.25)
            clients = []
            for _ in range(self.args.clients):
                client = Client(base, timeout=self.args.request_timeout)
                client.login(BENCH_USER, password)
                clients.append(client)
            for path in LOAD_PATHS:  # warm-up: each page once in some worker
                clients[0].request(path)
            files = [self.changes["file"]] if self.changes else []
            files.append(str(self.workdir / f"dossiers-{YEAR}-{self.args.small_rows}-seed{self.args.seed}.csv"))
            files = [f for f in files if Path(f).exists()]
            imports: list[dict] = []
            stop = threading.Event()
            samples: dict[str, list[float]] = {path: [] for path in LOAD_PATHS}
            errors: dict[str, int] = {}
            lock = threading.Lock()

            def run_imports() -> None:
                nonlocal importer
                i = 0
                while files and not stop.is_set():
                    path = files[i % len(files)]
                    i += 1
                    started = time.perf_counter()
                    log = self.logs / f"{kind}-load-import-{i}.log"
                    with open(log, "wb") as out:
                        importer = subprocess.Popen(
                            [sys.executable, "-m", "cchc", "import_dossiers", path],
                            stdout=out,
                            stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL,
                            env=self.env(url),
                            cwd=self.workdir,
                            start_new_session=True,
                        )
                        code = importer.wait()
                    seconds = round(time.perf_counter() - started, 1)
                    imports.append({"file": Path(path).name, "returncode": code, "seconds": seconds})

            def run_client(index: int, client: Client) -> None:
                i = index
                while not stop.is_set():
                    path = LOAD_PATHS[i % len(LOAD_PATHS)]
                    i += 1
                    try:
                        status, _, _, seconds = client.request(path)
                    except (urllib.error.URLError, ConnectionError, OSError, TimeoutError) as exc:
                        status, seconds = type(exc).__name__, self.args.request_timeout
                    with lock:
                        samples[path].append(seconds)
                        if status != 200:
                            key = f"{path} {status}"
                            errors[key] = errors.get(key, 0) + 1

            load_before = os.getloadavg()
            cpu = _tree_cpu_s(server.pid)
            threads = [threading.Thread(target=run_imports, daemon=True)]
            threads += [threading.Thread(target=run_client, args=(i, c), daemon=True) for i, c in enumerate(clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            time.sleep(self.args.load_seconds)
            stop.set()
            for thread in threads[1:]:
                thread.join(timeout=self.args.request_timeout + 5)
            elapsed = time.perf_counter() - started
            server_cpu = _tree_cpu_s(server.pid) - cpu
            threads[0].join(timeout=self.args.step_timeout)
            everything = [s for values in samples.values() for s in values]
            return {
                "server": "cchc serve (gunicorn)",
                "web_workers": self.args.web_workers,
                "clients": self.args.clients,
                "seconds": round(elapsed, 1),
                "requests": len(everything),
                "requests_per_s": round(len(everything) / elapsed, 1),
                "server_cpu_s": round(server_cpu, 1),
                "server_cpu_ms_per_request": round(server_cpu * 1000 / len(everything), 1) if everything else None,
                "all": latency_stats(everything) if everything else None,
                "pages": {path: latency_stats(v) for path, v in samples.items() if v},
                "errors": errors,
                "imports": imports,
                "loadavg_before": [round(x, 2) for x in load_before],
                "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            }
        finally:
            if importer is not None and importer.poll() is None:
                importer.wait(timeout=self.args.step_timeout)
            if server.poll() is None:
                _kill_group(server.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=15)

    @staticmethod
    def time_paths(client: Client, paths: list[str], requests: int, server_pid: int | None = None) -> dict:
        """`requests` sequential GETs cycling over `paths` after one warm-up each: p50/p95, non-200 answers, the
        server's CPU per request."""
        for path in paths:
            client.request(path)
        samples, errors, slowest = [], {}, []
        cpu = _tree_cpu_s(server_pid) if server_pid else 0.0
        for i in range(requests):
            path = paths[i % len(paths)]
            status, content, _, seconds = client.request(path)
            if status != 200:
                errors[path] = status
            samples.append(seconds)
            slowest.append((seconds, path, len(content)))
        return latency_stats(samples) | {
            "server_cpu_ms": round((_tree_cpu_s(server_pid) - cpu) * 1000 / len(samples), 1) if server_pid else None,
            "errors": errors,
            "paths": paths,
            "slowest": [
                {"path": p, "ms": round(s * 1000, 1), "bytes": b} for s, p, b in sorted(slowest, reverse=True)[:3]
            ],
        }

    def duckdb(self, kind: str, url: str) -> dict:
        return self.inner(f"{kind}-duckdb", "duckdb", url, {"repeat": self.args.repeat})

    # -- the whole run
    def run(self) -> int:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(exist_ok=True)
        say(f"cchc benchmark: {self.args.rows:,} rows, databases {', '.join(self.databases)}, workdir {self.workdir}")
        self.check_prerequisites()
        self.help = self.import_help()
        self.results["meta"]["import_dossiers_help"] = self.help
        gen = self.results["generation"]
        gen["_label"] = "generation"
        big = self.step(gen, "main", self.generate, self.args.rows, "main")
        if big is None:
            self.save()
            raise SystemExit("generation failed: nothing to measure (see the logs)")
        small = big
        if self.args.small_rows != self.args.rows:
            small = self.step(gen, "small", self.generate, self.args.small_rows, "small")
        changes_file = self.workdir / f"changes-{self.args.changes}-seed{self.args.seed}.csv"
        previous = self.workdir / "changes.result.json"
        if self.args.reuse is not None and changes_file.exists() and previous.exists():
            self.changes = gen["changes"] = json.loads(previous.read_text())
        else:
            self.changes = self.step(
                gen,
                "changes",
                self.inner,
                "changes",
                "changes",
                "",
                {
                    "source": big["file"],
                    "target": str(changes_file),
                    "count": self.args.changes,
                    "seed": self.args.seed,
                },
            )
        gen.pop("_label", None)

        for kind in self.databases:
            record: dict = {"_label": kind}
            self.results["databases"][kind] = record
            if self.args.reuse is not None:  # the database of the last run, as that run left it
                path = Path(self.args.reuse or self.workdir) / "bench.sqlite3"
                url = f"sqlite:///{path}" if kind == "sqlite" else f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/"
                imported = {"database_url": url + ("" if kind == "sqlite" else self.args.pg_database), "reused": True}
            else:
                imported = self.step(record, "import", self.setup_and_import, kind, False, big, "main")
            if imported is None:
                record.pop("_label", None)
                continue
            url = imported["database_url"]
            if "recompute" not in self.args.skip:
                self.step(record, "recompute", self.recompute, kind, url)
            if "refresh" not in self.args.skip and self.changes:
                self.step(record, "refresh", self.refresh, kind, url)
            if "pages" not in self.args.skip:
                self.step(record, "pages", self.pages, kind, url)
            if "load" not in self.args.skip:
                self.step(record, "pages_load", self.pages_load, kind, url)
            if "duckdb" not in self.args.skip:
                self.step(record, "duckdb", self.duckdb, kind, url)
            if "small" not in self.args.skip and small:
                self.step(record, "import_small", self.setup_and_import, kind, True, small, "small")
            record.pop("_label", None)
        self.results["meta"]["finished"] = now_iso()
        self.results["meta"]["benchmark_process_peak_rss_mib"] = own_peak_mib()
        self.results["meta"]["src_at_end"] = src_fingerprint()
        self.save()
        say()
        say(render(self.results))
        say(f"\nJSON: {self.json_path}\nlogs: {self.logs}")
        return 0


# -- the table ------------------------------------------------------------------------------------------------------


def _get(record: dict, *path, default=None):
    for key in path:
        if not isinstance(record, dict) or key not in record:
            return default
        record = record[key]
    return record


def _n(value, fmt="{:,.0f}") -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return fmt.format(value)


def render(results: dict) -> str:
    meta, gen, dbs = results["meta"], results["generation"], results["databases"]
    kinds = list(dbs)
    lines = [
        f"cchc benchmark — {meta['rows']:,} dossiers of {YEAR}, seed {meta['seed']} — {meta['machine']}, "
        f"Python {meta['python']}, {meta['settings']}",
        f"Peak RSS of each child: {meta.get('rss_method')}",
    ]
    src_start, src_end = meta.get("src_at_start") or {}, meta.get("src_at_end") or {}
    if src_start:
        lines.append(
            f"Code measured: {src_start['root']} ({src_start['files']} files, sha256 {src_start['sha256']}, "
            f"newest change {src_start['newest_change']})"
        )
    if src_end and src_start and src_end.get("sha256") != src_start.get("sha256"):
        lines.append(
            f"WARNING: the cchc sources changed during the run (sha256 {src_start['sha256']} → {src_end['sha256']}, "
            f"newest change {src_end['newest_change']}): the steps did not all measure the same code."
        )
    for key in ("main", "small"):
        g = gen.get(key)
        if isinstance(g, dict) and "error" not in g:
            lines.append(
                f"Generation {g['rows']:>9,} rows: {g['seconds']:7.1f} s, {g['mib']:,.1f} MiB "
                f"({g['bytes'] / max(g['rows'], 1):.0f} B/row), peak RSS {_n(g['peak_rss_mib'])} MiB"
            )
        elif isinstance(g, dict):
            lines.append(f"Generation {key}: FAILED {g['error'][:300]}")
    ch = gen.get("changes")
    if isinstance(ch, dict) and "error" not in ch:
        lines.append(f"Changes file: {ch['rows']:,} rows — {', '.join(f'{k} {v:,}' for k, v in ch['changes'].items())}")
    lines.append("")

    rows: list[tuple[str, list[str]]] = []

    def section(title: str) -> None:
        rows.append((title, []))

    def row(label: str, fn) -> None:
        cells = []
        for kind in kinds:
            try:
                cells.append(fn(dbs[kind]))
            except Exception:  # noqa: BLE001 — a missing figure is a dash
                cells.append("—")
        rows.append(("  " + label, [c if len(c) <= 44 else c[:43] + "…" for c in cells]))

    section(f"Import {meta['rows']:,} rows (fresh DB)")
    row(
        "migrate / load_defaults / catalogue s",
        lambda r: " / ".join(f"{v:.1f}" for v in r["import"]["setup_seconds"].values()),
    )
    row("import_dossiers wall s", lambda r: _n(r["import"]["seconds"], "{:.1f}"))
    row("rows/s (wall, incl. start-up)", lambda r: _n(r["import"]["rows_per_s"]))
    row("rows/s (as the command reports)", lambda r: _n(r["import"].get("command_rows_per_s")))
    row(
        "command CPU s (user + sys) / µs per row",
        lambda r: (
            f"{r['import']['cpu_seconds']:.1f} / {r['import']['cpu_seconds'] * 1e6 / r['import']['rows_read']:.1f}"
        ),
    )
    row("load average (1 min) before / after", lambda r: " / ".join(f"{v:.1f}" for v in r["import"]["load_average"]))
    row(
        "reference rows/s (raw COPY / executemany, bare table)",
        lambda r: f"{r['import']['reference']['rows_per_s']:,.0f} ({r['import']['reference']['method']})",
    )
    row("import / reference", lambda r: f"{r['import']['ratio_to_reference']:.2f}×")
    row("inserted / rejected", lambda r: f"{r['import']['inserted']:,} / {r['import']['rejected']:,}")
    row("peak RSS MiB", lambda r: _n(r["import"]["peak_rss_mib"]))
    row("(unit, year) pairs to refresh", lambda r: _n(r["import"].get("pairs_to_refresh")))
    row(
        "RSS so far at 20/40/60/80/100% of the run",
        lambda r: "/".join(
            f"{r['import']['rss_timeline']['max_rss_so_far_mib'][f'{p}%']:.0f}" for p in (20, 40, 60, 80, 100)
        ),
    )
    section(f"Import {meta['small_rows']:,} rows (another fresh DB)")
    row("import_dossiers wall s", lambda r: _n(r["import_small"]["seconds"], "{:.1f}"))
    row("rows/s (wall)", lambda r: _n(r["import_small"]["rows_per_s"]))
    row("rows/s (as the command reports)", lambda r: _n(r["import_small"].get("command_rows_per_s")))
    row("import / reference", lambda r: f"{r['import_small']['ratio_to_reference']:.2f}×")
    row("peak RSS MiB", lambda r: _n(r["import_small"]["peak_rss_mib"]))
    row(
        "RSS so far at 20/40/60/80/100% of the run",
        lambda r: "/".join(
            f"{r['import_small']['rss_timeline']['max_rss_so_far_mib'][f'{p}%']:.0f}" for p in (20, 40, 60, 80, 100)
        ),
    )
    row(
        f"peak RSS {meta['rows']:,} / {meta['small_rows']:,}",
        lambda r: f"{r['import']['peak_rss_mib'] / r['import_small']['peak_rss_mib']:.2f}×",
    )
    section(f"Full recompute {YEAR} (recompute_indicators)")
    row("wall s", lambda r: _n(r["recompute"]["seconds"], "{:.1f}"))
    row("as printed s", lambda r: _n(r["recompute"]["command_seconds"], "{:.2f}"))
    row("CPU s (user + system, all cores)", lambda r: _n(r["recompute"].get("cpu_seconds"), "{:.1f}"))
    for part in ("load_compute", "load", "compute", "store_own", "totals", "store_totals"):
        row(f"  {part} s", lambda r, part=part: _n(r["recompute"]["breakdown"].get(part), "{:.2f}"))
    row("dossiers / values", lambda r: f"{r['recompute']['dossiers']:,} / {r['recompute']['values']:,}")
    row("peak RSS MiB", lambda r: _n(r["recompute"]["peak_rss_mib"]))
    row("load average (1 min) at the start", lambda r: _n(r["recompute"].get("loadavg_before"), "{:.1f}"))
    row(
        "ratio wall / DuckDB (all metrics, in memory)",
        lambda r: f"{r['recompute']['seconds'] / r['duckdb']['duckdb_seconds']:.1f}×",
    )
    row(
        "ratio wall / (DuckDB + its load of the rows)",
        lambda r: f"{r['recompute']['seconds'] / (r['duckdb']['duckdb_seconds'] + r['duckdb']['load_seconds']):.1f}×",
    )
    row("wall s / target 30 s", lambda r: f"{r['recompute']['seconds'] / 30:.2f}×")
    row("peak MiB / target 2,048", lambda r: f"{r['recompute']['peak_rss_mib'] / 2048:.2f}×")
    row("stored figures vs DuckDB (cell by cell)", lambda r: r["duckdb"]["agree_stored"])
    section(f"Refresh after importing {meta['changes']:,} changed dossiers (in-process)")
    row("import s", lambda r: _n(r["refresh"]["import_seconds"], "{:.2f}"))
    row(
        "inserted / updated / unchanged",
        lambda r: "{inserted:,} / {updated:,} / {unchanged:,}".format(**r["refresh"]["import"]),
    )
    row("(unit, year) pairs affected", lambda r: _n(r["refresh"]["affected_pairs"]))
    row("  by year", lambda r: " ".join(f"{y}:{n}" for y, n in r["refresh"]["affected_by_year"].items()))
    row("refresh s (all years, refresh_pending)", lambda r: _n(r["refresh"]["refresh_seconds"], "{:.2f}"))
    row("  changed dossiers/s", lambda r: _n(r["refresh"]["changed_per_s"]))
    row(
        "  CPU s: this process / PostgreSQL backend",
        lambda r: (
            f"{_n(r['refresh'].get('refresh_cpu_seconds'), '{:.2f}')} / "
            f"{_n(r['refresh'].get('server_cpu_seconds'), '{:.2f}')}"
        ),
    )
    row("  load average (1 min) at its start", lambda r: _n(r["refresh"].get("load_average"), "{:.1f}"))
    row(
        "  years: by delta / recomputed / skipped",
        lambda r: " / ".join(
            ",".join(map(str, r["refresh"]["years"][k])) or "–" for k in ("delta", "recomputed", "skipped")
        ),
    )
    row(
        f"  {YEAR} load/compute/store s",
        lambda r: "/".join(
            f"{r['refresh']['per_year'][str(YEAR)]['seconds'].get(k, 0):.2f}" for k in ("load", "compute", "store")
        ),
    )
    row(
        f"  {YEAR} load/compute/store CPU s",
        lambda r: "/".join(
            f"{r['refresh']['per_year'][str(YEAR)]['seconds'].get(f'{k}_cpu', 0):.2f}"
            for k in ("load", "compute", "store")
        ),
    )
    row("  refresh / full recompute", lambda r: f"{r['refresh']['refresh_seconds'] / r['recompute']['seconds']:.3f}×")
    row(
        "  stored cells equal to a full recompute",
        lambda r: "{agree} ({cells:,} cells, {differ:,} differ)".format(**r["refresh"]["agreement"]),
    )
    row("peak RSS MiB (process: import + refresh)", lambda r: _n(r["refresh"]["process_peak_rss_mib"]))
    row("peak RSS MiB after the refresh, before the check", lambda r: _n(r["refresh"]["peak_rss_after_refresh_mib"]))
    section("Page latency (runserver, DEBUG=0, sequential)")
    row(
        "unit page n / p50 / p95 / max ms",
        lambda r: "{n} / {p50_ms:.0f} / {p95_ms:.0f} / {max_ms:.0f}".format(**r["pages"]["unit_page"]),
    )
    row("  unit page p95 / target 100 ms", lambda r: f"{r['pages']['unit_page']['p95_ms'] / 100:.2f}×")
    row(
        "  first view / viewed again n, p95 ms",
        lambda r: "{} {:.0f} / {} {:.0f}".format(
            r["pages"]["unit_page"]["first_view"]["n"],
            r["pages"]["unit_page"]["first_view"]["p95_ms"],
            r["pages"]["unit_page"]["viewed_again"]["n"],
            r["pages"]["unit_page"]["viewed_again"]["p95_ms"],
        ),
    )
    row("  unit page server CPU ms per request", lambda r: _n(r["pages"]["unit_page"].get("server_cpu_ms"), "{:.1f}"))
    row("unit page non-200", lambda r: str(len(r["pages"]["unit_page"]["errors"])))
    row(
        "dossier list n / p50 / p95 / max ms",
        lambda r: "{n} / {p50_ms:.0f} / {p95_ms:.0f} / {max_ms:.0f}".format(**r["pages"]["dossier_list"]),
    )
    row("dossier list non-200", lambda r: str(sum(r["pages"]["dossier_list"]["errors"].values())))
    row(
        "  dossiers_behind() in-process s",
        lambda r: _n(r["pages"]["dossier_list_breakdown"]["dossiers_behind_s"], "{:.3f}"),
    )
    row(
        "  of which load_dossiers / prepare s",
        lambda r: "{:.3f} / {:.3f}".format(
            r["pages"]["dossier_list_breakdown"]["steps_s"].get("load_dossiers", 0),
            r["pages"]["dossier_list_breakdown"]["steps_s"].get("prepare", 0),
        ),
    )
    row(
        "  dossiers loaded / listed",
        lambda r: "{dossiers_loaded:,} / {rows_behind:,}".format(**r["pages"]["dossier_list_breakdown"]),
    )
    row(
        "dashboard n / p50 / p95 / max ms",
        lambda r: "{n} / {p50_ms:.0f} / {p95_ms:.0f} / {max_ms:.0f}".format(**r["pages"]["dashboard"]),
    )
    row("  dashboard p95 / target 100 ms", lambda r: f"{r['pages']['dashboard']['p95_ms'] / 100:.2f}×")
    row("  dashboard server CPU ms per request", lambda r: _n(r["pages"]["dashboard"].get("server_cpu_ms"), "{:.1f}"))
    row("dashboard non-200", lambda r: str(len(r["pages"]["dashboard"]["errors"])))
    row(
        "public page n / p50 / p95 / max ms",
        lambda r: "{n} / {p50_ms:.0f} / {p95_ms:.0f} / {max_ms:.0f}".format(**r["pages"]["public_page"]),
    )
    row(
        "  public page server CPU ms per request",
        lambda r: _n(r["pages"]["public_page"].get("server_cpu_ms"), "{:.1f}"),
    )
    row(
        "public page non-200",
        lambda r: ", ".join(f"{s}" for s in r["pages"]["public_page"]["errors"].values()) or "0",
    )
    section("Pages under load: cchc serve, concurrent logged-in clients, imports running")
    row(
        "clients × web workers / seconds",
        lambda r: "{clients} × {web_workers} / {seconds:.0f}".format(**r["pages_load"]),
    )
    row("requests / per s", lambda r: "{requests:,} / {requests_per_s:.1f}".format(**r["pages_load"]))
    row(
        "all pages p50 / p95 / max ms",
        lambda r: "{p50_ms:.0f} / {p95_ms:.0f} / {max_ms:.0f}".format(**r["pages_load"]["all"]),
    )
    row("  p95 / target 300 ms", lambda r: f"{r['pages_load']['all']['p95_ms'] / 300:.2f}×")
    row(
        "server CPU s / ms per request",
        lambda r: "{server_cpu_s:.1f} / {server_cpu_ms_per_request:.1f}".format(**r["pages_load"]),
    )
    row("errors (non-200, no answer)", lambda r: str(sum(r["pages_load"]["errors"].values())))
    row(
        "imports during the window (ok / all)",
        lambda r: "{} / {}".format(
            sum(1 for i in r["pages_load"]["imports"] if i["returncode"] == 0), len(r["pages_load"]["imports"])
        ),
    )
    row(
        "load average before / after",
        lambda r: "{:.1f} / {:.1f}".format(r["pages_load"]["loadavg_before"][0], r["pages_load"]["loadavg_after"][0]),
    )
    for path in LOAD_PATHS:
        row(
            f"  {path[:40]} p95 ms",
            lambda r, path=path: _n(r["pages_load"]["pages"][path]["p95_ms"], "{:.0f}"),
        )
    section("Engine vs DuckDB on the same prepared frame (in memory)")
    row("frame rows", lambda r: _n(r["duckdb"]["frame_rows"]))
    row(
        "load_dossiers / prepare s",
        lambda r: f"{r['duckdb']['load_seconds']:.2f} / {r['duckdb']['prepare_seconds']:.2f}",
    )
    row("ours: leaf values + usage by months s (best)", lambda r: _n(r["duckdb"]["ours_seconds"], "{:.2f}"))
    row(
        "  leaf values / procedure usage s",
        lambda r: f"{r['duckdb']['ours_leaf_seconds']:.2f} / {r['duckdb']['ours_usage_seconds']:.2f}",
    )
    row("  per period (drill-down, delta) s, once", lambda r: _n(r["duckdb"].get("per_period_seconds"), "{:.2f}"))
    row("DuckDB: same metrics + usage s (best)", lambda r: _n(r["duckdb"]["duckdb_seconds"], "{:.2f}"))
    row("  5 asked figures only s", lambda r: _n(r["duckdb"]["duckdb_core_seconds"], "{:.2f}"))
    row("ratio ours / DuckDB", lambda r: f"{r['duckdb']['ratio']:.1f}×")
    row("agreement (5 figures)", lambda r: r["duckdb"]["agree_core"])
    row("agreement (all 15 metrics + usage)", lambda r: r["duckdb"]["agree_all"])
    row("agreement, per-period functions", lambda r: r["duckdb"].get("agree_per_period", "—"))

    width = max(len(label) for label, _ in rows) + 2
    col = max([18, *(len(c) + 2 for _, cells in rows for c in cells)])
    lines.append(" " * width + "".join(k.rjust(col) for k in kinds))
    for label, cells in rows:
        if not cells:
            lines.append(label)
        else:
            lines.append(label.ljust(width) + "".join(c.rjust(col) for c in cells))
    # Failures and disagreements, verbatim.
    notes: list[str] = []
    for kind in kinds:
        for key, value in dbs[kind].items():
            if isinstance(value, dict) and "error" in value:
                lines.append(f"\n{kind} {key} FAILED:\n{value['error'].strip()[:3000]}")
        diffs = _get(dbs[kind], "duckdb", "differences")
        if diffs:
            lines.append(f"\n{kind}: first differences ours vs DuckDB:")
            lines.extend("  " + json.dumps(d, ensure_ascii=False) for d in diffs)
        skipped = _get(dbs[kind], "refresh", "per_year", default={}) or {}
        for year, r in skipped.items():
            if r.get("skipped"):
                lines.append(f"\n{kind}: the refresh skipped {year}: {r['skipped']}")
        note = _get(dbs[kind], "pages", "static")
        if note and "FAILED" in note and note not in notes:
            notes.append(note)
            lines.append(f"\n{note}")
        slow = _get(dbs[kind], "pages", "unit_page", "slowest")
        if slow:
            lines.append(f"\n{kind}: slowest unit pages: " + ", ".join(f"{s['path']} {s['ms']:.0f} ms" for s in slow))
        slow = _get(dbs[kind], "pages", "dashboard", "slowest")
        if slow:
            shown = ", ".join(f"{s['path']} {s['ms']:.0f} ms" for s in slow)
            lines.append(f"{kind}: slowest dashboard pages: {shown}")
    return "\n".join(lines)


# -- in-process steps (run in a child: `--inner STEP`) ---------------------------------------------------------------


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    import django

    django.setup()


def _peak_mib() -> float | None:
    return own_peak_mib()


def backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs on this machine (the
    refresh's SQL runs there, not in this process); None on SQLite or a remote server."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, in clock ticks


def inner_refresh(params: dict) -> dict:
    """Import the changed dossiers (the refresh left marked), then `refresh_pending()` as the import job runs it:
    by delta for a year whose figures say which import they reflect. Then a full recompute of every refreshed year,
    and every stored cell compared (the delta must store what a recompute stores)."""
    _django()
    from cchc.dossiers.importing import import_dossiers
    from cchc.indicators.compute import recompute, refresh_pending
    from cchc.indicators.models import IndicatorValue, LeafValue, ProcedureUsage

    started = time.perf_counter()
    result = import_dossiers(params["file"])  # marks the (unit, year) pairs; no refresh yet
    import_seconds = time.perf_counter() - started
    rss_import = _peak_mib()
    affected = sorted(result.affected)
    by_year: dict[str, int] = {}
    for _, year in affected:
        by_year[str(year)] = by_year.get(str(year), 0) + 1
    load_average = round(os.getloadavg()[0], 1)
    server = backend_cpu()
    started, cpu_started = time.perf_counter(), time.process_time()
    refreshed = refresh_pending()
    refresh_seconds = time.perf_counter() - started
    refresh_cpu = time.process_time() - cpu_started
    server_cpu = backend_cpu() - server if server is not None else None
    rss_refresh = _peak_mib()
    per_year = {
        str(res.year): {
            "units": res.units,
            "dossiers": res.dossiers,
            "values": res.values,
            "seconds": res.seconds,
            "delta": res.delta,
            "skipped": res.skipped,
        }
        for res in refreshed
    }

    def cells() -> dict:
        figures = {
            ("v", *r[:4]): r[4:]
            for r in IndicatorValue.objects.values_list(
                "unit_id", "period", "level", "metric", "numerator", "denominator"
            )
        }
        own = {
            ("o", *r[:3]): r[3:]
            for r in LeafValue.objects.values_list("unit_id", "period", "metric", "numerator", "denominator")
            if r[3:] != (0, 0)
        }
        uses = {
            ("u", *r[:3]): r[3:]
            for r in ProcedureUsage.objects.values_list(
                "unit_id", "period", "procedure_id", "used_online", "paid", "fee_synced"
            )
        }
        return figures | own | uses

    agreement = {"agree": "not checked", "cells": 0, "differ": 0}
    if params.get("check", True):
        after = cells()
        for res in refreshed:
            if not res.skipped:
                recompute(res.year)
        full = cells()
        differ = sum(1 for key in after.keys() | full.keys() if after.get(key) != full.get(key))
        agreement = {"agree": "yes" if not differ else "NO", "cells": len(full), "differ": differ}
    changed = result.inserted + result.updated
    return {
        "import_seconds": round(import_seconds, 3),
        "import": {
            "rows_read": result.rows_read,
            "inserted": result.inserted,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rejected": result.rejected,
            "summary": result.summary(),
        },
        "affected_pairs": len(affected),
        "affected_units": len({u for u, _ in affected}),
        "affected_by_year": by_year,
        "refresh_seconds": round(refresh_seconds, 3),
        "refresh_cpu_seconds": round(refresh_cpu, 3),
        "server_cpu_seconds": round(server_cpu, 3) if server_cpu is not None else None,
        "load_average": load_average,
        "changed_per_s": round(changed / refresh_seconds) if refresh_seconds else None,
        "years": {
            "delta": [r.year for r in refreshed if r.delta],
            "recomputed": [r.year for r in refreshed if not r.delta and not r.skipped],
            "skipped": [r.year for r in refreshed if r.skipped],
        },
        "per_year": per_year,
        "agreement": agreement,
        "peak_rss_after_import_mib": rss_import,
        "peak_rss_after_refresh_mib": rss_refresh,
    }


def inner_import_reference(params: dict) -> dict:
    """The raw write speed of this database for the same rows: a bare table (every column text, no index, no key),
    PostgreSQL `COPY … FROM STDIN` of the file, SQLite `executemany` of the rows the csv module reads; one
    transaction."""
    _django()
    from django.db import connection, transaction

    path = Path(params["file"])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    columns = ", ".join(f'"{name}" text' for name in header)
    started = time.perf_counter()
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_reference")
        cursor.execute(f"CREATE TABLE bench_reference ({columns})")
        if connection.vendor == "postgresql":
            method = "COPY"
            with (
                path.open("rb") as handle,
                cursor.cursor.copy("COPY bench_reference FROM STDIN (FORMAT csv, HEADER true)") as copy,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            cursor.execute("SELECT COUNT(*) FROM bench_reference")
            rows = cursor.fetchone()[0]
        else:
            method = "executemany"
            marks = ", ".join(["?"] * len(header))
            with path.open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                next(reader)
                while batch := [row for _, row in zip(range(50_000), reader, strict=False)]:
                    connection.connection.executemany(f"INSERT INTO bench_reference VALUES ({marks})", batch)
                    rows += len(batch)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_reference")
    return {"method": method, "rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def inner_prepare_pages(params: dict) -> dict:
    import random

    _django()
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from cchc.dossiers.models import Dossier
    from cchc.units.models import Unit

    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=params["username"])
    user.set_password(params["password"])
    user.is_staff = user.is_superuser = True
    user.is_active = True
    user.save()
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    communes = (
        Unit.objects.filter(kind="commune", valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("code", flat=True)
        .order_by("code")
        .distinct()
    )
    communes = sorted(set(communes))
    picked = sorted(random.Random(params["seed"]).sample(communes, min(params["communes"], len(communes))))
    counts = dict(Dossier.objects.filter(unit__code__in=picked).values_list("unit__code").annotate(n=Count("id")))
    missing = [code for code in UNIT_PAGE_CODES if not Unit.objects.filter(code=code).exists()]
    return {
        "communes": picked,
        "commune_dossiers": counts,
        "missing_units": missing,
        "all_communes": len(communes),
        "dossier_list_breakdown": _list_breakdown() if params.get("breakdown", True) else None,
    }


def _list_breakdown() -> dict:
    """Where the dossier list page's time goes: drilldown.dossiers_behind in-process (second call), with the
    functions it calls (load_dossiers, prepare, …) timed by wrapping them, whatever their arguments."""
    from urllib.parse import parse_qs, urlsplit

    from cchc.indicators import drilldown, engine
    from cchc.indicators.queries import unit_for_period
    from cchc.units.tree import subtree_ids

    parts = urlsplit(DOSSIER_LIST_PATH)
    _, _, code, period, _, _ = parts.path.split("/")
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    unit = unit_for_period(code, period)
    seconds: dict[str, float] = {}
    loaded: list[int] = []

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            value = fn(*args, **kwargs)
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
            if name == "load_dossiers":
                loaded.append(value.height)
            return value

        return wrapper

    targets = [(drilldown, n) for n in ("load_dossiers", "load_procedures", "calendar_for") if hasattr(drilldown, n)]
    targets += [(engine, n) for n in ("prepare", "processed_in")]
    originals = [(module, name, getattr(module, name)) for module, name in targets]
    drilldown.dossiers_behind(unit, period, query["metric"], query["part"])  # warm
    try:
        for module, name, fn in originals:
            setattr(module, name, timed(name, fn))
        started = time.perf_counter()
        behind = drilldown.dossiers_behind(unit, period, query["metric"], query["part"])
        whole = time.perf_counter() - started
    finally:
        for module, name, fn in originals:
            setattr(module, name, fn)
    return {
        "unit": code,
        "period": period,
        "subtree_units": len(subtree_ids(unit)),
        "dossiers_loaded": sum(loaded),
        "rows_behind": behind.height,
        "dossiers_behind_s": round(whole, 3),
        "steps_s": {k: round(v, 3) for k, v in seconds.items()},
    }


def _duckdb_sql(period_rows: list[tuple]) -> tuple[str, str, str]:
    """(periods VALUES, the metrics query, the usage query): engine.metric_conditions and procedure_usage in SQL.

    Translated from cchc.indicators.engine: processed_expr, on_time_expr, accepted_expr, finished_expr,
    metric_conditions (numerator, denominator) and procedure_usage. NULL handling: a condition that is NULL
    counts as false, as `_count` (fill_null(False)) does; CASE WHEN NULL falls through like pl.when.
    """
    values = ", ".join(
        f"('{code}', DATE '{start}', DATE '{end}', TIMESTAMP '{end} 23:59:59')" for code, start, end in period_rows
    )
    periods = f"SELECT * FROM (VALUES {values}) AS t(period, p_start, p_end, p_end_dt)"
    ended = "f.status IN (7, 8, 9, 10) AND f.fin_d IS NOT NULL"
    base = f"""
        SELECT f.*, p.period, p.p_start, p.p_end,
               (f.acc_d BETWEEN p.p_start AND p.p_end) AS accepted,
               (f.status IN (9, 10) AND f.fin_d BETWEEN p.p_start AND p.p_end) AS finished,
               ({ended} AND f.fin_d <= p.p_end) AS has_end,
               CASE WHEN {ended} AND f.fin_d <= p.p_end THEN f.fin ELSE p.p_end_dt END AS end_t,
               (f.req IS NOT NULL AND f.req_d <= p.p_end) AS request_seen
        FROM frame f, periods p
        WHERE f.acc_d <= p.p_end AND (f.acc_d >= p.p_start OR NOT ({ended} AND f.fin_d < p.p_start))
    """
    timed = """
        SELECT b.*,
               (b.request_seen AND b.sup IS NOT NULL AND b.sup >= b.req AND b.sup <= b.end_t) AS supplied
        FROM base b
    """
    adjusted = """
        SELECT s.*,
               CASE WHEN s.supplied THEN s.end_t - (s.sup - s.req)
                    WHEN s.request_seen AND NOT s.has_end THEN s.req
                    ELSE s.end_t END AS adjusted
        FROM timed s
    """
    on_time = """
        SELECT a.*,
               (NOT (a.request_seen AND a.supplement_count >= 2)
                AND (a.due_d IS NULL OR CAST(a.adjusted AS DATE) <= a.due_d)) AS on_time,
               COALESCE(a.is_land, false) AS land
        FROM adjusted a
    """
    good = "(o.on_time AND COALESCE(o.rating, 0) <> 3 AND NOT o.has_complaint)"
    metrics = {
        "ACCEPTED": ("o.accepted", "o.accepted"),
        "ROUTED_ELECTRONICALLY": ("o.accepted AND o.routed_electronically", "o.accepted"),
        "ONLINE_SUBMISSION": ("o.accepted AND o.channel = 2", "o.accepted"),
        "PAYMENT_DOSSIER_ONLINE": (
            "o.accepted AND o.has_financial_obligation AND o.paid_online IN (1, 2)",
            "o.accepted AND o.has_financial_obligation",
        ),
        "DOSSIER_SYNC": ("o.accepted AND o.synced_dvcqg", "o.accepted"),
        "SATISFACTION_SURVEY": ("o.accepted AND o.rating IN (1, 2)", "o.accepted AND o.rating IS NOT NULL"),
        "LAND_SATISFACTION_SURVEY": (
            "o.accepted AND o.land AND o.rating IN (1, 2)",
            "o.accepted AND o.land AND o.rating IS NOT NULL",
        ),
        "DOSSIER_RECEIVING_SATISFACTION": (f"o.accepted AND {good}", "o.accepted"),
        "LAND_RECEIVING_SATISFACTION": (f"o.accepted AND o.land AND {good}", "o.accepted AND o.land"),
        "REUSED_DIGITIZED_DATA": ("o.accepted AND o.reused_data", "o.accepted AND o.reused_data IS NOT NULL"),
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": (
            "o.accepted AND o.from_citizen_store",
            "o.accepted AND o.from_citizen_store IS NOT NULL",
        ),
        "RESULT_DIGITISED": ("o.finished AND o.electronic_result", "o.finished"),
        "ORIGINAL_RESULT_AVAILABLE": (
            "o.finished AND o.paper_result AND o.electronic_result",
            "o.finished AND o.paper_result",
        ),
        "SO_HOA_GIAY_TO_GIAI_QUYET": ("o.finished AND o.digitised_components AND o.electronic_result", "o.finished"),
        "PROCESSING_ON_TIME": ("o.on_time", "o.on_time IS NOT NULL"),
    }

    def count(cond: str) -> str:
        return f"CAST(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS BIGINT)"

    def query(names: list[str]) -> str:
        aggregates = ",\n".join(
            f'{count(n)} AS "{name}|n", {count(d)} AS "{name}|d"' for name, (n, d) in metrics.items() if name in names
        )
        return (
            f"WITH periods AS ({periods}), base AS ({base}), timed AS ({timed}), adjusted AS ({adjusted}), "
            f"ontime AS ({on_time})\n"
            f"SELECT o.unit_id, o.period, {aggregates}\nFROM ontime o GROUP BY o.unit_id, o.period"
        )

    usage = f"""
        WITH periods AS ({periods})
        SELECT f.unit_id, p.period, f.procedure_id,
               COALESCE(bool_or(f.channel = 2), false) AS used_online,
               COALESCE(bool_or(f.has_financial_obligation AND f.paid_online IN (1, 2)), false) AS paid,
               COALESCE(bool_or(f.has_financial_obligation AND f.synced_dvcqg), false) AS fee_synced
        FROM frame f, periods p
        WHERE f.acc_d BETWEEN p.p_start AND p.p_end
        GROUP BY f.unit_id, p.period, f.procedure_id
    """
    core = ["ACCEPTED", "ROUTED_ELECTRONICALLY", "ONLINE_SUBMISSION", "PROCESSING_ON_TIME"]
    return query(core), query(list(metrics)), usage


def _compare(ours, theirs, keys: list[str], columns: list[str], limit: int = 10) -> list[dict]:
    """Cells that differ between two frames keyed by `keys` (a missing row counts as zeros / false)."""
    import polars as pl

    joined = ours.select(keys + columns).join(
        theirs.select(keys + columns), on=keys, how="full", coalesce=True, suffix="_duckdb"
    )
    diffs = []
    for c in columns:
        a, b = pl.col(c), pl.col(f"{c}_duckdb")
        if ours.schema[c] == pl.Boolean:
            a, b = a.fill_null(False), b.fill_null(False)
        else:
            a, b = a.fill_null(0), b.fill_null(0)
        bad = joined.filter(a != b).sort(keys)
        if bad.height:
            for r in bad.head(limit).iter_rows(named=True):
                diffs.append(
                    {
                        **{k: r[k] for k in keys},
                        "column": c,
                        "ours": r[c],
                        "duckdb": r[f"{c}_duckdb"],
                        "rows_differing": bad.height,
                    }
                )
    return diffs[:limit]


BOOLEAN_USAGE = ("used_online", "paid", "fee_synced")


def inner_duckdb(params: dict) -> dict:
    import duckdb
    import polars as pl

    _django()
    from cchc.indicators import engine
    from cchc.indicators.compute import load_dossiers, load_procedures
    from cchc.indicators.periods import periods_of_year
    from cchc.workdays.models import calendar_for

    repeat = max(1, int(params.get("repeat", 5)))
    t0 = time.perf_counter()
    dossiers = load_dossiers(YEAR)
    procedures = load_procedures()
    calendar = calendar_for([YEAR])
    t1 = time.perf_counter()
    frame = engine.prepare(dossiers, procedures, calendar)
    t2 = time.perf_counter()
    periods = periods_of_year(YEAR)
    del dossiers

    # Ours: what the recompute runs (by calendar month); the per-period functions (the drill-down's and the delta
    # refresh's reference) once, checked against DuckDB too.
    leaf_times, usage_times = [], []
    for _ in range(repeat):
        a = time.perf_counter()
        leaf = engine.leaf_values_by_months(frame, periods)
        b = time.perf_counter()
        usage = engine.procedure_usage_by_months(frame, periods)
        c = time.perf_counter()
        leaf_times.append(b - a)
        usage_times.append(c - b)
    ours = [x + y for x, y in zip(leaf_times, usage_times, strict=True)]
    a = time.perf_counter()
    leaf_per_period = engine.leaf_values(frame, periods)
    usage_per_period = engine.procedure_usage(frame, periods)
    per_period_seconds = time.perf_counter() - a

    # DuckDB: the prepared frame as Arrow, copied into an in-memory DuckDB table (not timed).
    t3 = time.perf_counter()
    arrow = frame.to_arrow()
    con = duckdb.connect(":memory:")
    threads = os.cpu_count() or 1
    con.execute(f"SET threads = {threads}")
    con.register("frame_arrow", arrow)
    con.execute("CREATE TABLE frame AS SELECT * FROM frame_arrow")
    con.unregister("frame_arrow")
    t4 = time.perf_counter()
    core_sql, all_sql, usage_sql = _duckdb_sql([(p.code, p.start.isoformat(), p.end.isoformat()) for p in periods])

    def fetch(sql: str) -> pl.DataFrame:
        result = con.execute(sql)
        table = result.to_arrow_table() if hasattr(result, "to_arrow_table") else result.fetch_arrow_table()
        return pl.from_arrow(table)

    core_times, all_times = [], []
    for _ in range(repeat):
        a = time.perf_counter()
        duck_core = fetch(core_sql)
        b = time.perf_counter()
        duck_all = fetch(all_sql)
        duck_usage = fetch(usage_sql)
        c = time.perf_counter()
        core_times.append(b - a)
        all_times.append(c - b)

    # Agreement: ours (long) → wide, same column names as the SQL.
    def widen(long: pl.DataFrame) -> pl.DataFrame:
        wide = long.with_columns(pl.col("numerator").alias("n"), pl.col("denominator").alias("d")).pivot(
            on="metric", index=["unit_id", "period"], values=["n", "d"]
        )
        return wide.rename(
            {c: f"{c.split('_', 1)[1]}|{c.split('_', 1)[0]}" for c in wide.columns if c[:2] in ("n_", "d_")}
        )

    wide = widen(leaf)
    core_cols = [
        "ACCEPTED|n",
        "ROUTED_ELECTRONICALLY|n",
        "ONLINE_SUBMISSION|n",
        "PROCESSING_ON_TIME|n",
        "PROCESSING_ON_TIME|d",
    ]
    all_cols = [c for c in duck_all.columns if "|" in c]
    keys = ["unit_id", "period"]
    wide = wide.with_columns([pl.col(c).cast(pl.Int64) for c in all_cols if c in wide.columns])
    missing_cols = [c for c in all_cols if c not in wide.columns]
    diffs_core = _compare(wide, duck_core.with_columns(pl.col("unit_id").cast(pl.Int64)), keys, core_cols)
    diffs_all = _compare(
        wide, duck_all.with_columns(pl.col("unit_id").cast(pl.Int64)), keys, [c for c in all_cols if c in wide.columns]
    )
    duck_usage = duck_usage.with_columns(pl.col("unit_id").cast(pl.Int64), pl.col("procedure_id").cast(pl.Int64))
    diffs_usage = _compare(
        usage, duck_usage, ["unit_id", "period", "procedure_id"], ["used_online", "paid", "fee_synced"]
    )
    wide_per_period = widen(leaf_per_period)
    wide_per_period = wide_per_period.with_columns(
        [pl.col(c).cast(pl.Int64) for c in all_cols if c in wide_per_period.columns]
    )
    diffs_per_period = _compare(
        wide_per_period,
        duck_all.with_columns(pl.col("unit_id").cast(pl.Int64)),
        keys,
        [c for c in all_cols if c in wide_per_period.columns],
    ) + _compare(
        usage_per_period, duck_usage, ["unit_id", "period", "procedure_id"], ["used_online", "paid", "fee_synced"]
    )
    # The figures stored in the database (the full recompute, range by range, then the refreshes of the later
    # steps' imports) against DuckDB on the dossiers as they are now.
    from cchc.indicators.models import LeafValue, ProcedureUsage

    codes = [p.code for p in periods]
    stored_leaf = pl.DataFrame(
        list(
            LeafValue.objects.filter(period__in=codes).values_list(
                "unit_id", "period", "metric", "numerator", "denominator"
            )
        ),
        schema=engine.LEAF_SCHEMA,
        orient="row",
    )
    stored_wide = widen(stored_leaf.filter(pl.col("metric").is_in([c.split("|")[0] for c in all_cols])))
    stored_wide = stored_wide.with_columns([pl.col(c).cast(pl.Int64) for c in all_cols if c in stored_wide.columns])
    diffs_stored = _compare(
        stored_wide,
        duck_all.with_columns(pl.col("unit_id").cast(pl.Int64)),
        keys,
        [c for c in all_cols if c in stored_wide.columns],
    )
    stored_usage = pl.DataFrame(
        list(
            ProcedureUsage.objects.filter(period__in=codes).values_list(
                "unit_id", "period", "procedure_id", "used_online", "paid", "fee_synced"
            )
        ),
        schema={c: engine.USAGE_SCHEMA[c] for c in ("unit_id", "period", "procedure_id", *BOOLEAN_USAGE)},
        orient="row",
    )
    diffs_stored += _compare(
        stored_usage, duck_usage, ["unit_id", "period", "procedure_id"], ["used_online", "paid", "fee_synced"]
    )
    ours_best = min(ours)
    duck_best = min(all_times)
    totals = {c: int(wide[c].sum()) for c in core_cols}
    return {
        "frame_rows": frame.height,
        "periods": len(periods),
        "load_seconds": round(t1 - t0, 3),
        "prepare_seconds": round(t2 - t1, 3),
        "to_duckdb_seconds": round(t4 - t3, 3),
        "duckdb_version": duckdb.__version__,
        "polars_version": pl.__version__,
        "threads": threads,
        "repeat": repeat,
        "ours_seconds": round(ours_best, 3),
        "ours_all_runs": [round(x, 3) for x in ours],
        "ours_leaf_seconds": round(min(leaf_times), 3),
        "ours_usage_seconds": round(min(usage_times), 3),
        "per_period_seconds": round(per_period_seconds, 3),
        "agree_per_period": "agree" if not diffs_per_period else "DIFFER",
        "duckdb_seconds": round(duck_best, 3),
        "duckdb_all_runs": [round(x, 3) for x in all_times],
        "duckdb_core_seconds": round(min(core_times), 3),
        "ratio": round(ours_best / duck_best, 2) if duck_best else None,
        "ratio_vs_core": round(ours_best / min(core_times), 2) if min(core_times) else None,
        "leaf_rows": leaf.height,
        "unit_periods": {"ours": wide.height, "duckdb": duck_all.height},
        "usage_rows": {"ours": usage.height, "duckdb": duck_usage.height},
        "core_totals": totals,
        "agree_core": "agree"
        if not diffs_core
        else f"DIFFER ({diffs_core[0]['rows_differing']} rows in {diffs_core[0]['column']}…)",
        "agree_all": (
            "agree"
            if not diffs_all and not diffs_usage and not missing_cols
            else "DIFFER" + (f" (missing {missing_cols})" if missing_cols else "")
        ),
        "differences": diffs_core + [d for d in diffs_all if d not in diffs_core] + diffs_usage,
        "agree_stored": "agree" if not diffs_stored else f"DIFFER ({diffs_stored[0]['rows_differing']} rows…)",
        "stored_differences": diffs_stored,
        "stored_cells": stored_wide.height,
        "peak_rss_mib": _peak_mib(),
    }


def inner_changes(params: dict) -> dict:
    return write_changes(Path(params["source"]), Path(params["target"]), params["count"], params["seed"])


INNER = {
    "refresh": inner_refresh,
    "import_reference": inner_import_reference,
    "prepare_pages": inner_prepare_pages,
    "duckdb": inner_duckdb,
    "changes": inner_changes,
}


def inner_main(args) -> int:
    params = json.loads(Path(args.params).read_text())
    result = INNER[args.inner](params)
    Path(args.result).write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0


# -- command line ----------------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000, help="dossiers in the main file")
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both (comma-separated)")
    parser.add_argument("--workdir", default="/tmp/cchc-bench")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--small-rows", type=int, default=100_000, help="rows of the second file (memory check)")
    parser.add_argument("--changes", type=int, default=10_000, help="changed dossiers for the refresh step")
    parser.add_argument("--page-requests", type=int, default=300)
    parser.add_argument("--list-requests", type=int, default=50)
    parser.add_argument(
        "--pg-database", default=PG_DB, help=f"PostgreSQL database to (re)create (and NAME_small); default {PG_DB}"
    )
    parser.add_argument("--dashboard-requests", type=int, default=100, help="requests of the dashboard and /public/")
    parser.add_argument("--request-timeout", type=float, default=120.0, help="seconds per HTTP request")
    parser.add_argument(
        "--reuse",
        nargs="?",
        const="",
        metavar="DIR",
        help="measure the database the last run left in DIR (default WORKDIR), with WORKDIR's files (no generation if "
        "they are there, no import): e.g. --reuse --skip recompute,refresh,duckdb,small to measure the pages again",
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent logged-in clients (pages under load)")
    parser.add_argument("--port", type=int, default=0, help="port of the servers started (default: any free port)")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers of `cchc serve` under load")
    parser.add_argument("--load-seconds", type=float, default=60.0, help="length of the pages-under-load window")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each in-memory computation (best is kept)")
    parser.add_argument("--step-timeout", type=float, default=3600.0, help="seconds allowed to any one child")
    parser.add_argument("--max-minutes", type=float, default=240.0, help="later steps are skipped past this")
    parser.add_argument("--skip", default="", help="comma-separated: recompute, refresh, pages, load, duckdb, small")
    parser.add_argument("--inner", choices=sorted(INNER), help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if not args.inner:
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,50}", args.pg_database):
            parser.error("--pg-database: lower-case letters, digits and underscores only")
        if args.rows <= 0 or args.small_rows <= 0 or args.changes <= 0:
            parser.error("--rows, --small-rows and --changes must be > 0")
        if args.page_requests <= 0 or args.list_requests <= 0 or args.repeat <= 0 or args.dashboard_requests <= 0:
            parser.error("--page-requests, --list-requests, --dashboard-requests and --repeat must be > 0")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.inner:
        return inner_main(args)
    return Bench(args).run()


if __name__ == "__main__":
    sys.exit(main())
