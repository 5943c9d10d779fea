"""Drives scripts/api-fuzz: starts `binhan demo` on a free port with its own data
folder, signs in one session per demo account (computing the authenticator code
from the TOTP secret the demo prints, for the roles that need one), then runs
schemathesis against /api/v1/openapi.json once per role, and last the operations
that end or lock a session with a session of their own. Prints one line per run
and a total `api-fuzz: N passed, M failed` (operations without and with failures).

Usage (from scripts/api-fuzz): python run.py BINHAN_BIN REPORT_DIR EXAMPLES
"""

import base64
import hashlib
import hmac
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROLES = ["social_worker", "safe_house_staff", "supervisor", "committee_member", "admin"]
# These end or lock the session they are sent with: fuzzed last, with a session of
# their own, so that they do not sign the other runs out.
SESSION_ENDING = ["/api/v1/auth/logout", "/api/v1/auth/lock", "/api/v1/auth/unlock", "/api/v1/me/password"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def totp(secret: str, at: float | None = None) -> str:
    """The 6-digit RFC 6238 code (SHA-1, 30 s) an authenticator app would show."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Demo:
    """A `binhan demo` in a temporary data folder, stopped with SIGINT."""

    def __init__(self, binary: str):
        self.tmp = tempfile.TemporaryDirectory(prefix="binhan-api-fuzz-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("BINHAN_")}
        env.update(
            BINHAN_BIND=f"127.0.0.1:{self.port}",
            BINHAN_LOG="warn",
            BINHAN_WORKERS="2",
            # A long run keeps its sessions.
            BINHAN_SESSION_IDLE_MINUTES="720",
            BINHAN_SESSION_MAX_HOURS="24",
        )
        self.output = ""
        self.log = open(Path(self.tmp.name) / "demo.log", "w")
        self.proc = subprocess.Popen(
            [binary, "demo", "--data-dir", str(Path(self.tmp.name) / "data")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stdout:
            self.output = (self.output + line)[-50_000:]

    def wait_ready(self, within: float = 120.0):
        started = time.monotonic()
        while time.monotonic() - started < within:
            if self.proc.poll() is not None:
                raise SystemExit(f"binhan demo stopped before it was ready:\n{self.output}")
            try:
                with urllib.request.urlopen(f"{self.url}/readyz", timeout=2) as r:
                    if r.status == 200 and "Stop with Ctrl-C." in self.output:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise SystemExit(f"binhan demo was not ready within {within} s:\n{self.output}")

    def accounts(self) -> dict:
        line = re.compile(r"^\s+(" + "|".join(ROLES) + r")\s+(\S+)\s+(\S+)\s+(\S+)\s*$", re.M)
        return {
            role: {"username": u, "password": p, "secret": None if s == "-" else s}
            for role, u, p, s in line.findall(self.output)
        }

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.tmp.cleanup()


def sign_in(url: str, account: dict) -> str:
    body = {"username": account["username"], "password": account["password"]}
    if account["secret"]:
        body["totp"] = totp(account["secret"])
    request = urllib.request.Request(
        f"{url}/api/v1/auth/login",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers.get("Set-Cookie", "")
        me = json.load(response)
    match = re.match(r"(__Host-binhan_session=[^;]+)", cookie)
    if not match or me.get("stage") != "full":
        raise SystemExit(f"signing in as {account['username']} gave no full session")
    return match.group(1)


def junit_counts(path: Path) -> tuple[int, int]:
    """Operations without failures and with, from schemathesis' JUnit report."""
    passed = failed = 0
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is None:
            passed += 1
    return passed, failed


def schemathesis(demo: Demo, name: str, cookie: str, examples: str, reports: Path, only: list | None) -> tuple:
    junit = reports / f"{name}.xml"
    junit.unlink(missing_ok=True)
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file", str(HERE / "schemathesis.toml"),
        "run", f"{demo.url}/api/v1/openapi.json",
        "--url", demo.url,
        "--header", f"Cookie: {cookie}",
        "--checks", "all",
        "--max-examples", examples,
        "--workers", "1",
        "--no-color",
        "--report", "junit",
        "--report-junit-path", str(junit),
    ]
    for path in SESSION_ENDING:
        command += ["--include-path" if only else "--exclude-path", path]
    started = time.monotonic()
    log = reports / f"{name}.log"
    with open(log, "w") as out:
        code = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT).returncode
    passed, failed = junit_counts(junit) if junit.exists() else (0, 1)
    if code != 0 and failed == 0:
        failed = 1  # schemathesis failed without a report: count the run as failed
    took = time.monotonic() - started
    print(f"  {name:<18} {passed:>3} operations passed, {failed} failed ({took:.0f} s, {log})", flush=True)
    if failed:
        print(Path(log).read_text()[-8000:], flush=True)
    return passed, failed


def main():
    binary, reports, examples = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    reports.mkdir(parents=True, exist_ok=True)
    demo = Demo(binary)
    try:
        demo.wait_ready()
        accounts = demo.accounts()
        if sorted(accounts) != sorted(ROLES):
            raise SystemExit(f"the demo printed no account for some role:\n{demo.output}")
        # Every session first: fuzzing the sign-in soon meets its per-address limit.
        sessions = {role: sign_in(demo.url, accounts[role]) for role in ROLES}
        sessions["session_ending"] = sign_in(demo.url, accounts["social_worker"])
        print(f"schemathesis against {demo.url}, {examples} examples an operation, one run a role:", flush=True)
        total_passed = total_failed = 0
        for role in ROLES:
            p, f = schemathesis(demo, role, sessions[role], examples, reports, None)
            total_passed, total_failed = total_passed + p, total_failed + f
        p, f = schemathesis(demo, "session_ending", sessions["session_ending"], examples, reports, SESSION_ENDING)
        total_passed, total_failed = total_passed + p, total_failed + f
        if demo.proc.poll() is not None:
            print(f"binhan demo stopped during the run:\n{demo.output}")
            total_failed += 1
    finally:
        demo.stop()
    print(f"api-fuzz: {total_passed} passed, {total_failed} failed")
    sys.exit(1 if total_failed else 0)


if __name__ == "__main__":
    main()
