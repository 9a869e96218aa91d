// A little plain JavaScript: live previews, build progress, drag-and-drop for checklists.
// Every form also works without it (plain POST and a full page).
"use strict";

const CSRF = document.querySelector('meta[name="csrf-token"]').content;
const DELAY = 60; // ms after the last keystroke: one render per pause, not per letter

function post(url, body) {
  return fetch(url, { method: "POST", body, credentials: "same-origin",
                      headers: { "X-CSRF-Token": CSRF, "Accept": "application/json" } });
}

function showMessages(form, kind, byField) {
  form.querySelectorAll(`[data-${kind}]`).forEach((box) => { box.replaceChildren(); });
  for (const [name, messages] of Object.entries(byField || {})) {
    const holder = form.querySelector(`[data-field="${name}"] [data-${kind}]`)
      || form.querySelector(`[data-${kind}]`);
    if (!holder) continue;
    for (const text of messages) {
      const p = document.createElement("p");
      p.className = kind === "problems" ? "problem" : "warning";
      p.textContent = text;
      holder.append(p);
    }
  }
}

// A colour warning ends with "Suggestie: #rrggbb."; offer it as a button next to the colour picker.
function suggestionButtons(root) {
  root.querySelectorAll('[data-field] [data-warnings] .warning').forEach((warning) => {
    const match = warning.textContent.match(/Suggestie: (#[0-9a-f]{6})/);
    const input = warning.closest("[data-field]").querySelector("input[type=color]");
    if (!match || !input || warning.querySelector("button")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary small";
    button.textContent = `Gebruik ${match[1]}`;
    button.addEventListener("click", () => {
      input.value = match[1];
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.focus();
    });
    warning.append(" ", button);
  });
}

function showImages(target, result) {
  const images = result.images || (result.image ? [{ src: result.image }] : []);
  if (!images.length) return;
  const old = [...target.querySelectorAll("img")];
  const alt = old.length ? old[0].alt : "Voorbeeld van de kaart";
  target.replaceChildren(...images.map((img, i) => {
    const el = document.createElement("img");
    el.src = img.src;
    el.alt = (old[i] && old[i].alt) || alt;
    return el;
  }));
}

function livePreview(form) {
  const target = document.getElementById(form.dataset.previewTarget);
  let timer = null;
  let sent = 0;
  const run = async () => {
    const mine = ++sent;
    const body = new FormData(form);
    const file = body.get("logo");
    if (file && typeof file !== "string" && !file.size) body.delete("logo");
    target.classList.add("busy");
    try {
      const response = await post(form.dataset.preview, body);
      const result = await response.json();
      if (mine !== sent) return; // a newer edit is on its way
      if (result.error) { showMessages(form, "problems", { algemeen: [result.error] }); return; }
      showMessages(form, "problems", result.problems);
      showMessages(form, "warnings", result.warnings);
      suggestionButtons(form);
      showImages(target, result);
      target.dataset.version = String(mine);
    } catch (err) {
      showMessages(form, "problems", { algemeen: ["Het voorbeeld kon niet worden gemaakt. Is kaartgen serve nog actief?"] });
    } finally {
      if (mine === sent) target.classList.remove("busy");
    }
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(run, DELAY); };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
}

async function followBuild(form, start) {
  const box = form.querySelector("[data-build-status]");
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-build-text]");
  const problems = box.querySelector("[data-build-problems]");
  const link = box.querySelector("[data-build-download]");
  box.hidden = false; link.hidden = true; problems.replaceChildren();
  bar.removeAttribute("value");
  text.textContent = "Bezig met bouwen…";
  let job = await start.json();
  if (job.error) { text.textContent = job.error; return; }
  while (job.state === "wacht" || job.state === "bezig") {
    if (job.total) { bar.max = job.total; bar.value = job.done; }
    text.textContent = `Bezig met bouwen: ${job.done} van ${job.total || "?"} hulpmiddelen klaar…`;
    await new Promise((r) => setTimeout(r, 300));
    job = await (await fetch(`/bouwen/${job.id}`, { headers: { "Accept": "application/json" } })).json();
  }
  if (job.state === "klaar") {
    bar.max = 1; bar.value = 1;
    text.textContent = `Klaar: ${job.total} ${job.total === 1 ? "hulpmiddel" : "hulpmiddelen"} gebouwd.`;
    link.href = job.download; link.hidden = false; link.focus();
  } else {
    bar.value = 0;
    text.textContent = "Het bouwen is niet gelukt:";
    for (const message of job.problems) {
      const p = document.createElement("p"); p.className = "problem"; p.textContent = message; problems.append(p);
    }
  }
}

function buildButton(form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try { await followBuild(form, await post(form.action, new FormData(form))); }
    finally { button.disabled = false; }
  });
}

function dropZone(zone) {
  const input = zone.querySelector("input[type=file]");
  const list = zone.querySelector("[data-chosen]");
  const show = () => {
    list.replaceChildren(...[...input.files].map((f) => {
      const li = document.createElement("li"); li.textContent = f.name; return li;
    }));
  };
  input.addEventListener("change", show);
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault(); zone.classList.remove("over");
    const all = new DataTransfer();
    [...input.files, ...e.dataTransfer.files].forEach((f) => all.items.add(f));
    input.files = all.files;
    show();
  });
}

document.querySelectorAll("form[data-preview]").forEach(livePreview);
suggestionButtons(document);
document.querySelectorAll("form[data-build]").forEach(buildButton);
document.querySelectorAll("[data-dropzone]").forEach(dropZone);
