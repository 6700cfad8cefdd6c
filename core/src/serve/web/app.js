// casedoc's web page: plain JavaScript over the public /v1/ API (docs/service.md, "The web page").
// The token lives in sessionStorage only and travels in the Authorization header, never in a URL. Records go in
// request bodies (multipart, as the API takes them), never in a URL, and nothing is written to the console.
// Text from records and answers is always inserted as text (textContent), never as HTML.
"use strict";

(function () {
  const TOKEN_KEY = "casedoc-token";
  const SEVERITIES = ["error", "warning", "info"];

  // ---- small helpers -------------------------------------------------------------------------------------

  function $(id) { return document.getElementById(id); }

  // An element with attributes and children (strings become text nodes).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function say(id, text, kind) {
    const m = $(id);
    m.textContent = text || "";
    m.className = "message" + (kind ? " " + kind : "");
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }

  function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }

  // Refused: the token is no longer accepted (revoked, or the service's tokens changed).
  class refused extends Error {}

  // A request to the API with the token. Returns the Response; a 401 signs out and throws `refused`.
  async function api(method, path, body, secret) {
    const headers = { Authorization: "Bearer " + (secret || token()) };
    let answer;
    try {
      answer = await fetch(path, { method, headers, body, cache: "no-store", credentials: "omit",
                                   referrerPolicy: "no-referrer" });
    } catch (e) {
      throw new Error("The service cannot be reached. Is it running?");
    }
    if (answer.status === 401 && !secret) {
      signOut("Your token is no longer accepted (401). Sign in again with a valid token.");
      throw new refused();
    }
    return answer;
  }

  // The message of an error answer ({"error":{"status","message"}}), or its status.
  async function problem(answer) {
    try {
      const j = await answer.json();
      if (j && j.error && j.error.message) return j.error.message + " (" + answer.status + ")";
    } catch (e) { /* not JSON */ }
    return "The service answered " + answer.status + ".";
  }

  // The records as multipart/form-data parts, named by their file names (the API's way; no name in a URL).
  function recordsForm(records) {
    const form = new FormData();
    for (const r of records) form.append("records", new Blob([r.text], { type: "application/xml" }), r.name);
    return form;
  }

  function isJson(answer) { return (answer.headers.get("Content-Type") || "").startsWith("application/json"); }

  // Saves an answer's body as a file: the name from Content-Disposition, else `fallback`.
  async function saveAnswer(answer, fallback) {
    const blob = await answer.blob();
    const disposition = answer.headers.get("Content-Disposition") || "";
    const m = /filename="([^"]+)"/.exec(disposition);
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: m ? m[1] : fallback, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // The chosen files as records ({name, text}). A .zip (a caseload exported as one file) gives its .xml entries,
  // unzipped here in the browser with fflate (fflate.js, MIT): the service takes records, never archives. A zip
  // whose records would unpack to more than ZIP_MAX_BYTES, or hold more than ZIP_MAX_RECORDS, is refused.
  const ZIP_MAX_BYTES = 256 * 1024 * 1024;
  const ZIP_MAX_RECORDS = 20000;

  async function readFiles(fileList) {
    const records = [];
    for (const f of Array.from(fileList)) {
      if (/\.zip$/i.test(f.name)) records.push(...unzipRecords(f.name, new Uint8Array(await f.arrayBuffer())));
      else records.push({ name: f.name, text: await f.text() });
    }
    return records;
  }

  function unzipRecords(zipName, bytes) {
    let total = 0;
    let count = 0;
    let entries;
    try {
      entries = fflate.unzipSync(bytes, {
        filter: entry => {
          if (entry.name.endsWith("/") || !/\.xml$/i.test(entry.name)) return false;
          if (++count > ZIP_MAX_RECORDS) throw new Error("holds more than " + ZIP_MAX_RECORDS + " records");
          total += entry.originalSize;
          if (total > ZIP_MAX_BYTES) throw new Error("its records unpack to more than 256 MB");
          return true;
        }
      });
    } catch (e) {
      throw new Error(zipName + " cannot be read as a zip of records: " + e.message);
    }
    const names = Object.keys(entries).sort();
    if (!names.length) throw new Error(zipName + " holds no .xml record.");
    const decoder = new TextDecoder();
    return names.map(name => ({ name: name, text: decoder.decode(entries[name]) }));
  }

  // A drop zone around a file input: dropped files go to `handle`, as chosen ones do.
  function dropZone(zone, input, handle) {
    input.addEventListener("change", () => { if (input.files.length) handle(input.files); });
    zone.addEventListener("dragover", e => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", e => {
      e.preventDefault();
      zone.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length) handle(e.dataTransfer.files);
    });
  }

  // ---- sign in -------------------------------------------------------------------------------------------

  function showApp(signedIn) {
    $("sign-in").hidden = signedIn;
    $("app").hidden = !signedIn;
    $("sign-out").hidden = !signedIn;
  }

  function signOut(why) {
    sessionStorage.removeItem(TOKEN_KEY);
    for (const id of ["check-results", "due-list", "rules-list"]) $(id).replaceChildren();
    $("due-output").hidden = true;
    rulesLoaded = null;
    showApp(false);
    say("sign-in-message", why || "", why ? "bad" : "");
    $("token").value = "";
    $("token").focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const secret = $("token").value.trim();
    if (!secret) return say("sign-in-message", "Paste your access token first.", "bad");
    say("sign-in-message", "Checking the token…");
    let answer;
    try {
      answer = await api("GET", "/v1/plugins", undefined, secret);
    } catch (e) {
      return say("sign-in-message", e.message, "bad");
    }
    if (answer.status === 401)
      return say("sign-in-message",
                 "This token was refused: the service does not know it (401). Check that you copied all of it, " +
                 "or ask your administrator for a new one.", "bad");
    if (!answer.ok) return say("sign-in-message", await problem(answer), "bad");
    sessionStorage.setItem(TOKEN_KEY, secret);
    $("token").value = "";
    say("sign-in-message", "");
    showApp(true);
    selectTab($("tab-check"), true);
  }

  // ---- tabs ----------------------------------------------------------------------------------------------

  const tabs = () => Array.from(document.querySelectorAll("[role=tab]"));

  function selectTab(tab, focus) {
    for (const t of tabs()) {
      const on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
    if (tab.id === "tab-rules") loadRules();
  }

  function tabKeys(event) {
    const list = tabs();
    const i = list.indexOf(document.activeElement);
    if (i < 0) return;
    let next = null;
    if (event.key === "ArrowRight") next = list[(i + 1) % list.length];
    else if (event.key === "ArrowLeft") next = list[(i + list.length - 1) % list.length];
    else if (event.key === "Home") next = list[0];
    else if (event.key === "End") next = list[list.length - 1];
    if (next) {
      event.preventDefault();
      selectTab(next, true);
    }
  }

  // ---- check records -------------------------------------------------------------------------------------

  let recordCount = 0; // numbers the records shown, for the ids of their XML lines

  async function checkRecords(records) {
    if (!records.length) return;
    say("check-message", "Checking " + plural(records.length, "record") + "…");
    let answer;
    try {
      answer = await api("POST", "/v1/validate", recordsForm(records));
    } catch (e) {
      if (!(e instanceof refused)) say("check-message", e.message, "bad");
      return;
    }
    if (answer.status !== 200 && answer.status !== 422) return say("check-message", await problem(answer), "bad");
    const report = await answer.json();
    const results = $("check-results");
    results.replaceChildren();
    (report.records || []).forEach((r, i) => results.append(recordCard(r, records[i])));
    const s = report.summary || {};
    const parts = [];
    for (const [key, label] of [["compliant", "compliant"], ["not_compliant", "not compliant"],
                                ["not_checked", "not checked"]])
      if (typeof s[key] === "number" && s[key] > 0) parts.push(s[key] + " " + label);
    say("check-message", plural((report.records || []).length, "record") + " checked" +
        (parts.length ? ": " + parts.join(", ") : "") + ".", "");
  }

  const STATUS_TEXT = { "compliant": "Compliant", "not-compliant": "Not compliant", "error": "Not checked" };

  function recordCard(result, record) {
    const n = ++recordCount;
    const lineId = line => "record-" + n + "-line-" + line;
    const findings = result.findings || [];
    const marks = new Map(); // line -> the most severe finding's severity there
    for (const f of findings)
      if (f.line && (!marks.has(f.line) || SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(marks.get(f.line))))
        marks.set(f.line, f.severity);
    if (result.status === "error" && result.error && result.error.line) marks.set(result.error.line, "error");

    const xml = xmlView(record ? record.text : "", marks, lineId);
    const goTo = line => {
      const target = $(lineId(line));
      if (!target) return;
      target.scrollIntoView({ block: "center", behavior: "smooth" });
      target.classList.remove("flash");
      void target.offsetWidth; // restart the highlight
      target.classList.add("flash");
      target.focus({ preventScroll: true });
    };

    const head = el("div", { class: "record-head" },
      el("h3", {}, result.file || (record && record.name) || "record"),
      el("span", { class: "status " + (result.status || "error") }, STATUS_TEXT[result.status] || result.status),
      el("p", { class: "ids" },
        [result.record_id && "Record " + result.record_id, result.setting, result.document_type,
         result.schema && result.schema.version ? "schema " + result.schema.version : null]
          .filter(Boolean).join(" · ")));

    const body = el("div", { class: "findings" });
    if (result.status === "error") {
      const e = result.error || {};
      body.append(el("p", { class: "record-error", role: "note" },
        "This record could not be checked" + (e.line ? " (line " + e.line + (e.column ? ", column " + e.column : "") + ")" : "") +
        ": " + (e.message || "unknown error")));
      if (e.line) body.append(el("button", { type: "button", class: "link", onclick: () => goTo(e.line) }, "Show line " + e.line));
    } else if (!findings.length) {
      body.append(el("p", {}, "No findings: every rule in force is met."));
    }
    for (const level of SEVERITIES) {
      const these = findings.filter(f => f.severity === level);
      if (!these.length) continue;
      body.append(el("h4", { class: "severity " + level }, plural(these.length, level === "info" ? "note" : level)));
      body.append(el("ul", { class: "finding-list" }, these.map(f =>
        el("li", {},
          el("button", { type: "button", class: "finding " + level, "data-line": f.line || null,
                         "aria-label": "Line " + (f.line || "?") + ", " + level + " " + f.rule_id + ": " + f.message +
                                       " Show in the record.",
                         onclick: () => goTo(f.line) },
             el("span", { class: "where" }, f.line ? "line " + f.line : "record"),
             el("span", { class: "rule" }, f.rule_id || "(no id)"),
             f.citation ? el("span", { class: "citation" }, f.citation) : null,
             el("span", { class: "text" }, f.message))))));
    }

    const actions = el("div", { class: "actions" });
    if (record && (result.status === "compliant" || result.status === "not-compliant")) {
      const draft = result.status !== "compliant";
      actions.append(el("button", { type: "button", class: draft ? "secondary" : "",
                                    onclick: () => download(record, draft, actions) },
                        draft ? "Download draft" : "Download PDF"));
    }
    return el("article", { class: "card record", "aria-label": (result.file || "record") + ": " + (STATUS_TEXT[result.status] || "") },
      head, el("div", { class: "record-body" }, el("div", {}, body, actions), xml));
  }

  // The record's XML, one list item per line, the lines with findings marked.
  function xmlView(text, marks, lineId) {
    const lines = text.replace(/\r\n?/g, "\n").split("\n");
    if (lines.length && lines[lines.length - 1] === "") lines.pop();
    const list = el("ol", { class: "xml", "aria-label": "The record's XML" });
    lines.forEach((t, i) => {
      const n = i + 1;
      const mark = marks.get(n);
      list.append(el("li", { id: lineId(n), class: mark ? "marked " + mark : null, tabindex: "-1", "data-line": n },
        mark ? el("span", { class: "visually-hidden" }, mark + " on this line: ") : null,
        el("code", {}, t || " ")));
    });
    return el("div", { class: "xml-frame", tabindex: "0", role: "region", "aria-label": "Record XML" }, list);
  }

  async function download(record, draft, actions) {
    const note = actions.querySelector(".message") || actions.appendChild(el("p", { class: "message", role: "status" }));
    note.textContent = "Rendering…";
    try {
      const answer = await api("POST", "/v1/render" + (draft ? "?draft=true" : ""), recordsForm([record]));
      if (!answer.ok) { note.textContent = await problem(answer); return; }
      await saveAnswer(answer, "record.pdf");
      note.textContent = draft ? "Draft downloaded." : "PDF downloaded.";
    } catch (e) {
      if (!(e instanceof refused)) note.textContent = e.message;
    }
  }

  // ---- what is due ---------------------------------------------------------------------------------------

  let dueRecords = [];
  let dueAnswer = null;

  function dueQuery(extra) {
    const q = new URLSearchParams();
    q.set("as_of", $("due-as-of").value);
    q.set("within", $("due-within").value);
    for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
    return "/v1/due?" + q.toString();
  }

  async function runDue(event) {
    if (event) event.preventDefault();
    if (!dueRecords.length) return say("due-message", "Choose the caseload's record files first.", "bad");
    say("due-message", "Working out what is due in " + plural(dueRecords.length, "record") + "…");
    let answer;
    try {
      answer = await api("POST", dueQuery({ format: "json" }), recordsForm(dueRecords));
    } catch (e) {
      if (!(e instanceof refused)) say("due-message", e.message, "bad");
      return;
    }
    // 422: some records could not be read; the others' items are still there.
    if (!answer.ok && !(answer.status === 422 && isJson(answer))) return say("due-message", await problem(answer), "bad");
    dueAnswer = await answer.json();
    if (!Array.isArray(dueAnswer.items)) return say("due-message", await problem(answer), "bad");
    fillFilter("due-worker", "All workers", dueAnswer.items.map(i => i.worker));
    fillFilter("due-office", "All offices", dueAnswer.items.map(i => i.office));
    $("due-output").hidden = false;
    const problems = (dueAnswer.summary && dueAnswer.summary.not_checked) || [];
    const unread = problems.length ? " Not read, so missing from the list: " +
      problems.map(p => p.file + (p.line ? ":" + p.line : "") + " (" + p.message + ")").join("; ") + "." : "";
    say("due-message", plural(dueAnswer.items.length, "item") + " as of " + dueAnswer.as_of + "." + unread,
        unread ? "bad" : "");
    showDue();
  }

  function fillFilter(id, all, values) {
    const select = $(id);
    const keep = select.value;
    select.replaceChildren(el("option", { value: "" }, all));
    for (const v of Array.from(new Set(values.filter(Boolean))).sort()) select.append(el("option", { value: v }, v));
    select.value = Array.from(select.options).some(o => o.value === keep) ? keep : "";
  }

  function showDue() {
    if (!dueAnswer) return;
    const worker = $("due-worker").value, office = $("due-office").value;
    const items = dueAnswer.items.filter(i => (!worker || i.worker === worker) && (!office || i.office === office));
    const byWorker = new Map();
    for (const i of items) {
      if (!byWorker.has(i.worker)) byWorker.set(i.worker, []);
      byWorker.get(i.worker).push(i);
    }
    const overdue = items.filter(i => i.days_left < 0).length;
    $("due-summary").textContent = plural(items.length, "item") + (overdue ? ", " + overdue + " overdue" : "") +
      (byWorker.size ? " for " + plural(byWorker.size, "worker") : "") + ".";
    $("due-ics").disabled = !worker;
    $("due-ics").title = worker ? "" : "Choose a worker first";
    const list = $("due-list");
    list.replaceChildren();
    for (const w of Array.from(byWorker.keys()).sort()) {
      const rows = byWorker.get(w).slice().sort((a, b) => a.days_left - b.days_left || a.due.localeCompare(b.due) ||
                                                          a.record_id.localeCompare(b.record_id));
      const late = rows.filter(i => i.days_left < 0).length;
      list.append(el("section", { class: "card worker", "aria-label": "Worker " + (w || "unassigned") },
        el("h3", {}, "Worker " + (w || "(none)"), el("span", { class: "count" },
           plural(rows.length, "item") + (late ? ", " + late + " overdue" : ""))),
        el("div", { class: "table-frame" }, el("table", { class: "due-table stack" },
          el("thead", {}, el("tr", {}, ["Due", "Time left", "What", "Rule", "Record", "Office"].map(h => el("th", { scope: "col" }, h)))),
          el("tbody", {}, rows.map(i => el("tr", { class: i.days_left < 0 ? "overdue" : null },
            el("td", { class: "date" }, i.due),
            el("td", { class: "num", "data-days": i.days_left }, daysText(i.days_left)),
            el("td", {}, i.title, i.anchor ? el("div", { class: "sub" }, "from " + anchorText(i.anchor)) : null,
               i.extension ? el("div", { class: "sub" }, "extended: " + extensionText(i.extension)) : null),
            el("td", {}, el("span", { class: "rule" }, i.rule_id), el("div", { class: "sub" }, i.citation || "")),
            el("td", {}, i.record_id, el("div", { class: "sub" }, (i.file || "") + (i.line ? ":" + i.line : ""))),
            el("td", { "data-label": "Office" }, i.office || ""))))))));
    }
  }

  function daysText(n) {
    if (n < 0) return plural(-n, "day") + " overdue";
    return n === 0 ? "due today" : plural(n, "day") + " left";
  }

  // The anchor and the extension are text in the contract; an object is shown by its values.
  function anchorText(x) {
    if (x && typeof x === "object") return Object.values(x).filter(v => typeof v !== "object").join(" ");
    return String(x);
  }

  function extensionText(x) {
    if (typeof x === "string") return x;
    if (x && typeof x === "object") return [x.until && "until " + x.until, x.reason].filter(Boolean).join(", ");
    return "";
  }

  async function dueDownload(format, fallback) {
    const worker = $("due-worker").value, office = $("due-office").value;
    say("due-message", "Preparing the " + (format === "ics" ? "calendar" : "worklist") + "…");
    try {
      const answer = await api("POST", dueQuery({ format, worker, office }), recordsForm(dueRecords));
      if (!answer.ok && (answer.status !== 422 || isJson(answer))) return say("due-message", await problem(answer), "bad");
      await saveAnswer(answer, fallback);
      say("due-message", (format === "ics" ? "Calendar" : "Worklist") + " downloaded.");
    } catch (e) {
      if (!(e instanceof refused)) say("due-message", e.message, "bad");
    }
  }

  // ---- rules in force ------------------------------------------------------------------------------------

  let rulesLoaded = null;

  async function loadRules() {
    if (rulesLoaded) return;
    say("rules-message", "Loading the rules…");
    let answer;
    try {
      answer = await api("GET", "/v1/rules");
    } catch (e) {
      if (!(e instanceof refused)) say("rules-message", e.message, "bad");
      return;
    }
    if (!answer.ok) return say("rules-message", await problem(answer), "bad");
    rulesLoaded = await answer.json();
    const select = $("rules-setting");
    select.replaceChildren(...rulesLoaded.map(s => el("option", { value: s.setting }, s.name + " (" + s.setting + ")")));
    say("rules-message", "");
    showRules();
  }

  function ruleRows(rules, words) {
    return rules.filter(r => !words || [r.rule_id, r.citation, r.title, r.severity].join(" ").toLowerCase().includes(words))
      .map(r => el("tr", {},
        el("td", {}, el("span", { class: "rule" }, r.rule_id || "(no id)")),
        el("td", {}, el("span", { class: "severity-tag " + r.severity }, r.severity)),
        el("td", {}, r.title || ""),
        el("td", { class: "citation-cell" }, r.citation || "")));
  }

  function ruleTable(caption, rows) {
    return el("div", { class: "table-frame" }, el("table", { class: "rules-table stack" },
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, ["Rule", "Severity", "What it checks", "Citation"].map(h => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows)));
  }

  function showRules() {
    if (!rulesLoaded) return;
    const setting = rulesLoaded.find(s => s.setting === $("rules-setting").value) || rulesLoaded[0];
    const list = $("rules-list");
    list.replaceChildren();
    if (!setting) return list.append(el("p", {}, "Your token gives no setting."));
    const words = $("rules-filter").value.trim().toLowerCase();
    for (const s of setting.schemas) {
      const from = s.effective_from || "the start", to = s.effective_to || "no end date";
      const rows = ruleRows(s.rules.filter(r => r.rule_id), words);
      list.append(el("section", { class: "card schema" },
        el("h3", {}, s.title || setting.name, " ", el("span", { class: "count" }, "version " + s.version),
           (!s.effective_from || s.effective_from <= today()) && (!s.effective_to || today() <= s.effective_to)
             ? el("span", { class: "status compliant small" }, "in force today") : null),
        el("p", { class: "ids" }, "In force from " + from + " to " + to + " · for " + s.document_types.join(", ")),
        rows.length ? ruleTable(plural(rows.length, "rule") + " of version " + s.version, rows)
                    : el("p", {}, "No rule matches.")));
    }
    const native = ruleRows(setting.native_checks, words);
    if (native.length)
      list.append(el("section", { class: "card schema" },
        el("h3", {}, "Checks built into the " + setting.name + " plugin"),
        el("p", { class: "ids" }, "In force with every version above"),
        ruleTable(plural(native.length, "check"), native)));
  }

  // ---- wiring --------------------------------------------------------------------------------------------

  function today() {
    const d = new Date();
    const pad = x => String(x).padStart(2, "0");
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("sign-in-form").addEventListener("submit", signIn);
    $("sign-out").addEventListener("click", () => signOut(""));
    for (const t of tabs()) t.addEventListener("click", () => selectTab(t, false));
    $("tabs").addEventListener("keydown", tabKeys);

    dropZone($("check-drop"), $("check-files"), async files => {
      try {
        checkRecords(await readFiles(files));
      } catch (e) {
        say("check-message", e.message, "bad");
      }
    });
    $("check-paste-go").addEventListener("click", () => {
      const text = $("check-paste").value;
      if (!text.trim()) return say("check-message", "Paste a record's XML first.", "bad");
      checkRecords([{ name: "pasted-record.xml", text }]);
    });

    $("due-as-of").value = today();
    dropZone($("due-drop"), $("due-files"), async files => {
      try {
        dueRecords = await readFiles(files);
        say("due-message", plural(dueRecords.length, "record") + " ready.");
      } catch (e) {
        dueRecords = [];
        say("due-message", e.message, "bad");
      }
    });
    $("due-form").addEventListener("submit", runDue);
    $("due-worker").addEventListener("change", showDue);
    $("due-office").addEventListener("change", showDue);
    $("due-ics").addEventListener("click", () => dueDownload("ics", $("due-worker").value + ".ics"));
    $("due-pdf").addEventListener("click", () => dueDownload("pdf", "worklist.pdf"));

    $("rules-setting").addEventListener("change", showRules);
    $("rules-filter").addEventListener("input", showRules);

    showApp(Boolean(token()));
    if (token()) selectTab($("tab-check"), false);
    else $("token").focus();
  });
})();
