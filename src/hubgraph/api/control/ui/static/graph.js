// hubgraph's neighbourhood graph: SVG drawn with a small force layout. No dependencies.
//
// The page's <svg data-src="…graph.json"> names the root record's JSON; every node carries
// the URL of its own. Clicking a node (or Enter on it) selects it and loads its neighbours.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("graph");
  if (!svg) {
    return;
  }
  var side = document.getElementById("graph-selection");
  var summary = document.getElementById("graph-summary");
  var hopsSelect = document.getElementById("graph-hops");
  var edgeLayer = document.createElementNS(SVG, "g");
  var nodeLayer = document.createElementNS(SVG, "g");
  svg.appendChild(edgeLayer);
  svg.appendChild(nodeLayer);

  var PALETTE = ["#2457c5", "#d9480f", "#2b8a3e", "#ae3ec9", "#0c8599", "#e67700", "#c2255c", "#5f3dc4"];
  var nodes = {};   // key -> {data, x, y, vx, vy, el}
  var edges = {};   // "a|b" -> {a, b, labels, el, text}
  var typeColours = {};
  var selected = null;
  var LAYOUT_STEPS = 200;

  function colourOf(type, typeLabel) {
    if (!(type in typeColours)) {
      typeColours[type] = PALETTE[Object.keys(typeColours).length % PALETTE.length];
      var legend = document.getElementById("graph-legend");
      if (legend) {
        var item = document.createElement("li");
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = typeColours[type];
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(typeLabel + " (" + type + ")"));
        legend.appendChild(item);
      }
    }
    return typeColours[type];
  }

  function size() {
    var box = svg.getBoundingClientRect();
    return {w: box.width || 800, h: box.height || 560};
  }

  function addNode(data, near) {
    var node = nodes[data.key];
    if (node) {
      return node;
    }
    var s = size();
    var angle = Math.random() * 2 * Math.PI;
    var origin = near || {x: s.w / 2, y: s.h / 2};
    node = {
      data: data,
      x: origin.x + Math.cos(angle) * 60,
      y: origin.y + Math.sin(angle) * 60,
      vx: 0,
      vy: 0,
      expanded: false
    };
    var g = document.createElementNS(SVG, "g");
    g.setAttribute("class", "node");
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "button");
    g.setAttribute("data-key", data.key);
    g.setAttribute("aria-label", data.typeLabel + " " + data.id + ": " + data.label + ". Enter expands.");
    var circle = document.createElementNS(SVG, "circle");
    circle.setAttribute("r", "11");
    circle.setAttribute("fill", colourOf(data.objectTypeId, data.typeLabel));
    var text = document.createElementNS(SVG, "text");
    text.setAttribute("x", "15");
    text.setAttribute("y", "4");
    text.textContent = data.label;
    var title = document.createElementNS(SVG, "title");
    title.textContent = data.typeLabel + " " + data.id;
    g.appendChild(circle);
    g.appendChild(text);
    g.appendChild(title);
    g.addEventListener("click", function () { select(node, true); });
    g.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        select(node, true);
      }
    });
    nodeLayer.appendChild(g);
    node.el = g;
    nodes[data.key] = node;
    return node;
  }

  function addEdge(data) {
    var pair = [data.from, data.to].sort();
    var key = pair.join("|");
    if (edges[key] || !nodes[pair[0]] || !nodes[pair[1]]) {
      return;
    }
    var line = document.createElementNS(SVG, "line");
    var userDefined = data.labels.some(function (l) { return l.category !== "HUBSPOT_DEFINED"; });
    line.setAttribute("class", userDefined ? "edge user" : "edge");
    var named = data.labels.filter(function (l) { return l.label; }).map(function (l) { return l.label; });
    var text = document.createElementNS(SVG, "text");
    text.setAttribute("class", "edge-label");
    text.textContent = named.join(", ");
    edgeLayer.appendChild(line);
    edgeLayer.appendChild(text);
    edges[key] = {a: nodes[pair[0]], b: nodes[pair[1]], el: line, text: text};
  }

  function merge(graph, near) {
    graph.nodes.forEach(function (data) { addNode(data, near); });
    graph.edges.forEach(addEdge);
    graph.expanded.forEach(function (key) {
      if (nodes[key]) {
        nodes[key].expanded = true;
        nodes[key].el.classList.add("expanded");
      }
    });
    layout();
    var count = Object.keys(nodes).length;
    summary.textContent = count + " records, " + Object.keys(edges).length + " associated pairs" +
      (graph.truncated ? " (some neighbours left out: limit per record reached)" : "");
  }

  function load(url, near) {
    svg.setAttribute("aria-busy", "true");
    svg.setAttribute("data-settled", "false");
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (graph) { merge(graph, near); })
      .catch(function (error) { summary.textContent = "Could not load the graph: " + error.message; })
      .then(function () { svg.setAttribute("aria-busy", "false"); });
  }

  function select(node, expand) {
    if (selected) {
      selected.el.classList.remove("selected");
    }
    selected = node;
    node.el.classList.add("selected");
    var d = node.data;
    side.innerHTML = "";
    var h = document.createElement("h2");
    h.textContent = d.label;
    var p = document.createElement("p");
    p.className = "muted";
    p.textContent = d.typeLabel + " " + d.id;
    var link = document.createElement("a");
    link.href = d.url;
    link.textContent = "Open record";
    link.className = "button";
    side.appendChild(h);
    side.appendChild(p);
    side.appendChild(link);
    if (expand && !node.expanded) {
      load(d.graphUrl + "?hops=1", node);
    }
  }

  // A plain force layout, run to rest before drawing: springs on edges, repulsion between
  // nodes, a pull towards the centre. A few hundred nodes take a few milliseconds.
  function layout() {
    for (var i = 0; i < LAYOUT_STEPS; i++) {
      step();
    }
    draw();
    // Tests (and anyone scripting the page) can tell the drawing is complete.
    svg.setAttribute("data-settled", "true");
  }

  function step() {
    var list = Object.keys(nodes).map(function (k) { return nodes[k]; });
    var s = size();
    var i, j, a, b, dx, dy, d2, d, f;
    for (i = 0; i < list.length; i++) {
      a = list[i];
      for (j = i + 1; j < list.length; j++) {
        b = list[j];
        dx = a.x - b.x;
        dy = a.y - b.y;
        d2 = dx * dx + dy * dy + 0.01;
        f = 500 / d2;
        a.vx += dx * f; a.vy += dy * f;
        b.vx -= dx * f; b.vy -= dy * f;
      }
    }
    Object.keys(edges).forEach(function (k) {
      var e = edges[k];
      dx = e.b.x - e.a.x;
      dy = e.b.y - e.a.y;
      d = Math.sqrt(dx * dx + dy * dy) || 1;
      f = (d - 110) * 0.03 / d;
      e.a.vx += dx * f; e.a.vy += dy * f;
      e.b.vx -= dx * f; e.b.vy -= dy * f;
    });
    list.forEach(function (n) {
      n.vx += (s.w / 2 - n.x) * 0.01;
      n.vy += (s.h / 2 - n.y) * 0.01;
      n.x = Math.max(15, Math.min(s.w - 90, n.x + Math.max(-20, Math.min(20, n.vx))));
      n.y = Math.max(15, Math.min(s.h - 15, n.y + Math.max(-20, Math.min(20, n.vy))));
      n.vx *= 0.6;
      n.vy *= 0.6;
    });
  }

  function draw() {
    Object.keys(nodes).forEach(function (k) {
      var n = nodes[k];
      n.el.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")");
    });
    Object.keys(edges).forEach(function (k) {
      var e = edges[k];
      e.el.setAttribute("x1", e.a.x.toFixed(1));
      e.el.setAttribute("y1", e.a.y.toFixed(1));
      e.el.setAttribute("x2", e.b.x.toFixed(1));
      e.el.setAttribute("y2", e.b.y.toFixed(1));
      e.text.setAttribute("x", ((e.a.x + e.b.x) / 2).toFixed(1));
      e.text.setAttribute("y", ((e.a.y + e.b.y) / 2).toFixed(1));
    });
  }

  function start() {
    nodeLayer.innerHTML = "";
    edgeLayer.innerHTML = "";
    nodes = {};
    edges = {};
    selected = null;
    var hops = hopsSelect ? hopsSelect.value : "1";
    load(svg.getAttribute("data-src") + "?hops=" + hops, null).then(function () {
      var root = nodes[svg.getAttribute("data-root")];
      if (root) {
        root.el.classList.add("root");
        select(root, false);
      }
    });
  }

  if (hopsSelect) {
    hopsSelect.addEventListener("change", start);
  }
  start();
})();
