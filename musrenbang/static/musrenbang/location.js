// The proposal's location: a map picker on the proposal form and a small map on the
// proposal's page. Both work without map tiles (offline or blocked): the map keeps a
// plain background with the city's outline box, a click still places the point, and the
// latitude/longitude boxes stay the source of truth (and the fallback without
// JavaScript or Leaflet).
(function () {
  "use strict";
  var TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

  function baseMap(el, lat, lng, zoom) {
    var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lng], zoom);
    var tiles = L.tileLayer(TILES, { maxZoom: 19, attribution: "&copy; OpenStreetMap" });
    tiles.on("tileerror", function () { el.classList.add("mus-map-offline"); });
    tiles.addTo(map);
    if (!navigator.onLine) { el.classList.add("mus-map-offline"); }
    return map;
  }

  function pointStyle() {
    return { radius: 9, color: "#0b5345", weight: 3, fillColor: "#17a589", fillOpacity: 0.9 };
  }

  // --- the picker on the form ---------------------------------------------------------
  var picker = document.getElementById("mus-picker");
  var latInput = document.getElementById("id_latitude");
  var lngInput = document.getElementById("id_longitude");
  if (picker && latInput && lngInput) {
    if (typeof L === "undefined") { picker.hidden = true; }
    else { setUpPicker(); }
  }

  function setUpPicker() {
    picker.hidden = false;
    var el = document.getElementById("mus-picker-map");
    var status = document.getElementById("mus-picker-status");
    var centre = [parseFloat(picker.dataset.lat), parseFloat(picker.dataset.lng)];
    var bbox = JSON.parse(picker.dataset.bounds || "null");
    var map = baseMap(el, centre[0], centre[1], 13);
    if (bbox) {
      // A reference frame that needs no tiles: the city's bounding box.
      L.rectangle(bbox, { color: "#6c757d", weight: 1, fill: false, dashArray: "4 4",
                          interactive: false }).addTo(map);
    }
    var marker = null;

    function say(text) { status.textContent = text; }

    function show(lat, lng, pan) {
      if (marker) { marker.setLatLng([lat, lng]); }
      else { marker = L.circleMarker([lat, lng], pointStyle()).addTo(map); }
      if (pan) { map.setView([lat, lng], Math.max(map.getZoom(), 16)); }
    }

    function put(lat, lng, pan) {
      latInput.value = lat.toFixed(6);
      lngInput.value = lng.toFixed(6);
      show(lat, lng, pan);
      say(picker.dataset.msgSet.replace("{point}", latInput.value + ", " + lngInput.value));
    }

    function fromInputs(pan) {
      var lat = parseFloat(latInput.value.replace(",", "."));
      var lng = parseFloat(lngInput.value.replace(",", "."));
      if (isFinite(lat) && isFinite(lng)) { show(lat, lng, pan); return true; }
      return false;
    }

    map.on("click", function (e) { put(e.latlng.lat, e.latlng.lng, false); });
    latInput.addEventListener("change", function () { fromInputs(true); });
    lngInput.addEventListener("change", function () { fromInputs(true); });
    if (!fromInputs(true) && bbox) { map.fitBounds(bbox); }

    var here = document.getElementById("mus-picker-here");
    if (!("geolocation" in navigator)) { here.hidden = true; }
    here.addEventListener("click", function () {
      say(picker.dataset.msgWait);
      navigator.geolocation.getCurrentPosition(
        function (pos) { put(pos.coords.latitude, pos.coords.longitude, true); },
        function () { say(picker.dataset.msgFail); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
    document.getElementById("mus-picker-clear").addEventListener("click", function () {
      latInput.value = "";
      lngInput.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      say(picker.dataset.msgCleared);
    });
  }

  // --- the map on the proposal's page -------------------------------------------------
  var spot = document.getElementById("mus-detail-map");
  if (spot) {
    if (typeof L === "undefined") { spot.hidden = true; return; }
    var lat = parseFloat(spot.dataset.lat), lng = parseFloat(spot.dataset.lng);
    var map = baseMap(spot, lat, lng, 16);
    L.circleMarker([lat, lng], pointStyle()).addTo(map);
  }
})();
