// The dashboards' charts, drawn from the JSON the page carries (json_script: CSP allows no inline script).
// Progressive enhancement: without JavaScript every chart's table is shown; with it the chart is shown and a
// button switches to the table of the same numbers and back.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }
  var COLOURS = ["#0b5394", "#38761d", "#b45f06", "#990000", "#674ea7", "#45818e"];

  document.querySelectorAll("[data-chart]").forEach(function (figure) {
    var source = document.getElementById(figure.getAttribute("data-chart"));
    var canvas = figure.querySelector("canvas");
    var table = figure.querySelector(".chart-table");
    var toggle = figure.querySelector(".chart-toggle");
    if (!source || !canvas || !table || !toggle) { return; }
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (set, index) {
      var colour = COLOURS[index % COLOURS.length];
      return {
        label: set.label, data: set.data, type: set.type || spec.type || "bar",
        backgroundColor: colour, borderColor: colour, yAxisID: set.axis || "y", tension: 0.2,
      };
    });
    var scales = { y: { beginAtZero: true, position: "left", ticks: { precision: 0 } } };
    if (spec.datasets.some(function (set) { return set.axis === "share"; })) {
      scales.share = { beginAtZero: true, max: 100, position: "right", grid: { drawOnChartArea: false },
                       ticks: { callback: function (v) { return v + "%"; } } };
    }
    figure.chart = new window.Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: scales },
    });
    figure.classList.add("chart-drawn");
    var wrap = canvas.parentElement;
    function show(tableShown) {
      table.hidden = !tableShown;
      wrap.hidden = tableShown;
      toggle.setAttribute("aria-pressed", tableShown ? "true" : "false");
      toggle.textContent = tableShown ? toggle.getAttribute("data-label-chart") : toggle.getAttribute("data-label-table");
    }
    toggle.hidden = false;
    wrap.hidden = false;
    show(false);
    toggle.addEventListener("click", function () { show(table.hidden); });
  });
})();
