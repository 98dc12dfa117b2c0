"""API benchmark: concurrent transfers against the standalone mock API.

Starts ``python -m mock_api`` in a subprocess on a free loopback port, with a fresh database in a
temporary directory and ``bench/risk-bench.toml``. Then N client threads, each with its own
keep-alive HTTP client and its own session (one kiosk, N sign-ins of Wang Fang's card), send
small transfers of varied amounts to her daughter Li Mei, a familiar payee, each with a fresh
Idempotency-Key, for a fixed time after a warm-up. Every response must be 201 with status
``completed``. The report gives transfers per second and latency percentiles against the targets,
then the ledger is checked (GET /v1/admin/ledger) and the paying accounts' balances are compared
with the sum of the completed transfers.

Then the paying customer is given saved payees up to 1,000 (the most a customer may keep, added
through POST /v1/payees): GET /v1/payees is timed on its own (one client, one request at a time),
and the transfers are measured again, so a customer with many payees shows whether per-payee work
creeps into either.

First, what durability costs on this disk: the time of a small SQLite commit with
``synchronous=NORMAL`` and with ``FULL`` (the mock API's setting: one fsync per commit).

The clients run in this process and the server in its own, so they share the machine's cores but
not an interpreter lock. The report shows how much CPU each side used in the measured window, so
a reader can tell which one limited the numbers.

Exit code: 0 when every transfer completed and the ledger is sound, even if a target is missed
(this is a report); 1 when a request failed or the ledger or balances are wrong; 2 when the server
did not start.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from mock_api.process import free_port

ROOT = Path(__file__).resolve().parent.parent
RISK_CONFIG = Path(__file__).with_name("risk-bench.toml")
HOST = "127.0.0.1"

# The targets, for a 2-core machine running both the server and the clients.
TARGET_TPS = 300.0
TARGET_P99_MS = 50.0

CARD, PIN = "6222020000000001", "1234"  # Wang Fang (mock_api/seed.py)
PAYEE = "payee_wf_limei"  # her daughter Li Mei: paid many times, so a familiar payee
FROM_ACCOUNTS = ("acc_wangfang_current", "acc_wangfang_savings")  # clients alternate between them
AMOUNTS = (1, 499)  # minor units: 0.01 to 4.99 yuan, far below every confirmation threshold
MAX_ERRORS_SHOWN = 5
MANY_PAYEES = 1_000  # the most a customer may keep (mock_api.bank.payees.MAX_PAYEES)
TARGET_PAYEES_P95_MS = 50.0
PAYEES_SAMPLES = 50


@dataclass
class Worker:
    """One client: its session, account and what it measured."""

    index: int
    token: str
    account_id: str
    samples: list[tuple[float, float]] = field(default_factory=list)  # (started, finished), perf_counter
    completed_minor: int = 0  # sum of the transfers the server reported completed
    failures: int = 0
    errors: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.failures += 1
        if len(self.errors) < MAX_ERRORS_SHOWN:
            self.errors.append(message)

    def run(self, url: str, start: threading.Barrier, stop_at: list[float]) -> None:
        rng = random.Random(self.index)
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=url, headers=headers, timeout=10) as client:
            start.wait()
            while time.perf_counter() < stop_at[0]:
                amount = rng.randint(*AMOUNTS)
                body = {"from_account_id": self.account_id, "amount_minor": amount, "payee_id": PAYEE}
                started = time.perf_counter()
                try:
                    response = client.post("/v1/payments", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
                except httpx.HTTPError as error:
                    self.fail(f"{type(error).__name__}: {error}")
                    continue
                finished = time.perf_counter()
                status = response.json().get("status") if response.status_code == 201 else None
                if status != "completed":
                    self.fail(f"HTTP {response.status_code}: {response.text[:300]}")
                    continue
                self.completed_minor += amount
                self.samples.append((started, finished))


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(math.ceil(p / 100 * len(sorted_values)), 1)
    return sorted_values[rank - 1]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), or None where that is not available."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def busy_cpu_seconds() -> float | None:
    """CPU time all processes of the machine used (Linux /proc/stat), or None where that is not available.

    User and system time only: interrupt time (loopback networking among it) is not charged to processes.
    """
    try:
        user, nice, system = map(int, Path("/proc/stat").read_text().split()[1:4])
        return (user + nice + system) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None


def start_server(workdir: Path, log: Any) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port(HOST)
    command = [
        sys.executable,
        "-m",
        "mock_api",
        "--host",
        HOST,
        "--port",
        str(port),
        "--db",
        str(workdir / "bench.sqlite3"),
        "--risk-config",
        str(RISK_CONFIG),
        "--log-level",
        "warning",  # no access log: it would cost the server CPU on every request
    ]
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    return server, f"http://{HOST}:{port}"


def wait_for_health(server: subprocess.Popen[bytes], url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=url, timeout=2) as client:
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the mock API exited with code {server.returncode} before it served /health")
            try:
                if client.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the mock API did not answer /health on {url} within {timeout:.0f} s")
            time.sleep(0.05)  # polling a server in another process until it listens


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def sign_in_workers(url: str, clients: int) -> list[Worker]:
    with httpx.Client(base_url=url, timeout=10) as client:
        response = client.post("/v1/kiosks", json={"label": "benchmark kiosk"})
        response.raise_for_status()
        kiosk = response.json()
        headers = {"X-Kiosk-Id": kiosk["kiosk_id"], "X-Kiosk-Key": kiosk["device_key"]}
        workers = []
        for index in range(clients):
            response = client.post("/v1/sessions", json={"card_number": CARD, "pin": PIN}, headers=headers)
            response.raise_for_status()
            workers.append(Worker(index, response.json()["token"], FROM_ACCOUNTS[index % len(FROM_ACCOUNTS)]))
    return workers


def balances(url: str, token: str) -> dict[str, int]:
    response = httpx.get(f"{url}/v1/accounts", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    response.raise_for_status()
    return {account["id"]: account["balance_minor"] for account in response.json()}


def mark(ok: bool, good: str = "PASS", bad: str = "MISS") -> str:
    return good if ok else bad


def commit_cost(workdir: Path, commits: int = 200) -> int:
    """What durability costs on this disk: a small commit with synchronous NORMAL and FULL, in WAL mode.

    The mock API runs FULL (README, "Durability"); the difference is the fsync of every commit.
    """
    print(f"CalmPay API benchmark: SQLite commit on this disk (WAL, {commits} small commits, one connection)")
    for mode in ("NORMAL", "FULL"):
        conn = sqlite3.connect(workdir / f"commit-{mode.lower()}.sqlite3", isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={mode}")
            conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            started = time.perf_counter()
            for _ in range(commits):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO t (v) VALUES (?)", ("x" * 200,))
                conn.execute("COMMIT")
            each = (time.perf_counter() - started) / commits
        finally:
            conn.close()
        used = "  (the mock API's setting)" if mode == "FULL" else ""
        print(f"  synchronous={mode:<7}    {each * 1e6:8.0f} us per commit, at most {1 / each:8.0f} commits/s{used}")
    return 0


def add_payees_up_to(url: str, token: str, count: int) -> int:
    """Save payees for the signed-in customer until they have ``count``; return how many were added."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        response = client.get("/v1/payees")
        response.raise_for_status()
        missing = count - len(response.json())
        for index in range(missing):
            # Numbers no bank's directory knows: each is a new, unchecked payee.
            body = {"account_number": f"62288800{index:08d}", "name": f"Payee {index:04d}"}
            check = client.post("/v1/payees/name-check", json=body)
            check.raise_for_status()
            body["name_check_id"] = check.json()["name_check_id"]  # a save follows its name check
            response = client.post("/v1/payees", json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
            response.raise_for_status()
    return max(missing, 0)


def measure_payees_list(url: str, token: str, samples: int) -> int:
    """Time GET /v1/payees, one request at a time; print the figures and return the exit code."""
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    listed = 0
    with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
        for _ in range(samples):
            started = time.perf_counter()
            response = client.get("/v1/payees")
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                print(f"  GET /v1/payees failed: HTTP {response.status_code}: {response.text[:300]}")
                return 1
            listed = len(response.json())
    latencies.sort()
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    print(f"CalmPay API benchmark: GET /v1/payees with {listed} payees, {samples} requests one at a time")
    print(f"  latency p50         {p50:8.1f} ms")
    print(
        f"  latency p95         {p95:8.1f} ms          target <= {TARGET_PAYEES_P95_MS:g} ms"
        f" {mark(p95 <= TARGET_PAYEES_P95_MS)}"
    )
    print(f"  latency max         {latencies[-1]:8.1f} ms")
    return 0


def measure(url: str, server_pid: int, clients: int, warmup: float, duration: float, setting: str = "") -> int:
    """Run the load, print the report and return the exit code."""
    workers = sign_in_workers(url, clients)
    before = balances(url, workers[0].token)

    start = threading.Barrier(clients + 1)
    stop_at = [math.inf]  # set once every client is connected and ready
    threads = [
        threading.Thread(target=worker.run, args=(url, start, stop_at), name=f"client-{worker.index}", daemon=True)
        for worker in workers
    ]
    for thread in threads:
        thread.start()
    start.wait()
    begun = time.perf_counter()
    measured_from, stop_at[0] = begun + warmup, begun + warmup + duration
    time.sleep(max(measured_from - time.perf_counter(), 0))
    server_cpu, client_cpu, machine_cpu = cpu_seconds(server_pid), time.process_time(), busy_cpu_seconds()
    time.sleep(max(stop_at[0] - time.perf_counter(), 0))
    server_cpu_end, client_cpu_end, machine_cpu_end = cpu_seconds(server_pid), time.process_time(), busy_cpu_seconds()
    for thread in threads:
        thread.join()

    latencies = sorted(
        (finished - started) * 1000
        for worker in workers
        for started, finished in worker.samples
        if started >= measured_from and finished <= stop_at[0]
    )
    failures = sum(worker.failures for worker in workers)
    completed = sum(len(worker.samples) for worker in workers)
    tps = len(latencies) / duration
    p50, p95, p99 = (percentile(latencies, p) if latencies else math.inf for p in (50, 95, 99))

    print(
        f"CalmPay API benchmark: POST /v1/payments, {clients} clients, {warmup:g} s warm-up + {duration:g} s{setting}"
    )
    print(f"  machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; server: python -m mock_api ({url})")
    print(f"  transfers measured  {len(latencies):8d}   ({completed} completed in all, {failures} failed)")
    print(f"  throughput          {tps:8.1f} transfers/s target >= {TARGET_TPS:g}     {mark(tps >= TARGET_TPS)}")
    print(f"  latency p50         {p50:8.1f} ms")
    print(f"  latency p95         {p95:8.1f} ms")
    print(f"  latency p99         {p99:8.1f} ms          target <= {TARGET_P99_MS:g} ms {mark(p99 <= TARGET_P99_MS)}")
    if server_cpu is not None and server_cpu_end is not None:
        server_share = (server_cpu_end - server_cpu) / duration
        client_share = (client_cpu_end - client_cpu) / duration
        line = f"  CPU in the window   server {100 * server_share:.0f}%, clients {100 * client_share:.0f}%"
        if machine_cpu is not None and machine_cpu_end is not None:
            other = max((machine_cpu_end - machine_cpu) / duration - server_share - client_share, 0)
            line += f", other processes {100 * other:.0f}%"
            if other > 0.2:
                line += " (the cores were shared: numbers are low)"
        print(f"{line}; 100% = one core")
    for worker in workers:
        for error in worker.errors:
            print(f"  client {worker.index} failed: {error}")

    ok = failures == 0 and completed > 0
    ledger = httpx.get(f"{url}/v1/admin/ledger", timeout=10).json()
    ledger_ok = ledger["total_minor"] == 0 and ledger["negative_balances"] == 0 and ledger["unbalanced_journals"] == 0
    print(
        f"  ledger              total_minor={ledger['total_minor']} negative_balances={ledger['negative_balances']}"
        f" unbalanced_journals={ledger['unbalanced_journals']} journals={ledger['journals']}"
        f"   {mark(ledger_ok, 'OK', 'BROKEN')}"
    )
    after = balances(url, workers[0].token)
    for account_id in sorted({worker.account_id for worker in workers}):
        paid = sum(worker.completed_minor for worker in workers if worker.account_id == account_id)
        balance_ok = before[account_id] - paid == after[account_id]
        ledger_ok = ledger_ok and balance_ok
        print(
            f"  balance {account_id}: {before[account_id]} - {paid} paid = {after[account_id]}"
            f"   {mark(balance_ok, 'OK', 'WRONG')}"
        )
    return 0 if ok and ledger_ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds not measured at the start (default 1)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured (default 10)")
    parser.add_argument(
        "--payees-samples", type=int, default=PAYEES_SAMPLES, help=f"GET /v1/payees timed (default {PAYEES_SAMPLES})"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="calmpay-bench-") as directory:
        workdir = Path(directory)
        commit_cost(workdir)
        with open(workdir / "server.log", "wb") as log:
            server, url = start_server(workdir, log)
            try:
                wait_for_health(server, url)
                worst = measure(url, server.pid, args.clients, args.warmup, args.duration)
                token = sign_in_workers(url, 1)[0].token
                added = add_payees_up_to(url, token, MANY_PAYEES)
                print(f"  (added {added} payees: the paying customer now has {MANY_PAYEES})")
                worst = max(worst, measure_payees_list(url, token, args.payees_samples))
                setting = f", {MANY_PAYEES:,} payees on the paying customer"
                return max(worst, measure(url, server.pid, args.clients, args.warmup, args.duration, setting))
            except RuntimeError as error:
                print(f"API benchmark: {error}", file=sys.stderr)
                return 2
            except httpx.HTTPError as error:
                print(f"API benchmark: setting up or checking failed: {error}", file=sys.stderr)
                return 1
            finally:
                stop_server(server)
                log.flush()
                if server.returncode not in (0, -15):
                    tail = (workdir / "server.log").read_text("utf-8", errors="replace")[-3000:]
                    print(f"API benchmark: server exited with {server.returncode}; its log ends:\n{tail}")


if __name__ == "__main__":
    raise SystemExit(main())
