/// The page `GET /` serves: one self-contained HTML document (styles and script inline, no CDN, no
/// build step). A person drops or chooses an image, or picks a gallery item, and sees it beside its k
/// nearest gallery images with class names and scores; for a gallery item, neighbours of its class are
/// marked. The index's size and kind are in the header. It talks to the JSON routes only.
enum WebPage {
    static let html = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dml search</title>
<style>
:root { --ink:#1d2330; --muted:#6b7385; --line:#e3e6ee; --panel:#ffffff; --back:#f4f6fa; --accent:#2f6fed;
        --hit:#1f9d55; --miss:#d64545; --radius:10px; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
       color:var(--ink); background:var(--back); }
header { display:flex; align-items:baseline; gap:18px; flex-wrap:wrap; padding:16px 28px; background:var(--panel);
         border-bottom:1px solid var(--line); }
header h1 { margin:0; font-size:20px; letter-spacing:-0.01em; }
header h1 span { color:var(--accent); }
.facts { display:flex; gap:8px; flex-wrap:wrap; }
.fact { background:var(--back); border:1px solid var(--line); border-radius:999px; padding:2px 10px; font-size:13px; color:var(--muted); }
.fact b { color:var(--ink); font-weight:600; }
main { display:grid; grid-template-columns: 340px 1fr; gap:24px; padding:24px 28px; max-width:1400px; }
@media (max-width: 900px) { main { grid-template-columns: 1fr; } }
section { background:var(--panel); border:1px solid var(--line); border-radius:var(--radius); padding:18px; }
h2 { font-size:13px; text-transform:uppercase; letter-spacing:.06em; color:var(--muted); margin:0 0 12px; }
#drop { display:block; border:2px dashed #b9c2d6; border-radius:var(--radius); padding:22px 14px; text-align:center; cursor:pointer;
        transition: background .15s, border-color .15s; }
#drop.over { background:#eef3ff; border-color:var(--accent); }
#drop p { margin:6px 0 0; color:var(--muted); font-size:13px; }
.button { display:inline-block; background:var(--accent); color:#fff; border:0; border-radius:8px; padding:8px 14px;
          font:inherit; font-weight:600; cursor:pointer; }
