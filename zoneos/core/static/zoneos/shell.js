// The shell's behaviour, kept out of the pages so that the Content-Security-Policy can forbid inline
// scripts (docs/security.md).
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
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showActive);
  else showActive();
})();
