"""Two fixes to the HTML that Sphinx 7.4 and docutils write, found by tests/test_site.py.

Loaded by `_config.yml` (`sphinx.local_extensions`); both run at `html-page-context`.

- Duplicate inline scripts. sphinx-thebe registers an inline script (no file name) after the
  HTML builder is initialised; Sphinx then adds it a second time when it re-reads the
  registry, because the first copy has the file name `None` and the second `''`. The page
  then declares `const THEBE_JS_URL` twice, a console error on every page.
- Bibliography roles. docutils marks the citation list `role="list"` and each entry
  `role="doc-biblioentry"`, a role that WAI-ARIA (DPUB-ARIA 1.1) deprecated; axe-core then
  finds a list without list items (`aria-required-children`, critical). Each entry becomes
  `role="listitem"`, which is what the deprecated role meant.
"""


def _dedupe_scripts(scripts):
    seen, unique = set(), []
    for js in scripts:
        attributes = getattr(js, "attributes", {}) or {}
        key = (getattr(js, "filename", None) or "",
               tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    scripts[:] = unique


def on_html_page_context(app, pagename, templatename, context, doctree):
    if isinstance(context.get("script_files"), list):
        _dedupe_scripts(context["script_files"])
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", on_html_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
