/* Progress bars of report batches (templates/laporan/panel.html): each unfinished row polls its JSON
   every two seconds and updates itself; a finished row shows its files. No library, no inline script. */
(function () {
  "use strict";
  function update(row, data) {
    var bar = row.querySelector(".progress-bar");
    var pct = data.total ? Math.round(100 * data.done / data.total) : 0;
    bar.style.width = pct + "%";
    bar.setAttribute("aria-valuenow", data.done);
    row.querySelector(".laporan-done").textContent = data.done;
    row.querySelector(".laporan-status").textContent = data.status_label;
    row.querySelector(".laporan-current").textContent = data.current ? "· " + data.current : "";
    var list = row.querySelector(".laporan-errors");
    list.textContent = "";
    data.errors.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.nama + ": " + e.pesan;
      list.appendChild(li);
    });
    if (data.status === "selesai") {
      row.querySelector(".laporan-files").hidden = false;
      row.setAttribute("data-selesai", "1");
    }
  }
  function poll(row) {
    if (row.getAttribute("data-selesai") === "1") { return; }
    fetch(row.getAttribute("data-progres"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data) { update(row, data); }
        if (!data || data.status !== "selesai") { setTimeout(function () { poll(row); }, 2000); }
      })
      .catch(function () { setTimeout(function () { poll(row); }, 5000); });
  }
  document.querySelectorAll("tr.laporan-job").forEach(poll);
})();
