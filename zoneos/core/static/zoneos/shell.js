// The shell's behaviour, kept out of the pages so that the Content-Security-Policy can forbid inline
// scripts (docs/security.md): the menu drawer on phones, the header's search, autosubmitting filters.
(function () {
  // A sidebar longer than the window keeps the current module in sight.
  function showActive() {
    var active = document.querySelector(".zo-sidebar .zo-nav-link.active");
    if (active) active.scrollIntoView({block: "nearest"});
  }
  // <select data-autosubmit>, <input data-autosubmit>: a filter that applies as soon as it changes.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) field.form.submit();
  });

  // The menu drawer (below 900 px the sidebar slides in over the page).
  function setNav(open) {
    var toggle = document.querySelector(".zo-menu-toggle");
    var backdrop = document.querySelector(".zo-backdrop");
    document.body.classList.toggle("zo-nav-open", open);
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (backdrop) backdrop.hidden = !open;
    if (open) {
      var first = document.querySelector(".zo-sidebar .zo-nav-link.active, .zo-sidebar .zo-nav-link");
      if (first) first.focus({preventScroll: true});
    }
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.closest(".zo-menu-toggle")) setNav(!document.body.classList.contains("zo-nav-open"));
    else if (target.closest("[data-zo-close-nav]")) setNav(false);
    // A click outside the search closes its results.
    if (!target.closest(".zo-search")) closeResults();
  });

  // The header's search: results as you type (htmx), arrows to move, Enter to open, Esc to close,
  // "/" anywhere (outside a field) to start typing.
  function results() { return document.getElementById("zo-search-results"); }
  function items() {
    var box = results();
    return box ? Array.prototype.slice.call(box.querySelectorAll(".zo-search-item")) : [];
  }
  function closeResults() {
    var box = results();
    var input = document.getElementById("zo-search-input");
    if (box) box.innerHTML = "";
    if (input) { input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); }
  }
  function move(step) {
    var list = items();
    if (!list.length) return;
    var current = list.findIndex(function (a) { return a.classList.contains("active"); });
    var next = current < 0 ? (step > 0 ? 0 : list.length - 1) : (current + step + list.length) % list.length;
    list.forEach(function (a, i) {
      a.classList.toggle("active", i === next);
      a.setAttribute("aria-selected", i === next ? "true" : "false");
      a.id = "zo-search-item-" + i;
    });
    list[next].scrollIntoView({block: "nearest"});
    document.getElementById("zo-search-input").setAttribute("aria-activedescendant", list[next].id);
  }
  document.addEventListener("keydown", function (event) {
    var input = document.getElementById("zo-search-input");
    if (!input) return;
    if (event.target === input) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Enter") {
        var chosen = items().filter(function (a) { return a.classList.contains("active"); })[0];
        if (chosen) { event.preventDefault(); window.location.href = chosen.href; }
      } else if (event.key === "Escape") {
        event.preventDefault();
        if (items().length || results().textContent.trim()) closeResults();
        else { input.value = ""; input.blur(); }
      }
      return;
    }
    if (event.key === "Escape" && document.body.classList.contains("zo-nav-open")) { setNav(false); return; }
    var typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "zo-search-results") {
      var input = document.getElementById("zo-search-input");
      if (input) input.setAttribute("aria-expanded", items().length ? "true" : "false");
    }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showActive);
  else showActive();
})();
