/* Progress of participant imports on the job queue (templates/penilaian/_impor.html): each unfinished
   row polls its JSON every two seconds and updates itself; a finished one shows the number imported or
   every bad row (the first 50). No library, no inline script. */
(function () {
  "use strict";
  function update(row, data) {
    var bar = row.querySelector(".progress-bar");
    bar.style.width = (data.total ? Math.round(100 * data.done / data.total) : 0) + "%";
    bar.setAttribute("aria-valuenow", data.done);
    row.querySelector(".impor-done").textContent = data.done;
    row.querySelector(".impor-status").textContent = data.status_label;
    var result = row.querySelector(".impor-hasil");
    result.textContent = data.hasil;
    result.className = "impor-hasil " + (data.status === "selesai" ? "text-success" : "text-danger");
    var list = row.querySelector(".impor-errors");
    list.textContent = "";
    data.errors.slice(0, 50).forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.teks;
      list.appendChild(li);
    });
    if (data.selesai) {
      row.setAttribute("data-selesai", "1");
      row.querySelector(".impor-muat").hidden = data.status !== "selesai";
    }
  }
  function poll(row) {
    if (row.getAttribute("data-selesai") === "1") { return; }
    fetch(row.getAttribute("data-progres"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data) { update(row, data); }
        if (!data || !data.selesai) { setTimeout(function () { poll(row); }, 2000); }
      })
      .catch(function () { setTimeout(function () { poll(row); }, 5000); });
  }
  document.querySelectorAll("tr.impor-job").forEach(poll);
})();
