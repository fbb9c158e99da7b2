"""Headless Chromium over the DevTools protocol: load a page from file, record its console
errors, exceptions and network requests, read values from the DOM, take a screenshot.

Started with ``--remote-debugging-port=0``; the port is read from the profile's
``DevToolsActivePort`` file; one page target is driven with ``websocket-client``.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def chromium_binary() -> str:
    for name in CHROMIUM:
        path = shutil.which(name)
        if path:
            return path
    raise RuntimeError("headless Chromium not found: `make setup` installs Debian's chromium")


@dataclass
class PageLoad:
    url: str
    requests: list[str] = field(default_factory=list)       # every URL the page requested
    console: list[dict[str, Any]] = field(default_factory=list)   # {type, text}
    exceptions: list[str] = field(default_factory=list)
    log_errors: list[str] = field(default_factory=list)     # Log domain, level error
    failed: list[str] = field(default_factory=list)         # Network.loadingFailed

    @property
    def console_errors(self) -> list[str]:
        return ([c["text"] for c in self.console if c["type"] in ("error", "assert")]
                + self.exceptions + self.log_errors)

    @property
    def foreign_requests(self) -> list[str]:
        """Requests other than the page itself (a self-contained page makes none)."""
        return [u for u in self.requests if u != self.url]


class Chromium:
    """One headless browser with one page; use as a context manager."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 900) -> None:
        self.profile, self.width, self.height = profile, width, height
        self.proc: subprocess.Popen[bytes] | None = None
        self.ws: websocket.WebSocket | None = None
        self._id = 0
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Chromium:
        self.profile.mkdir(parents=True, exist_ok=True)
        log = (self.profile / "chromium.log").open("wb")
        self.proc = subprocess.Popen(
            [chromium_binary(), "--headless", "--disable-gpu", "--no-sandbox",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", f"--user-data-dir={self.profile}",
             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
             "about:blank"], stdout=log, stderr=log)
        port = self._port(timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as r:
            targets = json.load(r)
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60,
                                              suppress_origin=True)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=self.width, height=self.height,
                  deviceScaleFactor=1, mobile=False)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.ws is not None:
            self.ws.close()
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def _port(self, timeout: float) -> int:
        active = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.proc.returncode}: "
                                   f"{(self.profile / 'chromium.log').read_text()[-2000:]}")
            if active.is_file():
                lines = active.read_text().splitlines()
                if lines and lines[0].isdigit():
                    return int(lines[0])
            time.sleep(0.1)
        raise RuntimeError(f"chromium gave no DevTools port within {timeout:g} s")

    def _recv(self) -> dict[str, Any]:
        assert self.ws is not None
        return json.loads(self.ws.recv())

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer; events seen meanwhile are kept."""
        assert self.ws is not None
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = self._recv()
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self._events.append(msg)

    def _wait_event(self, method: str, timeout: float) -> None:
        assert self.ws is not None
        deadline = time.monotonic() + timeout
        if any(e.get("method") == method for e in self._events):
            return
        while time.monotonic() < deadline:
            msg = self._recv()
            self._events.append(msg)
            if msg.get("method") == method:
                return
        raise RuntimeError(f"no {method} within {timeout:g} s")

    def load(self, path: Path, timeout: float = 60) -> PageLoad:
        """Open `path` (file://), wait for the load event, and report what happened."""
        url = path.resolve().as_uri()
        self._events.clear()
        self.call("Page.navigate", url=url)
        self._wait_event("Page.loadEventFired", timeout)
        self.call("Runtime.evaluate", expression="1")   # drain what the load queued
        time.sleep(0.5)
        self.call("Runtime.evaluate", expression="1")
        result = PageLoad(url)
        for e in self._events:
            p = e.get("params", {})
            match e.get("method"):
                case "Network.requestWillBeSent":
                    result.requests.append(p["request"]["url"])
                case "Network.loadingFailed":
                    result.failed.append(p.get("errorText", ""))
                case "Runtime.consoleAPICalled":
                    text = " ".join(str(a.get("value", a.get("description", "")))
                                    for a in p.get("args", []))
                    result.console.append({"type": p.get("type"), "text": text})
                case "Runtime.exceptionThrown":
                    d = p.get("exceptionDetails", {})
                    result.exceptions.append(d.get("exception", {}).get("description")
                                             or d.get("text", ""))
                case "Log.entryAdded":
                    if p["entry"].get("level") == "error":
                        result.log_errors.append(p["entry"].get("text", ""))
        return result

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (returned by value)."""
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def screenshot(self, out: Path) -> Path:
        """A PNG of the whole page (beyond the viewport)."""
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        out.write_bytes(base64.b64decode(data["data"]))
        return out
