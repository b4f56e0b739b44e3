(function () {
  "use strict";
  var el = document.getElementById("mas-map");
  if (!el || !window.L) { return; }
  var map = L.map(el).setView([3.6, 98.485], 13);
  L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  }).addTo(map);
  fetch(el.dataset.src, {credentials: "same-origin"}).then(function (r) { return r.json(); })
    .then(function (data) {
      var bounds = [];
      data.points.forEach(function (p) {
        var a = document.createElement("a");
        a.href = "/masyarakat/tiket/" + encodeURIComponent(p.number) + "/";
        a.textContent = p.title;
        var box = document.createElement("div");
        box.appendChild(a);
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(p.number + " · " + p.category + " · " + p.status));
        L.marker([p.lat, p.lng]).addTo(map).bindPopup(box);
        bounds.push([p.lat, p.lng]);
      });
      if (bounds.length) { map.fitBounds(bounds, {maxZoom: 16, padding: [20, 20]}); }
    });
})();
