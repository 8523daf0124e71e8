// An export link (<a data-export-form="FORM-ID">) carries the filters as they are typed: the list
// refreshes as the user types (htmx), so the link the page was rendered with is out of date. Each
// field of the form replaces its parameter in the link; the link's own parameters (the file type, an
// area) stay.
(function () {
  function sync(form) {
    if (!form || !form.id) return;
    var links = document.querySelectorAll('a[data-export-form="' + form.id + '"]');
    if (!links.length) return;
    var data = new FormData(form);
    links.forEach(function (link) {
      var url = new URL(link.getAttribute("href"), window.location.href);
      var params = url.searchParams;
      Array.from(form.elements).forEach(function (field) {
        if (field.name) params.delete(field.name);
      });
      params.delete("page");
      data.forEach(function (value, name) {
        if (value !== "" && typeof value === "string") params.append(name, value);
      });
      link.setAttribute("href", url.pathname + "?" + params.toString());
    });
  }
  function fromEvent(event) {
    var field = event.target;
    if (field && field.form) sync(field.form);
  }
  document.addEventListener("input", fromEvent);
  document.addEventListener("change", fromEvent);
  // A click reads the form once more (a value set by script, a reset), before the browser follows it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-export-form]");
    if (link) sync(document.getElementById(link.getAttribute("data-export-form")));
  });
})();
