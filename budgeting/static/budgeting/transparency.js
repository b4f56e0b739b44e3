// The public budget charts. Data comes from json_script, labels from this script tag's
// data- attributes: the Content-Security-Policy allows no inline script.
(function () {
  const labels = document.currentScript.dataset;
  const data = JSON.parse(document.getElementById("bud-chart-data").textContent);
  const opts = {responsive: true, maintainAspectRatio: false, animation: false};
  new Chart(document.getElementById("chart-urusan"), {type: "doughnut", data: {labels: data.urusan.labels, datasets: [{data: data.urusan.values}]}, options: opts});
  new Chart(document.getElementById("chart-agency"), {type: "bar", data: {labels: data.agency.labels, datasets: [
    {label: labels.budget, data: data.agency.total},
    {label: labels.spent, data: data.agency.spent}]}, options: {...opts, indexAxis: "y"}});
  new Chart(document.getElementById("chart-group"), {type: "bar", data: {labels: data.group.labels, datasets: [{label: labels.budget, data: data.group.values}]}, options: opts});
})();
