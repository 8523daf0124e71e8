// pipeline/board.html: moved out of its template so that the Content-Security-Policy can forbid inline scripts.
(function () {
  const board = document.querySelector(".zo-board");
  const message = document.getElementById("board-message");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  let dragged = null;
  function show(text, ok) {
    message.textContent = text;
    message.className = "alert " + (ok ? "alert-success" : "alert-danger");
  }
  board.addEventListener("dragstart", (e) => {
    dragged = e.target.closest(".zo-board-card");
    if (!dragged) return;
    e.dataTransfer.setData("text/plain", dragged.dataset.project);
    const moves = dragged.dataset.moves.split(",");
    board.querySelectorAll(".zo-board-column").forEach((c) => c.classList.toggle("zo-drop-ok", moves.includes(c.dataset.stage)));
  });
  board.addEventListener("dragend", () => board.querySelectorAll(".zo-board-column").forEach((c) => c.classList.remove("zo-drop-ok", "zo-drop-over")));
  board.addEventListener("dragover", (e) => {
    const column = e.target.closest(".zo-board-column");
    if (column && dragged) { e.preventDefault(); column.classList.add("zo-drop-over"); }
  });
  board.addEventListener("dragleave", (e) => {
    const column = e.target.closest(".zo-board-column");
    if (column && !column.contains(e.relatedTarget)) column.classList.remove("zo-drop-over");
  });
  board.addEventListener("drop", async (e) => {
    const column = e.target.closest(".zo-board-column");
    if (!column || !dragged) return;
    e.preventDefault();
    const card = dragged;
    dragged = null;
    if (column.dataset.stage === card.closest(".zo-board-column").dataset.stage) return;
    const body = new FormData();
    body.append("to", column.dataset.stage);
    const response = await fetch(card.dataset.moveUrl, {method: "POST", body, headers: {"X-CSRFToken": token, "Accept": "application/json"}});
    const data = await response.json();
    if (data.ok) {
      window.location.reload();  // the reloaded board shows the move's message
    } else {
      show(data.detail, false);
    }
  });
})();
