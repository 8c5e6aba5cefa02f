/* Penkom: relation filters of a list's search form load their options when opened (app/search_choices.py). */
(function ($) {
  "use strict";

  function lazySelect(el) {
    var $el = $(el);
    if ($el.data("select2")) { return; }
    $el.select2({
      theme: "bootstrap",
      allowClear: true,
      placeholder: $el.data("placeholder") || "",
      ajax: {
        url: $el.data("url"),
        dataType: "json",
        delay: 200,
        data: function (params) { return { q: params.term || "" }; }
      }
    });
  }

  function scan(root) {
    $(root).find("select.penkom-lazy-select").addBack("select.penkom-lazy-select").each(function () {
      lazySelect(this);
    });
  }

  // Active filters are drawn before this script runs; filters added later arrive as new nodes.
  scan(document);
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType === 1) { scan(node); }
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
})(jQuery);
