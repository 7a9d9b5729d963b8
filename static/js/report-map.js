// The map of the leader's report (only when a tile server is set): a tap on the
// map or a dragged pin gives the position; a position from the phone moves the pin.
(function () {
  "use strict";
  var element = document.getElementById("report-map");
  var form = document.querySelector("form[data-report]");
  if (!element || !form || !window.L) return;
  var data = element.dataset;
  var latitude = form.querySelector("input[name=latitude]");
  var longitude = form.querySelector("input[name=longitude]");
  var icon = L.icon({
    iconUrl: data.icon,
    iconRetinaUrl: data.icon2x,
    shadowUrl: data.shadow,
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    shadowSize: [41, 41],
  });
  var saved = latitude.value && longitude.value;
  var start = saved
    ? [Number(latitude.value), Number(longitude.value)]
    : [Number(data.centerLat), Number(data.centerLng)];
  var map = L.map(element, { scrollWheelZoom: false }).setView(start, Number(data.zoom) || 14);
  L.tileLayer(data.tileUrl, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
  var pin = null;

  function place(latlng) {
    if (pin) {
      pin.setLatLng(latlng);
      return;
    }
    pin = L.marker(latlng, { draggable: true, icon: icon, keyboard: true }).addTo(map);
    pin.on("dragend", function () {
      tell(pin.getLatLng());
    });
  }

  function tell(latlng) {
    form.dispatchEvent(new CustomEvent("report:pin", { detail: { lat: latlng.lat, lng: latlng.lng } }));
  }

  if (saved) place(start);
  map.on("click", function (event) {
    place(event.latlng);
    tell(event.latlng);
  });
  form.addEventListener("report:position", function (event) {
    var latlng = [event.detail.lat, event.detail.lng];
    place(latlng);
    map.setView(latlng, Math.max(map.getZoom(), 17));
  });
  form.addEventListener("report:cleared", function () {
    if (pin) {
      map.removeLayer(pin);
      pin = null;
    }
  });
})();
