#!/usr/bin/env python3
"""Screenshot of the search page of a running `dml serve`, for the README.

Drives Debian's chromium through chromedriver over the W3C WebDriver protocol (standard library only):
opens the page, searches for a gallery item (or uploads --image), waits until every result image has
loaded, and saves a PNG of the window.

    python3 tools/serve/screenshot.py --url http://127.0.0.1:8080/ --item 123 --out docs/serving-page.png
"""
import argparse
import base64
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request


def call(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response).get("value")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--item", type=int, help="search for this gallery item")
    parser.add_argument("--image", help="upload this image instead")
    parser.add_argument("--k", default="10")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=760)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    port = free_port()
    profile = tempfile.TemporaryDirectory()
    # A session of its own, so chromedriver and the chromium it starts are killed together at the end.
    driver = subprocess.Popen(["/usr/bin/chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(100):
            try:
                call(port, "GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        options = {"binary": "/usr/bin/chromium",
                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            f"--user-data-dir={profile.name}",
                            f"--window-size={args.width},{args.height}"]}
        session = call(port, "POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}})["sessionId"]
        base = f"/session/{session}"

        def script(source):
            return call(port, "POST", f"{base}/execute/sync", {"script": source, "args": []})

        def wait(condition):
            for _ in range(600):
                if script(condition):
                    return
                time.sleep(0.1)
            raise SystemExit(f"timed out waiting for: {condition}")

        call(port, "POST", f"{base}/url", {"url": args.url})
        wait("return document.querySelectorAll('#picker img').length > 0 && "
             "[...document.querySelectorAll('#picker img')].every(i => i.complete && i.naturalWidth > 0)")
        script(f"document.getElementById('k').value = '{args.k}';")
        if args.image:
            element = call(port, "POST", f"{base}/element", {"using": "css selector", "value": "#file"})
            call(port, "POST", f"{base}/element/{list(element.values())[0]}/value", {"text": args.image})
        else:
            script(f"searchItem({args.item or 0});")
        wait("const cards = [...document.querySelectorAll('#results .result img')];"
             f"return cards.length == {args.k} && cards.every(i => i.complete && i.naturalWidth > 0)")
        script("document.activeElement.blur();")
        with open(args.out, "wb") as file:
            file.write(base64.b64decode(call(port, "GET", f"{base}/screenshot")))
        call(port, "DELETE", base)
    finally:
        os.killpg(driver.pid, signal.SIGKILL)
        driver.wait(timeout=10)
        profile.cleanup()


if __name__ == "__main__":
    main()
