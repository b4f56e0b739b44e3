// Draws every <canvas data-chart="..."> with Chart.js; the table next to it stays the
// accessible, offline-proof source of the same numbers.
(function () {
  function draw() {
    if (!window.Chart) return;
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var spec = JSON.parse(canvas.dataset.chart);
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets },
        options: { responsive: true, maintainAspectRatio: false, animation: false,
                   plugins: { legend: { display: spec.datasets.length > 1 || spec.type === "doughnut" } } }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
