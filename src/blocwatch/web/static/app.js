// blocwatch: progressive enhancement only. Every page works without this file.
// Search suggestions: as you type in the home page's search box, matching
// entities appear as links; Arrow Down moves into them, Escape returns.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.getAttribute("aria-controls"));
  var status = document.getElementById("suggestions-status");
  var timer = null;
  var asked = "";

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  function show(results) {
    list.textContent = "";
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = input.getAttribute("data-entity-url").replace("ENTITY_ID", encodeURIComponent(r.id));
      a.textContent = r.name;
      var small = document.createElement("small");
      small.textContent = r.kind + (r.alias !== r.name ? " · " + r.alias : "");
      a.appendChild(small);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
    status.textContent = results.length ? results.length + " suggestion(s); press Arrow Down to choose" : "";
  }

  function ask() {
    var q = input.value.trim();
    if (q === asked) return;
    asked = q;
    if (q.length < 2) { show([]); return; }
    var url = input.getAttribute("data-suggest") + "?limit=8&q=" + encodeURIComponent(q);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (results) { if (input.value.trim() === q) show(results); })
      .catch(function () { show([]); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && !list.hidden) { e.preventDefault(); links()[0].focus(); }
  });
  list.addEventListener("keydown", function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < all.length - 1) { e.preventDefault(); all[i + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
    else if (e.key === "Escape") { e.preventDefault(); input.focus(); }
  });
})();
