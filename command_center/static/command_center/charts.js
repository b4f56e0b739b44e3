// Draws every <canvas data-chart="..."> with Chart.js; the table next to it stays the
// accessible, offline-proof source of the same numbers. A bar chart with many or long
// labels is drawn sideways, so its labels are read whole instead of clipped at an angle.
(function () {
  function numberFormat() {
    var lang = document.documentElement.lang || "id";
    var fmt = new Intl.NumberFormat(lang === "en" ? "en-US" : "id-ID", { maximumFractionDigits: 2 });
    return function (v) { return typeof v === "number" ? fmt.format(v) : v; };
  }
  // A long category label on lines of at most `width` characters (Chart.js draws an
  // array as lines): beside sideways bars it is read whole, not cut at the canvas edge.
  function wrap(label, width) {
    var lines = [], line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines.length > 1 ? lines : lines[0] || "";
  }
  function draw() {
    if (!window.Chart) return;
    var fmt = numberFormat();
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) return;
      var spec = JSON.parse(canvas.dataset.chart);
      canvas.dataset.drawn = "1";
      var longest = spec.labels.reduce(function (n, l) { return Math.max(n, String(l).length); }, 0);
      var sideways = spec.type === "bar" && (spec.labels.length > 6 || longest > 14);
      if (sideways && canvas.parentElement) {
        canvas.parentElement.classList.add("cc-chart-sideways");
        canvas.parentElement.style.setProperty("--cc-bars", String(spec.labels.length));
      }
      var valueAxis = { ticks: { callback: function (v) { return fmt(v); }, precision: 0 }, beginAtZero: true };
      var categoryAxis = { ticks: { autoSkip: false, callback: function (v) { return wrap(this.getLabelForValue(v), 28); } } };
      var scales = spec.type === "doughnut" ? {} : (sideways ? { x: valueAxis, y: categoryAxis } : { y: valueAxis });
      new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets },
        options: { responsive: true, maintainAspectRatio: false, animation: false,
                   indexAxis: sideways ? "y" : "x", scales: scales,
                   plugins: { legend: { display: spec.datasets.length > 1 || spec.type === "doughnut" },
                              tooltip: { callbacks: { label: function (c) {
                                return (c.dataset.label ? c.dataset.label + ": " : "") + fmt(c.parsed[sideways ? "x" : "y"] !== undefined ? c.parsed[sideways ? "x" : "y"] : c.parsed);
                              } } } } }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
