// Proposal markers on a Leaflet map. The tile layer is optional: without tiles (offline,
// blocked) the markers stay on the plain background and the list below stays usable.
(function () {
  var el = document.getElementById("mus-map");
  var data = document.getElementById("mus-points");
  if (!el || !data || typeof L === "undefined") { if (el) { el.hidden = true; } return; }
  var points = JSON.parse(data.textContent);
  var map = L.map(el, { scrollWheelZoom: false }).setView([3.6, 98.485], 13);
  var tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  });
  tiles.on("tileerror", function () { el.classList.add("mus-map-offline"); });
  tiles.addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var m = L.circleMarker([p.lat, p.lng], { radius: 8, color: "#0b5345", fillOpacity: 0.8 });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.ref + " — " + p.title;
    var box = document.createElement("div");
    box.appendChild(link);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(p.status));
    m.bindPopup(box);
    m.addTo(map);
    bounds.push([p.lat, p.lng]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); }
})();
