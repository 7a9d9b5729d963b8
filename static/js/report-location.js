// The leader's report: "Use my current location" fills the hidden latitude and
// longitude from the phone in one tap, and says plainly when the phone will not.
// The map (report-map.js), when there is one, listens for "report:position" and
// sends "report:pin" when the leader taps it or drags its pin.
(function () {
  "use strict";
  var form = document.querySelector("form[data-report]");
  if (!form) return;
  var latitude = form.querySelector("input[name=latitude]");
  var longitude = form.querySelector("input[name=longitude]");
  var locate = form.querySelector("[data-geolocate]");
  var clear = form.querySelector("[data-clear-position]");
  var status = form.querySelector("[data-position-status]");
  var text = form.dataset;

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  function keep(lat, lng, message, source) {
    latitude.value = Number(lat).toFixed(6);
    longitude.value = Number(lng).toFixed(6);
    clear.hidden = false;
    say(message, false);
    if (source !== "map") {
      form.dispatchEvent(
        new CustomEvent("report:position", { detail: { lat: Number(lat), lng: Number(lng) } })
      );
    }
  }

  locate.hidden = false;
  locate.addEventListener("click", function () {
    if (!("geolocation" in navigator) || !window.isSecureContext) {
      say(text.msgUnsupported, true);
      return;
    }
    locate.disabled = true;
    say(text.msgLocating, false);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        locate.disabled = false;
        keep(position.coords.latitude, position.coords.longitude, text.msgFound, "phone");
      },
      function (error) {
        locate.disabled = false;
        var messages = { 1: text.msgDenied, 2: text.msgUnavailable, 3: text.msgTimeout };
        say(messages[error.code] || text.msgUnavailable, true);
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  });

  clear.addEventListener("click", function () {
    latitude.value = "";
    longitude.value = "";
    clear.hidden = true;
    say(text.msgCleared, false);
    form.dispatchEvent(new CustomEvent("report:cleared"));
  });

  form.addEventListener("report:pin", function (event) {
    keep(event.detail.lat, event.detail.lng, text.msgPinned, "map");
  });
})();
