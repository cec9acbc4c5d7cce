// Progressive enhancement: reload the page when the served matrix changes (the server bumps
// its generation on every reload). Without JavaScript the page is complete; it just goes stale.
(function () {
  "use strict";
  var shown = document.documentElement.getAttribute("data-generation");
  if (!shown || !window.fetch) return;
  function check() {
    fetch("/healthz", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (health) {
        if (String(health.generation) !== shown) window.location.reload();
      })
      .catch(function () {});
  }
  setInterval(check, 2000);
})();
