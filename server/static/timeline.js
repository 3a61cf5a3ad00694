// Timeline enhancement: filter the server-rendered events by words as you type.
(function () {
  "use strict";
  var input = document.getElementById("timeline-search");
  if (!input) {
    return;
  }
  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  var events = Array.prototype.slice.call(document.querySelectorAll("li.event"));
  var count = document.getElementById("timeline-count");
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    events.forEach(function (li) {
      var text = li.textContent.toLowerCase();
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      li.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " events";
  });
})();
