// The public map of reports. Markers are HTML (divIcon): the state as colour and shape,
// the category as an icon, as in the legend beside the map. Tiles are optional: without
// a network the markers still show on a plain field, with the legend and the count.
(function () {
  "use strict";
  var el = document.getElementById("mas-map");
  if (!el || !window.L) { return; }
  var map = L.map(el).setView([3.6, 98.485], 13);
  L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  }).addTo(map);
  var count = document.getElementById("mas-map-count");
  function safe(v) { return String(v || "").replace(/[^a-z0-9-]/g, ""); }
  function icon(p) {
    var html = '<span class="mas-pin mas-pin-' + safe(p.state) + '"><span class="mas-pin-shape"></span>' +
      '<i class="bi bi-' + safe(p.icon) + '"></i></span>';
    return L.divIcon({ className: "mas-marker", html: html, iconSize: [30, 30], iconAnchor: [15, 15] });
  }
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
        L.marker([p.lat, p.lng], { icon: icon(p), title: p.title + " (" + p.category + ", " + p.status + ")",
                                   alt: p.category + ", " + p.status })
          .addTo(map).bindPopup(box);
        bounds.push([p.lat, p.lng]);
      });
      if (count) {
        count.textContent = data.points.length
          ? el.dataset.count.replace("__n__", String(data.points.length)) : el.dataset.empty;
      }
      if (bounds.length) { map.fitBounds(bounds, {maxZoom: 16, padding: [20, 20]}); }
    });
})();