.button.quiet { background:var(--back); color:var(--ink); border:1px solid var(--line); font-weight:500; padding:5px 10px; }
input[type=file] { display:none; }
.controls { display:flex; align-items:center; gap:10px; margin:16px 0 4px; }
select, input[type=number] { font:inherit; padding:4px 6px; border:1px solid var(--line); border-radius:6px; background:#fff; }
input[type=number] { width:90px; }
.picker-head { display:flex; justify-content:space-between; align-items:center; margin-top:22px; }
#picker { display:grid; grid-template-columns: repeat(4, 1fr); gap:8px; }
#picker button { padding:0; border:2px solid transparent; border-radius:8px; background:var(--back); cursor:pointer; overflow:hidden; }
#picker button:hover, #picker button:focus { border-color:var(--accent); outline:none; }
#picker img { display:block; width:100%; aspect-ratio:1; object-fit:cover; }
.byid { display:flex; gap:8px; align-items:center; margin-top:12px; font-size:13px; color:var(--muted); }
img.pixels { image-rendering: pixelated; }
#query { display:flex; gap:16px; align-items:center; margin-bottom:18px; min-height:40px; }
#query img { width:128px; height:128px; object-fit:cover; border-radius:var(--radius); border:3px solid var(--ink); background:var(--back); }
#query .what { font-size:18px; font-weight:600; }
#query .sub { color:var(--muted); font-size:13px; }
#summary { color:var(--muted); font-size:13px; margin-bottom:14px; }
#results { display:grid; grid-template-columns: repeat(auto-fill, minmax(132px, 1fr)); gap:14px; }
.result { position:relative; background:var(--panel); border:1px solid var(--line); border-radius:var(--radius); padding:8px;
          box-shadow: 0 1px 2px rgba(20,30,60,.05); }
.result img { display:block; width:100%; aspect-ratio:1; object-fit:cover; border-radius:6px; background:var(--back); }
.result.hit { border-color:var(--hit); box-shadow: inset 0 0 0 2px var(--hit); }
.result.miss { border-color:#f0c4c4; }
.rank { position:absolute; top:12px; left:12px; background:rgba(29,35,48,.78); color:#fff; font-size:12px; font-weight:600;
        border-radius:999px; padding:1px 8px; }
.mark { position:absolute; top:12px; right:12px; width:22px; height:22px; border-radius:50%; color:#fff; font-size:14px;
        line-height:22px; text-align:center; font-weight:700; }
.hit .mark { background:var(--hit); }
.miss .mark { background:var(--miss); }
.class { margin-top:6px; font-weight:600; font-size:14px; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
.meta { display:flex; justify-content:space-between; color:var(--muted); font-size:12px; font-variant-numeric: tabular-nums; }
.bar { height:4px; border-radius:2px; background:var(--line); margin-top:5px; overflow:hidden; }
.bar i { display:block; height:100%; background:var(--accent); }
.empty { color:var(--muted); padding:40px 0; text-align:center; }
#error { display:none; background:#fdecec; color:#8a1f1f; border:1px solid #f3c0c0; border-radius:8px; padding:10px 14px; margin-bottom:14px; }
.spinner { display:inline-block; width:14px; height:14px; border:2px solid var(--line); border-top-color:var(--accent);
           border-radius:50%; animation: spin .8s linear infinite; vertical-align:-2px; margin-right:6px; }
@keyframes spin { to { transform: rotate(360deg); } }
</style>
</head>
<body>
<header>
  <h1><span>dml</span> similarity search</h1>
  <div class="facts" id="facts"><span class="fact">loading index…</span></div>
</header>
<main>
  <section>
    <h2>Query</h2>
    <label id="drop" for="file">
      <span class="button">Choose an image</span>
      <p>or drop a JPEG or PNG here</p>
    </label>
    <input type="file" id="file" accept="image/jpeg,image/png">
    <div class="controls">
      <label for="k">Neighbours</label>
      <select id="k"><option>5</option><option selected>10</option><option>20</option><option>50</option></select>
    </div>
    <div class="picker-head"><h2 style="margin:0">Or pick a gallery item</h2>
      <button class="button quiet" id="shuffle" type="button">Shuffle</button></div>
    <div id="picker" style="margin-top:10px"></div>
    <form class="byid" id="byid"><label for="itemid">Item #</label><input type="number" id="itemid" min="0" value="0">
      <button class="button quiet" type="submit">Search</button></form>
  </section>
  <section>
    <div id="error"></div>
    <div id="query"><div class="sub">Choose an image or a gallery item to see its nearest neighbours.</div></div>
    <div id="summary"></div>
    <div id="results"></div>
  </section>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
let info = null;
let lastSearch = null;

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value; else node.setAttribute(key, value);
  }
  for (const child of children || []) node.appendChild(child);
  return node;
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.style.display = message ? "block" : "none";
}

function imageClass() { return info && info.image_size <= 64 ? "pixels" : ""; }

async function request(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
  return body;
}

async function loadInfo() {
  info = await request("/info");
  const facts = $("facts");
  facts.replaceChildren(
    el("span", { class: "fact" }, [el("b", { text: info.count.toLocaleString("en") }), document.createTextNode(" items")]),
    el("span", { class: "fact", id: "kind" }, [el("b", { text: info.kind.toUpperCase() }), document.createTextNode(" index")]),
    el("span", { class: "fact" }, [document.createTextNode(info.distance + " · " + info.dimension + "-d")]),
    el("span", { class: "fact" }, [document.createTextNode(info.classes.length + " classes")]),
    el("span", { class: "fact", title: "CRC-32 of the checkpoint's tensors" }, [document.createTextNode("model " + info.model.checkpoint_crc32)]));
  $("itemid").max = info.count - 1;
  const k = $("k");
  for (const option of [...k.options]) if (Number(option.value) > info.max_k) option.remove();
}

async function shuffle() {
  const items = await request("/sample?count=12");
  const picker = $("picker");
  picker.replaceChildren(...items.map((item) => {
    const button = el("button", { type: "button", title: "#" + item.id + " · " + item.class, "data-id": item.id },
      [el("img", { src: item.image || "", alt: item.class, class: imageClass(), loading: "lazy" })]);
    button.addEventListener("click", () => searchItem(item.id));
    return button;
  }));
}

function renderQuery(image, title, subtitle) {
  $("query").replaceChildren(el("img", { src: image, alt: "query", class: imageClass() }),
    el("div", {}, [el("div", { class: "what", text: title }), el("div", { class: "sub", text: subtitle })]));
}

function renderResults(answer) {
  const queryClass = answer.query ? answer.query.class : null;
  const similarity = answer.distance !== "l2";
  const scores = answer.items.map((item) => item.score);
  const low = Math.min(...scores), high = Math.max(...scores);
  let hits = 0;
  const cards = answer.items.map((item, rank) => {
    const hit = queryClass !== null && item.class === queryClass;
    if (hit) hits += 1;
    const state = queryClass === null ? "" : (hit ? " hit" : " miss");
    const fraction = similarity ? Math.max(0, Math.min(1, item.score)) : (high > low ? (high - item.score) / (high - low) : 1);
    return el("div", { class: "result" + state, "data-id": item.id }, [
      el("img", { src: item.image || "", alt: item.class, class: imageClass() }),
      el("span", { class: "rank", text: "#" + (rank + 1) }),
      ...(queryClass === null ? [] : [el("span", { class: "mark", text: hit ? "✓" : "✗" })]),
      el("div", { class: "class", text: item.class, title: item.class }),
      el("div", { class: "meta" }, [el("span", { text: "id " + item.id }),
        el("span", { class: "score", text: (similarity ? "" : "d² ") + item.score.toFixed(4) })]),
      el("div", { class: "bar" }, [el("i", { style: "width:" + (100 * fraction).toFixed(1) + "%" })]),
    ]);
  });
  $("results").replaceChildren(...cards);
  let summary = answer.items.length + " nearest of " + info.count.toLocaleString("en") + " (" + answer.kind + ") in "
    + answer.took_ms.toFixed(1) + " ms · batch of " + answer.batch_size;
  if (queryClass !== null) summary += " · " + hits + " of " + answer.items.length + " are " + queryClass;
  $("summary").textContent = summary;
}

function busy() {
  showError("");
  $("summary").replaceChildren(el("span", { class: "spinner" }), document.createTextNode("searching…"));
}

async function searchFile(file) {
  if (!file) return;
  lastSearch = () => searchFile(file);
  busy();
  renderQuery(URL.createObjectURL(file), file.name, Math.round(file.size / 1024) + " KB uploaded");
  try {
    const answer = await request("/search?k=" + $("k").value, {
      method: "POST", headers: { "Content-Type": file.type || "application/octet-stream" }, body: file });
    renderResults(answer);
  } catch (error) { showError(error.message); $("summary").textContent = ""; $("results").replaceChildren(); }
}

async function searchItem(id) {
  lastSearch = () => searchItem(id);
  busy();
  try {
    const answer = await request("/search/item/" + id + "?k=" + $("k").value, { method: "POST" });
    renderQuery(answer.query.image || "", answer.query.class, "gallery item #" + id + " · itself left out");
    renderResults(answer);
  } catch (error) { showError(error.message); $("summary").textContent = ""; $("results").replaceChildren(); }
}

$("file").addEventListener("change", (event) => searchFile(event.target.files[0]));
const drop = $("drop");
for (const name of ["dragenter", "dragover"]) drop.addEventListener(name, (event) => { event.preventDefault(); drop.classList.add("over"); });
for (const name of ["dragleave", "drop"]) drop.addEventListener(name, () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => { event.preventDefault(); searchFile(event.dataTransfer.files[0]); });
$("shuffle").addEventListener("click", () => shuffle().catch((error) => showError(error.message)));
$("byid").addEventListener("submit", (event) => { event.preventDefault(); searchItem(Number($("itemid").value)); });
$("k").addEventListener("change", () => { if (lastSearch) lastSearch(); });
loadInfo().then(shuffle).catch((error) => showError("Cannot load the index: " + error.message));
</script>
</body>
</html>
"""#
}
