// The SPARQL editor: YASGUI pointed at this server's /sparql, with the project's prefixes
// and the canned queries as examples. Nothing is fetched from other hosts: the endpoint
// catalogue lists only the local endpoint and the autocompleters that call remote
// vocabulary services are switched off.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("editor-config").textContent);
  // the server sends a path; the page's own origin makes it absolute (no Host reflected)
  config.endpoint = new URL(config.endpoint, window.location.href).href;
  if (typeof Yasgui === "undefined") {
    return; // assets not installed: the noscript-style form is not shown, so say so
  }
  if (Yasgui.Yasqe && Yasgui.Yasqe.defaults) {
    Yasgui.Yasqe.defaults.autocompleters = ["variables"];
  }
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    persistenceId: null,
    populateFromUrl: false,
    autoAddOnInit: false,
    tabName: config.tabName,
    yasqe: { value: config.query, autocompleters: ["variables"] },
  });
  function openTab(name, query) {
    var tab = yasgui.addTab(true, { name: name, yasqe: { value: query }, requestConfig: { endpoint: config.endpoint } });
    var t = yasgui.getTab(tab);
    if (t) {
      t.setQuery(query);
    }
    return t;
  }
  var first = openTab(config.tabName, config.query);
  window.peninsulaEditor = { yasgui: yasgui, first: first };
  var form = document.getElementById("examples-form");
  var select = document.getElementById("example");
  form.addEventListener("submit", function (event) {
    var chosen = config.examples.filter(function (e) { return e.name === select.value; })[0];
    if (!chosen) {
      return; // let the form do its plain GET
    }
    event.preventDefault();
    openTab(chosen.name, chosen.query);
  });
})();
