// Catalogue pages, progressive enhancement only (the pages work without JavaScript).
(function () {
  // Print buttons.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // Due times are rendered in Vietnam time; a visitor in another time zone also sees their own.
  document.querySelectorAll("time[data-local-time]").forEach(function (el) {
    var moment = new Date(el.getAttribute("datetime"));
    if (isNaN(moment.getTime()) || moment.getTimezoneOffset() === -420) { return; }
    var text = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      hour: "2-digit", minute: "2-digit", weekday: "long", day: "2-digit", month: "2-digit", year: "numeric"
    }).format(moment);
    var span = document.createElement("span");
    span.className = "d-block small text-muted";
    span.textContent = "(" + el.getAttribute("data-local-label") + ": " + text + ")";
    el.parentNode.appendChild(span);
  });
})();
