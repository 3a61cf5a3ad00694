// The network view: officials, states and meetings drawn with cytoscape from /network.json.
// The page lists the same data as links, so this only adds the picture.
(function () {
  "use strict";
  var box = document.getElementById("network");
  if (!box || typeof cytoscape === "undefined") {
    return;
  }
  fetch(box.dataset.src, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var cy = cytoscape({
        container: box,
        elements: data.nodes.concat(data.edges),
        layout: { name: "cose", animate: false, nodeRepulsion: 9000, padding: 40 },
        maxZoom: 1.4,
        minZoom: 0.2,
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, width: 18, height: 18, "background-color": "#7a7a7a" } },
          { selector: "node[kind = 'person']", style: { "background-color": "#1f6fb2" } },
          { selector: "node[kind = 'state']", style: { "background-color": "#b23a1f", shape: "round-rectangle", width: 26, height: 18 } },
          // meeting labels are long: shown on hover or selection only
          { selector: "node[kind = 'meeting']", style: { "background-color": "#2e8540", shape: "diamond", "font-size": 9, "text-opacity": 0 } },
          { selector: "node.hover, node:selected", style: { "text-opacity": 1, "z-index": 10, "text-background-color": "#fff", "text-background-opacity": 0.85 } },
          { selector: "edge", style: { width: 1.2, "line-color": "#b8b8b8", "curve-style": "bezier" } },
        ],
      });
      cy.on("mouseover", "node", function (event) { event.target.addClass("hover"); });
      cy.on("mouseout", "node", function (event) { event.target.removeClass("hover"); });
      cy.on("tap", "node", function (event) {
        var href = event.target.data("href");
        if (href) {
          window.location.href = href;
        }
      });
      box.dataset.ready = "true";
    });
})();
