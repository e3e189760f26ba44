/// The status page served at `/`: HTML, CSS and a little JavaScript in one document, with
/// no outside assets and no build step. The script polls `/v1/status` every second and
/// builds the page with DOM calls only (`textContent`, never markup from the data), so a
/// check's reason or a zone's name cannot inject anything. Elements that tests and
/// people's scripts read carry stable ids and `data-` attributes.
enum StatusPageDocument {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchyard status</title>
<style>
:root { --bg: #e9edf2; --card: #ffffff; --ink: #14202b; --muted: #56626f; --line: #d3d9e0;
        --ok: #16803a; --bad: #c0231d; --warn: #b25f00; --idle: #6b7580; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 18px/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
header { background: var(--ink); color: #fff; display: flex; align-items: baseline; gap: 1.5rem;
         padding: .7rem 1.5rem; }
header h1 { font-size: 1.5rem; margin: 0; }
#instance { font-weight: bold; }
#updated { margin-left: auto; font-variant-numeric: tabular-nums; }
#conn { padding: .15rem .8rem; border-radius: 1rem; font-weight: bold; background: var(--idle); }
#conn[data-state="live"] { background: var(--ok); }
#conn[data-state="stale"] { background: var(--bad); }
main.stale { opacity: .45; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; padding: 1rem 1.5rem; align-items: start; }
.column { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1rem; }
section { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .8rem 1rem; overflow-x: auto; }
h2 { font-size: 1rem; margin: 0 0 .6rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
h3 { font-size: 1.1rem; margin: .2rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; color: var(--muted); text-transform: uppercase; white-space: nowrap; }
td.where, td b, .nowrap { white-space: nowrap; }
td.num, .num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.small { font-size: .8rem; color: var(--muted); overflow-wrap: anywhere; }
.target { max-width: 11rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#drill-moves { font-size: .9rem; }
#drill-moves th, #drill-moves td { padding: .3rem .3rem; }
.pill { display: inline-block; padding: .05rem .6rem; border-radius: 1rem; color: #fff; font-weight: bold; font-size: .9rem; }
.healthy, .up { background: var(--ok); }
.unhealthy, .down { background: var(--bad); }
.running { background: var(--warn); }
.stopped, .expired, .none { background: var(--idle); }
tr[data-effective="unhealthy"] td:first-child { box-shadow: inset .35rem 0 0 var(--bad); }
tr[data-override]:not([data-override=""]) { background: #fff6e5; }
.empty { color: var(--muted); font-style: italic; margin: .3rem 0; }
.regions { display: flex; flex-wrap: wrap; gap: .7rem; }
.region { border-left: .5rem solid var(--ok); background: #f4f6f9; padding: .4rem .9rem; min-width: 12rem; }
.region[data-level="partial"] { border-color: var(--warn); }
.region[data-level="none"] { border-color: var(--bad); }
.region b { display: block; font-size: 1.2rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
.chart svg { width: 100%; height: 80px; display: block; background: #f4f6f9; border: 1px solid var(--line); }
.axis { display: flex; justify-content: space-between; font-size: .75rem; color: var(--muted); }
.legend { margin-top: .3rem; }
.legend span { margin-right: 1rem; white-space: nowrap; }
.swatch { display: inline-block; width: .9em; height: .9em; border-radius: .2em; vertical-align: -.1em; margin-right: .3em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .3rem 0 .6rem; }
dt { color: var(--muted); }
dd { margin: 0; }
ol.timeline { margin: .3rem 0 0; padding: 0; list-style: none; }
ol.timeline li { display: grid; grid-template-columns: 5em 7em 1fr; gap: .5rem; padding: .2rem 0; border-bottom: 1px solid var(--line); }
.offset { font-variant-numeric: tabular-nums; color: var(--muted); text-align: right; }
.kind { font-weight: bold; }
</style>
</head>
<body>
<header>
  <h1>Switchyard</h1>
  <span id="instance"></span>
  <span id="updated">waiting for the first status…</span>
  <span id="conn" data-state="connecting">connecting</span>
</header>
<main>
  <div class="column">
    <section><h2>Regions</h2><div id="regions" class="regions"></div></section>
    <section>
      <h2>Health checks</h2>
      <table id="checks">
        <thead><tr><th>Check</th><th>Region</th><th>Observed</th><th>Override</th><th>Effective</th><th>Time left</th></tr></thead>
        <tbody></tbody>
      </table>
    </section>
    <section><h2>Answers per set, last <span id="window">5 min</span></h2><div id="names" class="charts"></div></section>
  </div>
  <section><h2>Drill</h2><div id="drill"></div></section>
</main>
<noscript>This page needs JavaScript to update itself; the same data is at /v1/status.</noscript>
<script>
"use strict";
// Polls once a second (after the previous answer), so a change shows within about 1 s.
const POLL_MS = 1000, STALE_MS = 3500;
// Sets get colours in the order they are first seen, so one set keeps its colour on
// every chart for as long as the page is open.
const PALETTE = ["#1f6fc5", "#e8710a", "#188038", "#a142f4", "#d01884", "#12a4af", "#9e6b00", "#5f6368", "#c5221f", "#7cb342"];
const colours = new Map();
// The SVG namespace, taken from the HTML parser rather than spelled out.
const SVG_NS = (() => { const d = document.createElement("div"); d.innerHTML = "<svg></svg>"; return d.firstChild.namespaceURI; })();
let receivedAt = 0;

function colour(set) {
  if (!colours.has(set)) colours.set(set, PALETTE[colours.size % PALETTE.length]);
  return colours.get(set);
}

// An element with attributes (null ones left out) and children (strings become text).
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function svg(tag, attributes) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

const pill = (word, cls) => el("span", { class: "pill " + (cls || word) }, word);
const clock = (iso) => iso ? new Date(iso).toISOString().slice(11, 19) + " UTC" : "—";
// Offsets are measured to the millisecond; the first seconds of a drill matter most.
const offset = (seconds) => "+" + Number(seconds).toFixed(Math.abs(seconds) < 10 ? 2 : 1) + " s";

function duration(seconds) {
  seconds = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
  const two = (n) => String(n).padStart(2, "0");
  return h > 0 ? h + ":" + two(m) + ":" + two(s) : m + ":" + two(s);
}

function renderRegions(regions) {
  const box = document.getElementById("regions");
  if (regions.length === 0) return box.replaceChildren(el("p", { class: "empty" }, "no check names a region"));
  box.replaceChildren(...regions.map((r) => {
    const level = r.healthy === r.checks ? "all" : r.healthy === 0 ? "none" : "partial";
    return el("div", { class: "region", "data-region": r.region, "data-level": level },
      el("b", null, r.region),
      r.healthy + " of " + r.checks + " healthy",
      r.overridden > 0 ? el("div", { class: "small" }, r.overridden + " overridden") : null);
  }));
}

function renderChecks(checks) {
  const body = document.querySelector("#checks tbody");
  if (checks.length === 0) return body.replaceChildren(el("tr", null, el("td", { colspan: 6, class: "empty" }, "no health checks in the served zones")));
  body.replaceChildren(...checks.map((c) => el("tr",
    { "data-check": c.id, "data-observed": c.observed, "data-override": c.override || "", "data-effective": c.effective },
    el("td", null, el("b", null, c.id), el("div", { class: "small target", title: c.target }, c.target)),
    el("td", { class: "where" }, c.region || "—"),
    el("td", null, pill(c.observed)),
    el("td", null, c.override ? pill(c.override) : "auto", c.overrideReason ? el("div", { class: "small" }, c.overrideReason) : null),
    el("td", { class: "effective" }, pill(c.effective)),
    el("td", { class: "num left", "data-seconds-left": c.secondsLeft },
      c.override ? (c.secondsLeft == null ? "until cleared" : duration(c.secondsLeft)) : "—"))));
}

// One routed name: a stacked column per bucket, each set's share of that bucket's answers.
function chart(name, status) {
  const width = 600, height = 96;
  const slots = Math.max(1, Math.round(status.windowSeconds / status.bucketSeconds));
  const windowStart = Date.parse(status.generatedAt) - status.windowSeconds * 1000;
  const keys = [...name.sets];
  const totals = new Map();
  for (const bucket of name.buckets) {
    for (const [set, n] of Object.entries(bucket.counts)) {
      if (!keys.includes(set)) keys.push(set);
      totals.set(set, (totals.get(set) || 0) + n);
    }
  }
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  const box = el("div", { class: "chart", "data-name": name.name, "data-type": name.type },
    el("h3", null, name.name + " ", el("span", { class: "small" }, name.type + " · " + name.policy + " · " + all + " answers")));
  if (all === 0) {
    box.append(el("p", { class: "empty" }, "no queries in the last " + Math.round(status.windowSeconds / 60) + " minutes"));
  } else {
    const picture = svg("svg", { viewBox: "0 0 " + width + " " + height, preserveAspectRatio: "none", role: "img" });
    const slot = width / slots;
    for (const bucket of name.buckets) {
      const index = Math.floor((Date.parse(bucket.start) - windowStart) / (status.bucketSeconds * 1000));
      const total = Object.values(bucket.counts).reduce((a, b) => a + b, 0);
      if (index < 0 || index >= slots || total === 0) continue;
      let y = height;
      for (const set of keys) {
        const h = (bucket.counts[set] || 0) / total * height;
        if (h <= 0) continue;
        y -= h;
        picture.append(svg("rect", { x: (index * slot).toFixed(2), y: y.toFixed(2), width: Math.max(1, slot - 1).toFixed(2),
          height: h.toFixed(2), fill: colour(set), "data-set": set }));
      }
    }
    box.append(picture, el("div", { class: "axis" }, el("span", null, "−" + Math.round(status.windowSeconds / 60) + " min"), el("span", null, "now")));
  }
  box.append(el("div", { class: "legend" }, ...keys.map((set) => el("span", { "data-set": set },
    el("span", { class: "swatch", style: "background:" + colour(set) }), set,
    all > 0 ? " " + Math.round(100 * (totals.get(set) || 0) / all) + "%" : ""))));
  return box;
}

function renderNames(status) {
  document.getElementById("window").textContent = Math.round(status.windowSeconds / 60) + " min";
  const box = document.getElementById("names");
  if (status.names.length === 0) return box.replaceChildren(el("p", { class: "empty" }, "no routed names answered in the last " + Math.round(status.windowSeconds / 60) + " minutes"));
  box.replaceChildren(...status.names.map((name) => chart(name, status)));
}

function renderDrill(drill, generatedAt) {
  const box = document.getElementById("drill");
  if (!drill) return box.replaceChildren(el("p", { class: "empty", id: "no-drill" }, "no drill yet"));
  const facts = el("dl", null);
  const fact = (term, value) => { if (value !== null && value !== undefined && value !== "") facts.append(el("dt", null, term), el("dd", null, value)); };
  fact("Regions", drill.regions.join(", "));
  fact("Checks", drill.checks.join(", "));
  fact("Reason", drill.reason);
  fact("By", drill.requestedBy);
  fact("Started", clock(drill.startedAt));
  // Counted down from the server's clock, like the overrides' time left.
  const left = drill.endsAt ? (Date.parse(drill.endsAt) - Date.parse(generatedAt)) / 1000 : null;
  fact("Ends", !drill.endsAt ? "when stopped" : drill.state !== "running" ? clock(drill.endsAt) :
    el("span", null, clock(drill.endsAt) + " (in ", el("span", { "data-seconds-left": left }, duration(left)), ")"));
  fact("Ended", drill.endedAt ? clock(drill.endedAt) : null);
  fact("Applied", drill.applied.length ? drill.applied.map((a) => a.instance + " " + offset(a.offset)).join(", ") : "not yet");
  fact("Caches dropped", drill.cacheDroppedAt ? clock(drill.cacheDroppedAt) + " (" + offset(drill.cacheDroppedOffset) + ")" : "not yet");
  fact("Not seen moving", drill.notSeenMoving.join(", "));
  const moves = drill.moves.length === 0 ? el("p", { class: "empty" }, "no name has answered from another set yet") :
    el("table", { id: "drill-moves" },
      el("thead", null, el("tr", null, el("th", null, "Name"), el("th", null, "Moved"), el("th", null, "From → to"), el("th", null, "Caches clear"))),
      el("tbody", null, ...drill.moves.map((m) => el("tr", { "data-move": m.name },
        el("td", null, m.name + " " + m.type, el("div", { class: "small" }, m.instance)),
        el("td", { class: "num" }, offset(m.offset)),
        el("td", null, el("span", { class: "nowrap" }, m.from + " →"), " ", el("span", { class: "nowrap" }, m.to)),
        el("td", { class: "num" }, offset(m.cacheDroppedOffset))))));
  const timeline = el("ol", { class: "timeline", id: "timeline" }, ...drill.timeline.map((e) => el("li", { "data-kind": e.kind },
    el("span", { class: "offset" }, offset(e.offset)), el("span", { class: "kind" }, e.kind), e.text)));
  box.replaceChildren(el("h3", { id: "drill-name", "data-state": drill.state }, drill.name + " ", pill(drill.state)),
    facts, moves, el("h3", null, "Timeline"), timeline);
}

function render(status) {
  document.getElementById("instance").textContent = status.instance ? "instance " + status.instance : "";
  document.getElementById("updated").textContent = "updated " + clock(status.generatedAt);
  renderRegions(status.regions);
  renderChecks(status.checks);
  renderNames(status);
  renderDrill(status.drill, status.generatedAt);
}

function setConnection(live, why) {
  const mark = document.getElementById("conn");
  mark.dataset.state = live ? "live" : "stale";
  // What is still shown is old: fade it, so nobody reads it as the current state.
  document.querySelector("main").classList.toggle("stale", !live);
  mark.textContent = live ? "live" : "disconnected" + (why ? ": " + why : "");
}

// Counts the overrides' time left down between polls, and marks the page stale when no
// answer has come for a while (a hung request included).
function tick() {
  const elapsed = (performance.now() - receivedAt) / 1000;
  for (const cell of document.querySelectorAll("[data-seconds-left]")) {
    cell.textContent = duration(Number(cell.dataset.secondsLeft) - elapsed);
  }
  if (receivedAt > 0 && elapsed * 1000 > STALE_MS) setConnection(false, "no answer for " + Math.round(elapsed) + " s");
}

async function poll() {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), STALE_MS - POLL_MS);
  try {
    const response = await fetch("/v1/status", { cache: "no-store", signal: controller.signal });
    if (!response.ok) throw new Error("HTTP " + response.status);
    const status = await response.json();
    receivedAt = performance.now();
    render(status);
    setConnection(true);
  } catch (error) {
    setConnection(false, error.name === "AbortError" ? "timed out" : error.message);
  } finally {
    clearTimeout(timer);
    setTimeout(poll, POLL_MS);
  }
}

setInterval(tick, 250);
poll();
</script>
</body>
</html>
"""#
}
