// perfctl's HTML report: builds a card per series from the JSON data block,
// draws its trend chart with uPlot when the card scrolls into view, and
// filters the cards and the comparison table. Everything from the
// repository (names, subjects) is set as text, never as HTML.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("perfctl-data").textContent);
  var report = { drawn: 0, series: 0 };
  window.perfctlReport = report;

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function num(v) {
    var s = Math.abs(v) >= 1e-3 || v === 0 ? String(+v.toPrecision(4)) : v.toPrecision(4);
    return s;
  }

  // fmt writes a value of unit with a prefix, as the text report does.
  function fmt(v, unit) {
    if (v === null || v === undefined || !isFinite(v)) return "";
    var a = Math.abs(v);
    if (/sec\/op$/.test(unit)) {
      if (a === 0) return "0 s";
      if (a < 1e-6) return num(v * 1e9) + " ns";
      if (a < 1e-3) return num(v * 1e6) + " µs";
      if (a < 1) return num(v * 1e3) + " ms";
      return num(v) + " s";
    }
    if (/^B\//.test(unit)) {
      var units = ["B", "KiB", "MiB", "GiB", "TiB"], i = 0;
      while (a >= 1024 && i < units.length - 1) { v /= 1024; a /= 1024; i++; }
      return num(v) + " " + units[i];
    }
    var si = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
    for (var j = 0; j < si.length; j++) {
      if (a >= si[j][0]) return num(v / si[j][0]) + si[j][1];
    }
    return num(v);
  }

  function pct(d) {
    if (d === null || d === undefined) return "?";
    return (d > 0 ? "+" : "") + d.toFixed(1) + "%";
  }

  // ---- the comparison table ----
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.row"));

  // ---- the trend cards ----
  var h = data.history;
  var cards = [];
  var container = document.getElementById("charts");
  var observer = null;

  function date(t) { return new Date(t * 1000).toISOString().slice(0, 10); }

  function decode(s) {
    var scale = Math.pow(10, s.exp), x = [], y = [], lo = [], hi = [], c = 0;
    for (var i = 0; i < s.x.length; i++) {
      c += s.x[i];
      x.push(c);
      y.push(s.y[i] * scale);
      lo.push(s.lo[i] * scale);
      hi.push(s.hi[i] * scale);
    }
    return [x, y, lo, hi];
  }

  function changeColor(status) {
    return css(status === "regression" ? "--regression" : status === "improvement" ? "--improvement" : "--changed");
  }

  function describeChange(ch) {
    var id = h.commits.id[ch.commit];
    var t = pct(ch.delta_pct) + " at " + id.slice(0, 7) + " " + date(h.commits.time[ch.commit]) + " " +
      h.commits.subject[ch.commit] + " (" + ch.status;
    if (ch.p_value === null) t += ", exact";
    else if (ch.p_value < 0.001) t += ", p < 0.001";
    else t += ", p " + ch.p_value.toPrecision(2);
    t += ")";
    if (ch.alert) t += ": ALERT";
    else if (ch.new) t += ": new";
    return t;
  }

  function buildCard(s, index) {
    var card = el("div", "card");
    var alerts = 0;
    s.changes.forEach(function (ch) { if (ch.alert) alerts++; });
    if (alerts) card.classList.add("alert");
    card.dataset.search = ((s.pkg || "") + " " + s.name + " " + s.unit).toLowerCase();
    card.dataset.changes = String(s.changes.length);
    card.dataset.index = String(index);
    var head = el("div", "head");
    head.appendChild(el("span", "name", s.name));
    if (s.pkg) head.appendChild(el("span", "pkg", s.pkg));
    head.appendChild(el("span", "unit", s.unit));
    if (s.changes.length) {
      var worst = alerts ? "regression" : s.changes[s.changes.length - 1].status;
      head.appendChild(el("span", worst, s.changes.length + (s.changes.length === 1 ? " change" : " changes") +
        (alerts ? ", " + alerts + (alerts === 1 ? " alert" : " alerts") : "")));
    }
    card.appendChild(head);
    var chart = el("div", "chart");
    card.appendChild(chart);
    var info = el("div", "info", "Hover over the chart for a commit's values.");
    card.appendChild(info);
    if (s.changes.length) {
      var ul = el("ul", "changes");
      s.changes.forEach(function (ch) { ul.appendChild(el("li", ch.status, describeChange(ch))); });
      card.appendChild(ul);
    }
    return { el: card, chart: chart, info: info, s: s, plot: null };
  }

  function showPoint(card, d, idx) {
    if (idx === null || idx === undefined) return;
    var s = card.s, c = d[0][idx];
    var t = "";
    if (s.n && s.n[idx] > 1) t = "median of " + s.n[idx] + " commits up to ";
    t += h.commits.id[c] + " " + date(h.commits.time[c]) + " " + h.commits.subject[c] + ": " +
      fmt(d[1][idx], s.unit);
    if (d[2][idx] !== d[3][idx]) t += " (95% interval " + fmt(d[2][idx], s.unit) + " to " + fmt(d[3][idx], s.unit) + ")";
    card.info.textContent = t;
  }

  function draw(card) {
    if (card.plot) return;
    var s = card.s, d = decode(s);
    var ratio = window.devicePixelRatio || 1;
    var muted = css("--muted"), grid = css("--grid"), band = css("--band");
    var opts = {
      width: Math.max(200, card.chart.clientWidth),
      height: 200,
      scales: { x: { time: false } },
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      series: [
        {},
        { label: "median", stroke: css("--line"), width: 1.5, points: { show: d[0].length <= 60, size: 4 } },
        { label: "low", stroke: band, width: 1, points: { show: false } },
        { label: "high", stroke: band, width: 1, points: { show: false } }
      ],
      bands: [{ series: [3, 2], fill: band }],
      axes: [
        {
          stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 },
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], space: 70,
          values: function (u, splits) {
            return splits.map(function (v) {
              return v === Math.round(v) && v >= 0 && v < h.commits.id.length ? h.commits.id[v].slice(0, 7) : "";
            });
          }
        },
        {
          stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: 84,
          values: function (u, splits) { return splits.map(function (v) { return fmt(v, s.unit); }); }
        }
      ],
      hooks: {
        draw: [function (u) {
          var ctx = u.ctx, top = u.bbox.top, bottom = u.bbox.top + u.bbox.height;
          ctx.save();
          ctx.font = (11 * ratio) + "px sans-serif";
          ctx.textBaseline = "top";
          s.changes.forEach(function (ch) {
            var x = Math.round(u.valToPos(ch.commit, "x", true));
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
            var color = changeColor(ch.status);
            ctx.strokeStyle = color;
            ctx.fillStyle = color;
            ctx.lineWidth = (ch.alert ? 2 : 1) * ratio;
            ctx.setLineDash([4 * ratio, 3 * ratio]);
            ctx.beginPath();
            ctx.moveTo(x, top);
            ctx.lineTo(x, bottom);
            ctx.stroke();
            var label = h.commits.id[ch.commit].slice(0, 7);
            var w = ctx.measureText(label).width;
            ctx.fillText(label, Math.min(x + 3 * ratio, u.bbox.left + u.bbox.width - w), top + 2 * ratio);
          });
          ctx.restore();
        }],
        setCursor: [function (u) { showPoint(card, d, u.cursor.idx); }]
      }
    };
    card.plot = new uPlot(opts, d, card.chart);
    report.drawn++;
  }

  function redrawAll() {
    cards.forEach(function (c) {
      if (c.plot) {
        c.plot.destroy();
        c.plot = null;
        draw(c);
        report.drawn--; // drawn again, not one more
      }
    });
  }

  if (h && container) {
    var frag = document.createDocumentFragment();
    h.series.forEach(function (s, i) {
      var c = buildCard(s, i);
      cards.push(c);
      frag.appendChild(c.el);
    });
    container.appendChild(frag);
    report.series = cards.length;
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (!e.isIntersecting) return;
          var c = cards[+e.target.dataset.index];
          draw(c);
          observer.unobserve(e.target);
        });
      }, { rootMargin: "300px 0px" });
      cards.forEach(function (c) { observer.observe(c.el); });
    } else {
      cards.forEach(draw);
    }
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () {
        cards.forEach(function (c) {
          if (c.plot) c.plot.setSize({ width: Math.max(200, c.chart.clientWidth), height: 200 });
        });
      }, 150);
    });
    if (window.matchMedia) {
      var mq = window.matchMedia("(prefers-color-scheme: dark)");
      if (mq.addEventListener) mq.addEventListener("change", redrawAll);
    }
  }

  // ---- filtering ----
  var filter = document.getElementById("filter");
  var only = document.getElementById("only-changes");
  var shown = document.getElementById("shown");

  function apply() {
    var terms = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var onlyChanges = only && only.checked;
    function match(text) {
      return terms.every(function (t) { return text.indexOf(t) >= 0; });
    }
    var nCards = 0, nRows = 0;
    cards.forEach(function (c) {
      var ok = match(c.el.dataset.search) && (!onlyChanges || c.el.dataset.changes !== "0");
      c.el.classList.toggle("hidden", !ok);
      if (ok) nCards++;
    });
    rows.forEach(function (r) {
      var ok = match(r.dataset.search);
      r.classList.toggle("hidden", !ok);
      // A regression's profile is the row after it: it goes with its row.
      var next = r.nextElementSibling;
      if (next && next.classList.contains("profile")) next.classList.toggle("hidden", !ok);
      if (ok) nRows++;
    });
    var parts = [];
    if (cards.length) parts.push(nCards + " of " + cards.length + " series");
    if (rows.length) parts.push(nRows + " of " + rows.length + " comparison rows");
    shown.textContent = parts.join(", ");
  }
  filter.addEventListener("input", apply);
  if (only) only.addEventListener("change", apply);
  apply();
  document.body.setAttribute("data-ready", "1");
})();
