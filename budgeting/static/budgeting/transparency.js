// The public budget charts. Data comes from json_script, labels from this script tag's
// data- attributes: the Content-Security-Policy allows no inline script.
// On a phone long names are shortened on the axes (the tables below give them in full)
// and amounts on the axes are compact ("1 M"), so no label is cut off.
(function () {
  const labels = document.currentScript.dataset;
  const data = JSON.parse(document.getElementById("bud-chart-data").textContent);
  const lang = document.documentElement.lang || "id";
  const narrow = window.matchMedia("(max-width: 575.98px)").matches;
  const room = narrow ? 16 : 34;
  const compact = new Intl.NumberFormat(lang, {notation: "compact", maximumFractionDigits: 1});
  const full = new Intl.NumberFormat(lang, {maximumFractionDigits: 0});
  const cut = (text) => (text.length > room ? text.slice(0, room - 1) + "…" : text);
  function nameTick(value) { return cut(String(this.getLabelForValue(value))); }
  const moneyTick = (value) => compact.format(value);
  const tooltip = {callbacks: {label: (ctx) => `${ctx.dataset.label || ctx.label}: Rp ${full.format(ctx.parsed.x ?? ctx.parsed.y ?? ctx.parsed)}`}};
  const opts = {responsive: true, maintainAspectRatio: false, animation: false};
  new Chart(document.getElementById("chart-urusan"), {type: "doughnut",
    data: {labels: data.urusan.labels, datasets: [{data: data.urusan.values}]},
    options: {...opts, plugins: {legend: {position: "bottom", labels: {boxWidth: 12, generateLabels: (chart) => Chart.overrides.doughnut.plugins.legend.labels.generateLabels(chart).map((l) => ({...l, text: cut(l.text)}))}},
      tooltip: {callbacks: {label: (ctx) => `${cut(ctx.label)}: Rp ${full.format(ctx.parsed)}`}}}}});
  new Chart(document.getElementById("chart-agency"), {type: "bar", data: {labels: data.agency.labels, datasets: [
    {label: labels.budget, data: data.agency.total},
    {label: labels.spent, data: data.agency.spent}]},
    options: {...opts, indexAxis: "y", plugins: {tooltip},
      scales: {y: {ticks: {callback: nameTick, autoSkip: false}}, x: {ticks: {callback: moneyTick, maxTicksLimit: narrow ? 4 : 8}}}}});
  new Chart(document.getElementById("chart-group"), {type: "bar", data: {labels: data.group.labels, datasets: [{label: labels.budget, data: data.group.values}]},
    options: {...opts, plugins: {tooltip},
      scales: {x: {ticks: {callback: nameTick, autoSkip: false, maxRotation: 45}}, y: {ticks: {callback: moneyTick, maxTicksLimit: 5}}}}});
})();
