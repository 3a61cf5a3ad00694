// The search box of every page: suggestions from /lookup (JSON) as one types; Enter
// without choosing one opens the /lookup page (the form works without JavaScript too).
(function () {
  "use strict";
  var input = document.getElementById("site-search");
  var list = document.getElementById("site-search-suggestions");
  if (!input || !list) return;
  var timer = null;
  var asked = "";

  function clear() {
    while (list.firstChild) list.removeChild(list.firstChild);
    list.hidden = true;
  }

  function show(results) {
    clear();
    results.forEach(function (hit) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      var a = document.createElement("a");
      a.href = hit.url;
      a.textContent = hit.label;
      var small = document.createElement("small");
      small.textContent = " — " + hit.types.map(function (t) { return t.label; }).join(", ");
      a.appendChild(small);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
  }

  function ask() {
    var q = input.value.trim();
    if (q === asked) return;
    asked = q;
    if (!q) { clear(); return; }
    fetch("/lookup?format=json&limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (body) { if (input.value.trim() === q) show(body.results); })
      .catch(function () { clear(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && !list.hidden) {
      e.preventDefault();
      list.querySelector("a").focus();
    } else if (e.key === "Escape") {
      clear();
    }
  });
  list.addEventListener("keydown", function (e) {
    var current = document.activeElement && document.activeElement.closest("li");
    if (!current) return;
    if (e.key === "ArrowDown" && current.nextElementSibling) {
      e.preventDefault();
      current.nextElementSibling.querySelector("a").focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      (current.previousElementSibling ? current.previousElementSibling.querySelector("a") : input).focus();
    } else if (e.key === "Escape") {
      clear();
      input.focus();
    }
  });
  document.addEventListener("click", function (e) {
    if (!e.target.closest || !e.target.closest("form.site-search")) clear();
  });
})();
