// The queue screen polls its JSON every 1.5 s (a call shows within 2 s) and redraws numbers only.
(function () {
  var main = document.getElementById("display");
  if (!main) { return; }
  var url = main.dataset.url;
  var empty = main.dataset.empty;
  var word = document.querySelector(".hint").dataset.counterWord;
  var last = "";

  function text(el, value) { if (el.textContent !== value) { el.textContent = value; return true; } return false; }

  function draw(data) {
    text(document.getElementById("display-clock"), data.at.slice(11, 16));
    var body = document.querySelector("#display-counters tbody");
    data.counters.forEach(function (c) {
      var row = body.querySelector('tr[data-counter="' + c.number + '"]');
      if (!row) {
        row = document.createElement("tr");
        row.dataset.counter = c.number;
        row.innerHTML = "<td></td><td class=\"serving\"></td><td class=\"waiting\"></td>";
        row.children[0].textContent = c.number;
        body.appendChild(row);
      }
      if (text(row.querySelector(".serving"), c.serving || empty)) {
        row.classList.remove("flash"); void row.offsetWidth; row.classList.add("flash");
      }
      text(row.querySelector(".waiting"), String(c.waiting));
    });
    var key = JSON.stringify(data.recent);
    if (key !== last) {
      last = key;
      var list = document.getElementById("display-recent");
      list.replaceChildren.apply(list, data.recent.map(function (r) {
        var li = document.createElement("li");
        li.textContent = r.ticket + " → " + word + " " + r.counter;
        return li;
      }));
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 1500); });
  }
  setTimeout(poll, 1500);
})();
