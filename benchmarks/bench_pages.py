"""The weight of each chapter page with an explorer, and the time until its explorer renders.

Weight: the page document (which embeds the widget state, so every precomputed view and its
images) plus the page's own images (``_images/``); the theme, MathJax and the widget manager
are shared by every page and not counted. The limit is 2.5 MB a page.

Time: headless Debian chromium (as ``tests/test_site.py`` drives it) opens the page from a
local server, with every request to another host blocked, and the time is read from
``performance.now()`` (milliseconds since the navigation began) when the explorer's first view
is on screen with its image decoded. The median of a few visits is printed; the machine's load
moves it, so it is a measurement, not a test.

Run after ``make book``: ``.venv/bin/python benchmarks/bench_pages.py [--site DIR] [--runs N]``.
"""
import argparse
import functools
import html.parser
import os
import statistics
import threading
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("BPKIT_CHROMIUM", "/usr/bin/chromium")
LIMIT_MB = 2.5
FIRST_VIEW_JS = r"""() => {
  const ex = document.querySelector('.bpkit-explorer');
  if (!ex) return null;
  const shown = [...ex.querySelectorAll('[data-bpkit-state]')]
      .filter(s => s.getClientRects().length && s.offsetParent !== null);
  if (!shown.length) return null;
  const imgs = [...shown[0].querySelectorAll('img')];
  if (!imgs.every(i => i.complete && i.naturalWidth > 0)) return null;
  return performance.now();
}"""


class _Images(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.srcs = set()

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src") or ""
        if tag == "img" and "_images/" in src and not src.startswith("data:"):
            self.srcs.add(src)


def weight(site, rel):
    """(document bytes, own image bytes) of one page."""
    page = site / rel
    text = page.read_text(encoding="utf-8")
    parser = _Images()
    parser.feed(text)
    images = sum((page.parent / urllib.parse.unquote(src)).resolve().stat().st_size
                 for src in parser.srcs)
    return len(text.encode("utf-8")), images


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a page closed while its late requests (the favicon) were in flight


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    site = args.site.resolve()
    pages = sorted(rel for rel in (p.relative_to(site).as_posix()
                                   for p in (site / "book").glob("*.html"))
                   if "bpkit-explorer" in (site / rel).read_text(encoding="utf-8"))
    httpd = _Server(("127.0.0.1", 0),
                    functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{httpd.server_address[1]}"

    from playwright.sync_api import sync_playwright

    print(f"{'page':<36} {'document MB':>11} {'images MB':>9} {'total MB':>8} "
          f"{'first view s':>12}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(service_workers="block")
        context.route("**/*", lambda r: r.continue_() if urllib.parse.urlsplit(
            r.request.url).netloc == host else r.abort("blockedbyclient"))
        for rel in pages:
            doc, images = weight(site, rel)
            times = []
            for _ in range(args.runs):
                page = context.new_page()
                page.goto(f"http://{host}/{rel}", wait_until="commit")
                times.append(page.wait_for_function(FIRST_VIEW_JS, polling=20,
                                                    timeout=60000).json_value() / 1000)
                page.close()
            total = (doc + images) / 1e6
            flag = "" if total <= LIMIT_MB else f"  over {LIMIT_MB} MB"
            print(f"{rel:<36} {doc / 1e6:>11.2f} {images / 1e6:>9.2f} {total:>8.2f} "
                  f"{statistics.median(times):>12.2f}{flag}")
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
