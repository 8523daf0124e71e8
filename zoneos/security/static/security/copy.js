// A button with data-copy="<input id>" copies that input's text (the new token's secret) and says so.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var input = document.getElementById(button.dataset.copy);
  input.select();
  var said = function () { button.textContent = button.dataset.copied; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(said);
  } else if (document.execCommand("copy")) {
    said();
  }
});
