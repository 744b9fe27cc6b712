"""A headless Chromium driven over the DevTools protocol, for the report page's tests.

Chromium's ``--remote-debugging-pipe`` reads protocol commands from file descriptor 3 and writes
replies and events to descriptor 4, each a JSON object ended by a NUL byte: the standard library
is enough, and no browser download is needed (Debian's ``chromium`` package).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["Browser", "Loaded", "find_chromium"]

Message = dict[str, Any]


def find_chromium() -> str | None:
    """The system's Chromium, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


class Loaded:
    """A page opened in the browser: what it logged and requested, and a way to query it."""

    def __init__(self, browser: Browser, session: str, events: list[Message]) -> None:
        self.browser, self.session, self.events = browser, session, events

    @property
    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors (a CSP violation, …)."""
        out = []
        for e in self.events:
            params = e.get("params", {})
            if e["method"] == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                out.append(json.dumps(params["args"]))
            elif e["method"] == "Runtime.exceptionThrown":
                out.append(json.dumps(params["exceptionDetails"]))
            elif e["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
                out.append(params["entry"]["text"])
        return out

    @property
    def requests(self) -> list[str]:
        """Every URL the page asked for, itself included."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent"
        ]

    @property
    def dialogs(self) -> list[str]:
        """Alerts and other dialogs the page opened."""
        return [
            e["params"]["message"]
            for e in self.events
            if e["method"] == "Page.javascriptDialogOpening"
        ]

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = self.browser.call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, self.session
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        data = self.browser.call("Page.captureScreenshot", {"format": "png"}, self.session)
        path.write_bytes(base64.b64decode(data["data"]))
        return path


class Browser:
    """One headless Chromium process; use as a context manager."""

    def __init__(self, executable: str, width: int = 1280, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="bilingual-chromium-")
        to_chrome, self._out = os.pipe()
        self._in, from_chrome = os.pipe()
        args = [
            executable, "--headless", "--remote-debugging-pipe", "--no-sandbox",
            "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank",
        ]  # fmt: skip

        def descriptors() -> None:  # the child's fds 3 and 4 are the pipe's ends
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_chrome, from_chrome)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
            args, pass_fds=(3, 4), preexec_fn=descriptors,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer = b""
        self._next = 0
        self.events: list[Message] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.call("Browser.close")
        except (OSError, AssertionError, TimeoutError):
            self.process.kill()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._out)
        os.close(self._in)
        shutil.rmtree(self.profile, ignore_errors=True)

    def call(
        self, method: str, params: Message | None = None, session: str | None = None
    ) -> Message:
        """Send one command and wait for its reply (events that arrive meanwhile are kept)."""
        self._next += 1
        message: Message = {"id": self._next, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive(30)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                result: Message = reply.get("result", {})
                return result
            self.events.append(reply)

    def open(self, url: str, timeout: float = 60) -> Loaded:
        """Open ``url`` in a new tab, recording console, network and dialogs, until it loaded."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable", {}, session)
        start = len(self.events)
        self.call("Page.navigate", {"url": url}, session)
        deadline = time.monotonic() + timeout
        while not any(
            e.get("method") == "Page.loadEventFired" and e.get("sessionId") == session
            for e in self.events[start:]
        ):
            self.events.append(self._receive(deadline - time.monotonic()))
        time.sleep(0.3)  # let the page's script run and log
        self.call("Runtime.evaluate", {"expression": "1"}, session)  # flush pending events
        mine = [e for e in self.events[start:] if e.get("sessionId") == session]
        return Loaded(self, session, mine)

    def _receive(self, timeout: float) -> Message:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._in], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise OSError("chromium closed its DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        parsed: Message = json.loads(message)
        return parsed
