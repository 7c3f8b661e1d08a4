"""The built website, page by page, in a real browser, offline.

One headless Debian chromium (driven by playwright) visits every ``.html`` file of the built
site, served from a local HTTP server on 127.0.0.1. Every request to any other host is blocked
and recorded. The visit collects, for each page: outside requests, failed local requests,
console errors, untypeset math, broken or unlabelled images, widget snapshots that did not
render, links, the launch and download buttons, and the axe-core accessibility report. The
tests below each check one of these over all pages and name every page that fails.

The site is ``_build/html`` (``make book``) unless ``BPKIT_SITE_DIR`` names another build.
Run it alone with ``.venv/bin/python -m pytest tests/test_site.py``.
"""
import functools
import html
import itertools
import html.parser
import os
import re
import subprocess
import threading
import time
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("BPKIT_SITE_DIR", ROOT / "_build" / "html")).resolve()
CHROMIUM = os.environ.get("BPKIT_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# axe impacts that fail the test; "moderate" and "minor" are reported by axe only.
AXE_FAILING = ("critical", "serious")
# Raw TeX that must not survive typesetting in the visible text (code excluded).
TEX_DELIMITERS = ("$$", "\\(", "\\)", "\\[", "\\]", "\\begin{")
# ...and $-delimited TeX with a command in it (a widget description such as "$\\eta$").
TEX_DOLLARS = re.compile(r"\$[^$\n]*\\[A-Za-z]+[^$\n]*\$")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def site_pages():
    """Every HTML file of the build, relative to the site root, in a stable order.

    Skipped: ``_static/`` (the themes copy their Jinja macro files ``webpack-macros.html``
    and ``sbt-webpack-macros.html`` there verbatim: templates, not pages, linked from nowhere)
    and ``_sources/`` (the pages' sources, served as downloads).
    """
    if not SITE.is_dir():
        return []
    return sorted(rel for rel in (p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html"))
                  if not rel.startswith(("_static/", "_sources/")))


class _Server(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output for the failures
        pass


@pytest.fixture(scope="module")
def server():
    handler = functools.partial(_Server, directory=str(SITE))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# --- static facts about a built HTML file (ids, redirects, widget tags) ---------------------

class _Scan(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.refresh, self.widget_views, self.widget_state = set(), None, 0, False
        self.math = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.refresh = (a.get("content") or "").partition("url=")[2].strip()
        if tag == "script" and a.get("type") == WIDGET_VIEW:
            self.widget_views += 1
        if tag == "script" and a.get("type") == WIDGET_STATE:
            self.widget_state = True
        if tag in ("span", "div") and "math" in (a.get("class") or "").split():
            self.math += 1


@functools.lru_cache(maxsize=None)
def scan(rel):
    s = _Scan()
    s.feed((SITE / rel).read_text(encoding="utf-8"))
    return s


def site_file(url_path):
    """The file that serves ``url_path`` (a path below the site root), or None."""
    target = SITE / urllib.parse.unquote(url_path).lstrip("/")
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


@functools.lru_cache(maxsize=None)
def tracked_files():
    """Files in the git repository (None when this is not a git work tree)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(out.decode().split("\0"))


# --- the visit ------------------------------------------------------------------------------

# Runs in the page once it has loaded: waits for MathJax's first typesetting and for every
# stored widget view to be rendered (or gives up after `ms`), then reports what it sees.
COLLECT_JS = r"""
async (ms) => {
  const until = (cond) => new Promise((resolve) => {
    const t0 = Date.now();
    const tick = () => (cond() || Date.now() - t0 > ms) ? resolve() : setTimeout(tick, 50);
    tick();
  });
  await until(() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise));
  if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
    await Promise.race([window.MathJax.startup.promise, new Promise(r => setTimeout(r, ms))]);
  }
  const views = [...document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')];
  const rendered = (v) => {
    const box = v.previousElementSibling;
    return !!(box && box.querySelector('.jupyter-widgets, .lm-Widget, .widget-inline-hbox'));
  };
  await until(() => views.every(rendered));
  await document.fonts.ready;

  // Visible text outside code, scripts and typeset math.
  const skip = 'pre, code, script, style, textarea, noscript, mjx-container, .highlight, ' +
               '.MathJax, mjx-assistive-mml';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip) || !n.textContent.trim()) continue;
    if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;
    texts.push(n.textContent);
  }
  const math = [...document.querySelectorAll('span.math, div.math')];
  return {
    text: texts.join('\n'),
    math: math.length,
    untypeset: math.filter(m => !m.querySelector('mjx-container'))
                   .map(m => m.textContent.trim().slice(0, 60)),
    mjx: document.querySelectorAll('mjx-container').length,
    mjxFonts: [...document.fonts].filter(f => /^MJX/.test(f.family))
                .map(f => ({family: f.family, status: f.status})),
    images: [...document.images].map(i => ({
      src: i.getAttribute('src'), loaded: i.complete && i.naturalWidth > 0,
      alt: i.getAttribute('alt')})),
    views: views.length,
    unrendered: views.filter(v => !rendered(v)).length,
    widgets: document.querySelectorAll('.jupyter-widgets').length,
    widgetErrors: document.querySelectorAll('.jupyter-widgets-error-widget').length,
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    launch: [...document.querySelectorAll('a[href*="mybinder"], a[href*="/v2/gh/"]')]
              .map(a => a.href),
    downloads: [...document.querySelectorAll('.dropdown-download-buttons a[href]')]
              .map(a => a.getAttribute('href')),
  };
}
"""

# What a page reports when its visit fails half-way (the failure itself is then reported).
NO_FACTS = dict(text="", math=0, untypeset=[], mjx=0, mjxFonts=[], images=[], views=0,
                unrendered=0, widgets=0, widgetErrors=0, links=[], launch=[], downloads=[],
                axe=[], axe_outside=[], visit_error=None, explorers=[], first_render_s=None)

AXE_JS = """
async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                 targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}
"""


# --- explorers: move every control, read what is shown ----------------------------------------

# What an explorer (bpkit.explorers.base.GridExplorer) shows now: the label of each control, in
# order, and the key and content of every visible stored view.
EXPLORER_JS = r"""
(ex) => {
  const label = (c) => {
    if (c.querySelector('select')) {
      const s = c.querySelector('select');
      return s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : null;
    }
    const active = c.querySelector('button.mod-active');
    if (active) return active.textContent.trim();
    const readout = c.querySelector('.widget-readout');
    return readout ? readout.textContent.trim() : null;
  };
  const shown = [...ex.querySelectorAll('[data-bpkit-state]')]
    .filter(e => e.offsetParent !== null);
  return {
    // ipywidgets writes the spaces of option labels as no-break spaces
    labels: [...ex.querySelectorAll('.bpkit-control')].map(label)
      .map(t => t === null ? null : t.replace(/\u00a0/g, ' ')),
    kinds: [...ex.querySelectorAll('.bpkit-control')].map(c =>
      c.querySelector('select') ? 'dropdown' : c.querySelector('button') ? 'toggle' : 'slider'),
    shown: shown.map(e => ({key: e.dataset.bpkitState, html: e.outerHTML})),
  };
}
"""


def _options(ctl, kind):
    """How many values a control offers (a slider's handle says so in aria-valuemax)."""
    if kind == "slider":
        return int(float(ctl.locator(".noUi-handle").first.get_attribute("aria-valuemax"))) + 1
    return ctl.locator("option" if kind == "dropdown" else "button").count()


def _keys_to(page, element, index, step_key):
    """Focus ``element``, go to its first value, then ``index`` values on with ``step_key``."""
    element.focus()
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press(step_key)


def _set(page, ctl, kind, index, n, keyboard):
    """Move one control to its ``index``-th value, by keyboard or by mouse."""
    if kind == "slider":
        if keyboard:
            _keys_to(page, ctl.locator(".noUi-handle").first, index, "ArrowRight")
        else:
            box = ctl.locator(".noUi-base").first.bounding_box()
            page.mouse.click(box["x"] + box["width"] * index / max(1, n - 1),
                             box["y"] + box["height"] / 2)
    elif kind == "toggle":
        button = ctl.locator("button").nth(index)
        if keyboard:
            button.focus()
            page.keyboard.press("Space")
        else:
            button.click()
    else:
        select = ctl.locator("select")
        if keyboard:
            _keys_to(page, select, index, "ArrowDown")
        else:
            select.select_option(index=index)


def play_explorers(page):
    """Walk every explorer on the page through all its views, as a reader would.

    The controls are moved in odometer order (the last one fastest), so every combination is
    shown once; moves alternate between the keyboard and the mouse. Returns, per explorer, the
    list of (move, what was shown) after the stored start and after each move.
    """
    records = []
    explorers = page.locator(".bpkit-explorer")
    for e in range(explorers.count()):
        ex = explorers.nth(e)
        ex.scroll_into_view_if_needed()
        start = ex.evaluate(EXPLORER_JS)
        moves = [("as stored", start)]
        controls = ex.locator(".bpkit-control")
        kinds = start["kinds"]
        sizes = [_options(controls.nth(c), k) for c, k in enumerate(kinds)]
        current = [None] * len(kinds)
        for step, target in enumerate(itertools.product(*(range(n) for n in sizes))):
            keyboard = step % 2 == 1
            for c, (now, want) in enumerate(zip(current, target)):
                if now != want:
                    _set(page, controls.nth(c), kinds[c], want, sizes[c], keyboard)
            current = list(target)
            page.wait_for_timeout(40)   # the links run on the next turn of the event loop
            how = "keyboard" if keyboard else "mouse"
            moves.append((f"values {[i + 1 for i in target]} set by {how}",
                          ex.evaluate(EXPLORER_JS)))
        records.append(moves)
    return records


@pytest.fixture(scope="module")
def visits(server):
    """Visit every page once; return {page: facts} and print the time it took."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

    pages = site_pages()
    assert pages, f"no built site in {SITE}: run `make book` (or set BPKIT_SITE_DIR)"
    host = urllib.parse.urlsplit(server).netloc
    axe_source = AXE.read_text(encoding="utf-8")
    report = {}
    t0 = time.perf_counter()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=CHROMIUM_ARGS)
        context = browser.new_context(service_workers="block")
        current = {}

        def route(r):
            if urllib.parse.urlsplit(r.request.url).netloc == host:
                r.continue_()
            else:
                current["outside"].append(r.request.url)
                r.abort("blockedbyclient")

        context.route("**/*", route)
        page = context.new_page()

        def local(url):
            return urllib.parse.urlsplit(url).netloc == host

        pending = set()  # local requests without an answer yet
        page.on("request", lambda rq: local(rq.url) and pending.add(rq))
        page.on("requestfinished", lambda rq: pending.discard(rq))
        page.on("requestfailed", lambda rq: pending.discard(rq) or (
            local(rq.url) and current["failed"].append(f"{rq.url} ({rq.failure})")))
        page.on("response", lambda rs: local(rs.url) and (
            current["failed"].append(f"{rs.url} (HTTP {rs.status})") if rs.status >= 400
            else current["loaded"].append(rs.url)))
        page.on("console", lambda m: m.type == "error" and current["console"].append(
            f"{m.text} @ {m.location.get('url', '')}"))
        page.on("pageerror", lambda e: current["console"].append(f"uncaught: {e}"))

        seconds = {}
        for rel in pages:
            started = time.perf_counter()
            current.clear()
            current.update(outside=[], failed=[], loaded=[], console=[])
            pending.clear()
            static = scan(rel)
            if static.refresh is not None:
                # A redirect stub (the etoc root index.html): its target is checked, the
                # page it lands on is visited under its own name.
                report[rel] = dict(current, redirect=static.refresh, static=static)
                continue
            report[rel] = dict(current, **NO_FACTS, redirect=None, static=static,
                               url=f"{server}/{rel}")
            try:
                page.goto(f"{server}/{rel}", wait_until="load")
                report[rel].update(page.evaluate(COLLECT_JS, 15000))
                report[rel]["first_render_s"] = (time.perf_counter() - started
                                                  if report[rel]["views"] else None)
                try:  # quiet network: late requests (fonts, widget modules) are seen too
                    page.wait_for_load_state("networkidle", timeout=10000)
                except PlaywrightTimeout:
                    current["failed"] += [f"{rq.url} (no answer after 10 s)" for rq in pending]
                # axe's own requests are not the page's: it re-fetches stylesheets for its
                # CSSOM rules and resolves an @import against the page instead of the
                # stylesheet (theme.css imports "../basic.css"), a 404 no reader ever sees.
                current.update(outside=[], failed=[], loaded=[], console=[])
                page.add_script_tag(content=axe_source)
                report[rel]["axe"] = page.evaluate(AXE_JS)
                report[rel]["axe_outside"] = current["outside"]
                # Last, as a reader would: move every explorer's controls (the page changes).
                report[rel]["explorers"] = play_explorers(page)
            except Exception as exc:  # noqa: BLE001 -- reported by test_every_page_was_visited
                report[rel]["visit_error"] = f"{type(exc).__name__}: {exc}"
            seconds[rel] = time.perf_counter() - started
        browser.close()
    elapsed = time.perf_counter() - t0
    slowest = ", ".join(f"{rel} {t:.1f} s" for rel, t in
                        sorted(seconds.items(), key=lambda kv: -kv[1])[:3])
    print(f"\nsite test: {len(pages)} pages visited in {elapsed:.1f} s (slowest: {slowest})")
    return report


def _fail_if(problems, what):
    """Fail with one line per problem (each names its page), without a traceback."""
    if problems:
        pytest.fail(f"{what}:\n" + "\n".join(f"  {p}" for p in problems), pytrace=False)


def visited(visits):
    return {rel: v for rel, v in visits.items() if v["redirect"] is None}


# --- the checks -----------------------------------------------------------------------------

def test_every_page_was_visited(visits):
    assert set(visits) == set(site_pages())
    assert any(v["redirect"] is None for v in visits.values()), "only redirect stubs were built"
    _fail_if([f"{rel}: {v['visit_error']}" for rel, v in visits.items() if v.get("visit_error")],
             "pages the browser could not visit to the end")


def test_redirect_stubs_point_at_built_pages(visits):
    problems = []
    for rel, v in visits.items():
        if v["redirect"] is not None:
            target = urllib.parse.urljoin(rel, v["redirect"])
            if site_file(target) is None:
                problems.append(f"{rel}: redirects to missing {target}")
    _fail_if(problems, "redirects to pages that do not exist")


def test_nothing_is_fetched_from_outside(visits):
    _fail_if([f"{rel}: {url}" for rel, v in visits.items()
              for url in v["outside"] + v.get("axe_outside", [])],
             "requests that left 127.0.0.1 (blocked; the site must serve everything itself)")


def test_every_local_request_succeeds(visits):
    _fail_if([f"{rel}: {f}" for rel, v in visits.items() for f in v["failed"]],
             "local requests that failed")


def test_no_console_errors(visits):
    _fail_if([f"{rel}: {c}" for rel, v in visits.items() for c in v["console"]],
             "console errors")


def test_math_is_typeset(visits):
    problems = []
    for rel, v in visited(visits).items():
        for d in TEX_DELIMITERS:
            if d in v["text"]:
                i = v["text"].index(d)
                around = v["text"][max(0, i - 40):i + 40]
                problems.append(f"{rel}: raw TeX {d!r} visible: ...{around!r}")
        problems += [f"{rel}: raw TeX visible: {m!r}" for m in TEX_DOLLARS.findall(v["text"])]
        if v["static"].math and not v["mjx"]:
            problems.append(f"{rel}: {v['static'].math} math elements, no mjx-container")
        problems += [f"{rel}: math not typeset: {t!r}" for t in v["untypeset"]]
        # MathJax's CHTML fonts (families MJXZERO, MJXTEX, ...) come from the site itself:
        # any other host is blocked, so "loaded" here means loaded from 127.0.0.1.
        fonts = v["mjxFonts"]
        if v["mjx"] and not any(f["status"] == "loaded" for f in fonts):
            problems.append(f"{rel}: math typeset but no MathJax font loaded: {fonts}")
        problems += [f"{rel}: MathJax font {f['family']} failed to load"
                     for f in fonts if f["status"] == "error"]
    _fail_if(problems, "math that MathJax did not typeset")


def test_images_load_and_have_alt_text(visits):
    problems = []
    for rel, v in visited(visits).items():
        for img in v["images"]:
            src = img["src"] or ""
            name = src if len(src) < 100 else src[:60] + "..."
            if not img["loaded"]:
                problems.append(f"{rel}: image {name} did not load")
            alt = (img["alt"] or "").strip()
            # docutils falls back to the image's URI when a notebook gives no alt text
            if not alt or alt == src or (not src.startswith("data:")
                                         and alt.endswith(Path(src).name)):
                problems.append(f"{rel}: image {name} has no alt text (alt={img['alt']!r}); "
                                "see CONTRIBUTING.md, 'Figures'")
    _fail_if(problems, "images")


def test_widget_snapshots_render(visits):
    problems = []
    for rel, v in visited(visits).items():
        if v["static"].widget_views and not v["static"].widget_state:
            problems.append(f"{rel}: {v['static'].widget_views} widget views but no stored "
                            "widget state (execute the notebook in place to store it)")
        if v["unrendered"]:
            problems.append(f"{rel}: {v['unrendered']} of {v['views']} widget views not rendered")
        if v["views"] and not v["widgets"]:
            problems.append(f"{rel}: no .jupyter-widgets element on a page with widget views")
        if v["widgetErrors"]:
            problems.append(f"{rel}: {v['widgetErrors']} widgets show the manager's error box "
                            "instead (see the console errors for the cause)")
    _fail_if(problems, "widget snapshots")


def test_internal_links_resolve(visits):
    problems = []
    for rel, v in visited(visits).items():
        base = urllib.parse.urlsplit(v["url"])
        for href in set(v["links"]):
            url = urllib.parse.urlsplit(urllib.parse.urljoin(v["url"], href))
            if url.scheme not in ("http", "https") or url.netloc != base.netloc:
                continue
            target = site_file(url.path)
            if target is None:
                problems.append(f"{rel}: link {href!r} -> missing file {url.path}")
            elif url.fragment and target.suffix == ".html":
                frag = urllib.parse.unquote(url.fragment)
                if frag not in scan(target.relative_to(SITE).as_posix()).ids:
                    problems.append(f"{rel}: link {href!r} -> no #{frag} in {url.path}")
    _fail_if(problems, "internal links that do not resolve")


def _notebook_pages():
    """Pages built from a notebook: the chapters and exercises (their source is an .ipynb)."""
    return [rel for rel in site_pages()
            if (SITE / "_sources" / rel).with_suffix(".ipynb").is_file()]


def test_notebook_pages_offer_binder_and_the_ipynb(visits):
    problems = []
    tracked = tracked_files()
    for rel in _notebook_pages():
        v = visits[rel]
        notebook = Path(rel).with_suffix(".ipynb").as_posix()
        if not v["launch"]:
            problems.append(f"{rel}: no Binder launch link")
        for link in v["launch"]:
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
            urlpath = (query.get("urlpath") or query.get("labpath") or [""])[0]
            path = urlpath.split("/tree/", 1)[-1] if "/tree/" in urlpath else urlpath
            if path != notebook:
                problems.append(f"{rel}: Binder opens {path!r}, expected {notebook!r} ({link})")
            elif not (ROOT / path).is_file():
                problems.append(f"{rel}: Binder opens {path!r}, not in the repository")
            elif tracked is not None and path not in tracked:
                problems.append(f"{rel}: Binder opens {path!r}, which is not committed to git")
        ipynb = [d for d in v["downloads"] if d.split("?")[0].endswith(".ipynb")]
        if not ipynb:
            problems.append(f"{rel}: the download menu offers no .ipynb ({v['downloads']})")
        for d in ipynb:
            url = urllib.parse.urlsplit(urllib.parse.urljoin(v["url"], d))
            if site_file(url.path) is None:
                problems.append(f"{rel}: download {d!r} is missing from the site")
    _fail_if(problems, "launch and download buttons")


def test_accessibility_axe(visits):
    problems = [f"{rel}: [{x['impact']}] {x['id']} ({x['help']}) at {'; '.join(x['targets'])}"
                for rel, v in visited(visits).items() for x in v["axe"]
                if x["impact"] in AXE_FAILING]
    _fail_if(problems, f"axe-core violations of impact {' or '.join(AXE_FAILING)}")


# --- explorers respond with no kernel -------------------------------------------------------

def _stored_views(rel):
    """{key: html} of every precomputed view that the page's notebook stored."""
    import json

    notebook = ROOT / Path(rel).with_suffix(".ipynb")
    state = json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {}).get(
        "widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    views = {}
    for model in state.values():
        value = model.get("state", {}).get("value")
        if isinstance(value, str):
            m = re.match(r"<div data-bpkit-state='([^']*)'>", value)
            if m:
                views[html.unescape(m.group(1))] = value
    return views


def _img_src(fragment):
    m = re.search(r'<img src="([^"]+)"', fragment)
    return m.group(1) if m else None


def test_explorers_respond_without_a_kernel(visits):
    """Every move of a control shows the one stored view that the controls' values name.

    The view's key lists each control's value as the notebook computed it; its picture must be
    the picture the notebook stored for that key. A broken or missing link shows a stale
    view, or none, or two.
    """
    problems, played = [], []
    for rel, v in visited(visits).items():
        if not v["explorers"]:
            continue
        stored = _stored_views(rel)
        for e, moves in enumerate(v["explorers"], 1):
            played.append(f"{rel}: explorer {e}, {len(moves) - 1} moves")
            keys = set()
            for what, seen in moves:
                where = f"{rel}: explorer {e}, {what}"
                if len(seen["shown"]) != 1:
                    problems.append(f"{where}: {len(seen['shown'])} views shown, expected 1")
                    continue
                key = seen["shown"][0]["key"]
                labels = [part.split("=", 1)[1] for part in key.split(";")]
                if labels != seen["labels"]:
                    problems.append(f"{where}: the controls read {seen['labels']} but the view "
                                    f"shown was computed for {labels}")
                elif key not in stored:
                    problems.append(f"{where}: view {key!r} is not in the notebook's stored state")
                elif _img_src(seen["shown"][0]["html"]) != _img_src(stored[key]):
                    problems.append(f"{where}: the picture shown is not the notebook's for {key!r}")
                keys.add(key)
            if len(moves) > 1 and len(keys) < 2:
                problems.append(f"{rel}: explorer {e}: moving its controls never changed the view")
    print("\n" + "\n".join(played))
    _fail_if(problems, "explorers that do not respond on the static page")
    if not played:
        pytest.skip("no page of this build has an explorer")


#: Stored views and their images, per chapter page (issue 10); the theme is not counted.
MAX_PAGE_BYTES = 2.5e6


def test_explorer_pages_stay_light(visits):
    problems, lines = [], []
    for rel, v in visited(visits).items():
        if not v["explorers"]:
            continue
        page = SITE / rel
        own = {urllib.parse.urljoin(rel, img["src"]) for img in v["images"]
               if img["src"] and not img["src"].startswith("data:")}
        size = page.stat().st_size + sum((SITE / p).stat().st_size for p in own
                                         if (SITE / p).is_file())
        lines.append(f"{rel}: {size / 1e6:.2f} MB, explorer first rendered after "
                     f"{v['first_render_s']:.1f} s")
        if size > MAX_PAGE_BYTES:
            problems.append(f"{rel}: {size / 1e6:.2f} MB with its images, more than "
                            f"{MAX_PAGE_BYTES / 1e6} MB")
    print("\n" + "\n".join(lines))
    _fail_if(problems, "explorer pages too heavy")
