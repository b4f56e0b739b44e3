(function () {
  "use strict";
  var el = document.getElementById("mas-pick");
  if (!el || !window.L) { return; }
  var lat = document.getElementById("id_lat"), lng = document.getElementById("id_lng");
  var out = document.getElementById("mas-pick-value");
  var map = L.map(el).setView([3.6, 98.485], 13);
  L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19, attribution: "&copy; OpenStreetMap"
  }).addTo(map);
  var marker = null;
  function put(latlng) {
    lat.value = latlng.lat.toFixed(6); lng.value = latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    out.textContent = lat.value + ", " + lng.value;
  }
  if (lat.value && lng.value) { put(L.latLng(+lat.value, +lng.value)); }
  map.on("click", function (e) { put(e.latlng); });
  var here = document.getElementById("mas-pick-here");
  if (here && navigator.geolocation) {
    here.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        var ll = L.latLng(pos.coords.latitude, pos.coords.longitude);
        put(ll); map.setView(ll, 17);
      });
    });
  }
  var clear = document.getElementById("mas-pick-clear");
  clear.addEventListener("click", function () {
    lat.value = ""; lng.value = ""; out.textContent = out.dataset.empty;
    if (marker) { map.removeLayer(marker); marker = null; }
  });
})();
