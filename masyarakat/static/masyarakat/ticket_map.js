// The ticket's location on a map. The point is an SVG circle, so it shows even when the
// tile server cannot be reached (offline, or blocked): the map is then a plain grey field.
(function () {
  "use strict";
  var el = document.getElementById("mas-ticket-map");
  if (!el || !window.L) { return; }
  var at = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)];
  if (isNaN(at[0]) || isNaN(at[1])) { return; }
  var map = L.map(el, { scrollWheelZoom: false }).setView(at, 16);
  L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  }).addTo(map);
  L.circleMarker(at, { radius: 10, color: "#7a1f2b", weight: 3, fillColor: "#b02a37", fillOpacity: 0.85 }).addTo(map);
})();
