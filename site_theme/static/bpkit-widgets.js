// Loaded between require.js and the ipywidgets HTML manager (nb_ipywidgets_js in _config.yml),
// only on pages that carry a widget snapshot. Three fixes, each found by tests/test_site.py.
(function () {
  // 1. The manager's icon fonts. It computes its own URL from the AMD module id
  // "@jupyter-widgets/html-manager/dist/...", which require.js resolves against the page's
  // folder, where nothing is served. Map that id to the folder that holds embed-amd.js.
  var here = document.currentScript.src;
  window.requirejs.config({
    paths: {'@jupyter-widgets/html-manager/dist': new URL('offline/html-manager', here).href}
  });

  // 2. ipywidgets typesets descriptions and HTMLMath values with the MathJax 2 call
  // MathJax.Hub.Queue(['Typeset', MathJax.Hub, element]); the book loads MathJax 3, whose
  // inline delimiters are \( \) only. Translate that one call, and the $ and $$ that
  // ipywidgets uses around math, inside the element it names (nowhere else on the page).
  function dollarsToTeX(element) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT), node;
    while ((node = walker.nextNode())) {
      if (node.parentElement.closest('pre, code, mjx-container')) continue;
      node.textContent = node.textContent
        .replace(/\$\$([^$]+)\$\$/g, '\\[$1\\]')
        .replace(/\$([^$]+)\$/g, '\\($1\\)');
    }
  }
  window.addEventListener('load', function () {
    var mj = window.MathJax;
    if (!mj || mj.Hub || !mj.typesetPromise) return;
    mj.Hub = {
      Queue: function () {
        Array.prototype.forEach.call(arguments, function (cmd) {
          if (!Array.isArray(cmd) || cmd[0] !== 'Typeset' || !cmd[2]) return;
          mj.startup.promise.then(function () {
            dollarsToTeX(cmd[2]);
            return mj.typesetPromise([cmd[2]]);
          });
        });
      }
    };
  });

  // 3. A slider's handle (role="slider") has no accessible name: give it the widget's
  // description, or failing that say what it is.
  function nameHandles() {
    document.querySelectorAll('.noUi-handle:not([aria-label]):not([aria-labelledby])')
      .forEach(function (handle) {
        var widget = handle.closest('.jupyter-widgets');
        var label = widget && widget.querySelector('.widget-label');
        var text = label && label.textContent.trim();
        handle.setAttribute('aria-label', text || 'slider');
      });
  }
  new MutationObserver(nameHandles)
    .observe(document.documentElement, {childList: true, subtree: true});
})();
