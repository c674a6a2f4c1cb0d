// ssblab web: draw the Plotly figures the server embeds as JSON, and send dropped files and
// folders with the upload form (as plain base names: the server refuses path components).
(function () {
  "use strict";
  function draw(root) {
    root.querySelectorAll(".plot[data-figure]:not([data-drawn])").forEach(function (el) {
      var fig = JSON.parse(el.getAttribute("data-figure"));
      el.setAttribute("data-drawn", "1");
      Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });
    });
  }
  var extra = [];
  function remember(files) {
    for (var i = 0; i < files.length; i++) { extra.push(files[i]); }
    var zone = document.getElementById("drop-zone");
    if (zone) { zone.setAttribute("data-extra", String(extra.length)); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
    var folder = document.getElementById("folder-input");
    if (folder) { folder.addEventListener("change", function () { remember(folder.files); }); }
    var zone = document.getElementById("drop-zone");
    if (zone) {
      zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
      zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
      zone.addEventListener("drop", function (e) {
        e.preventDefault(); zone.classList.remove("over"); remember(e.dataTransfer.files);
      });
    }
  });
  document.addEventListener("htmx:configRequest", function (e) {
    if (e.detail.elt.id !== "upload-form" || !extra.length) { return; }
    extra.forEach(function (f) { e.detail.formData.append("files", f, f.name); });
    extra = [];
  });
  document.addEventListener("htmx:afterSettle", function (e) { draw(document); });
})();
