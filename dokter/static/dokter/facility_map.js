// The facility's location on a Leaflet map (vendored, static/vendor/leaflet). The tile
// layer is optional: offline, or with the tile host unreachable, the marker still shows
// on a plain background with a note, and the OpenStreetMap link below the map remains.
(function () {
  var el = document.getElementById("dk-map"), data = document.getElementById("dk-map-point");
  if (!el || !data || !window.L) return;
  var p = JSON.parse(data.textContent);
  var map = L.map(el, { scrollWheelZoom: false }).setView([p.lat, p.lng], 16);
  var tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  });
  tiles.on("tileerror", function () { el.classList.add("dk-map-offline"); });
  tiles.addTo(map);
  L.circleMarker([p.lat, p.lng], { radius: 10, color: "#0d6efd", weight: 3, fillOpacity: 0.6 })
    .addTo(map).bindTooltip(p.name, { permanent: true, direction: "top", offset: [0, -10] });
  if (!navigator.onLine) el.classList.add("dk-map-offline");
})();
