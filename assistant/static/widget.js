/*
 * Citizen chat widget for the plan assistant.
 *
 *   <script src="http://127.0.0.1:8000/widget.js" data-api="http://127.0.0.1:8000"
 *           data-title="Trợ lý ảo chuyển đổi số"></script>
 *
 * Adds a chat button and panel to any page, isolated in a shadow DOM (the host page's CSS cannot
 * reach it, ours cannot leak out). Answers stream from POST {api}/v1/ask/stream (server-sent
 * events read with fetch + ReadableStream); numbered citations open the quoted passage; thumbs
 * up/down post to {api}/v1/feedback; the session lives in localStorage. Untrusted text (answers,
 * quotes, titles) is only ever set with textContent.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__planAssistantWidget) return;
  window.__planAssistantWidget = true;

  var API = (script.getAttribute("data-api") || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var TITLE = script.getAttribute("data-title") || "Trợ lý ảo chuyển đổi số";
  // starter questions: the page's own (data-suggestions="a|b|c"), else built by the server from
  // the documents it holds (GET /v1/suggestions), so they always fit the plans being served
  var SUGGESTIONS = (script.getAttribute("data-suggestions") || "").split("|").filter(Boolean);
  var STORE_KEY = "plan-assistant:" + API;
  var MAX_STORED = 40;

  var CSS = [
    ":host{all:initial}",
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}",
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;display:flex;align-items:center;gap:8px;",
    " border:0;border-radius:28px;padding:14px 18px;background:#b3261e;color:#fff;font-size:16px;font-weight:600;",
    " box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}",
    ".launcher:focus-visible,button:focus-visible,textarea:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}",
    ".panel{position:fixed;right:20px;bottom:88px;z-index:2147483001;width:400px;max-width:calc(100vw - 24px);",
    " height:600px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:#fff;color:#1f1f1f;",
    " border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.3);overflow:hidden;font-size:15px;line-height:1.5}",
    ".panel[hidden]{display:none}",
    "header{display:flex;align-items:center;gap:6px;padding:12px 14px;background:#b3261e;color:#fff}",
    "header h2{flex:1;margin:0;font-size:16px;font-weight:600}",
    "header button{background:transparent;border:0;color:#fff;font-size:14px;cursor:pointer;padding:6px 8px;border-radius:6px}",
    "header button:hover{background:rgba(255,255,255,.15)}",
    ".log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px;background:#f7f7f8}",
    ".msg{max-width:88%;min-width:0;padding:10px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}",
    ".user{align-self:flex-end;background:#b3261e;color:#fff;border-bottom-right-radius:4px}",
    ".bot{align-self:flex-start;background:#fff;border:1px solid #e3e3e3;border-bottom-left-radius:4px}",
    ".bot.abstained{background:#fffbea;border-color:#f1dc8a}",
    ".bot.error{background:#fdecea;border-color:#f5c2bd}",
    ".cite{display:inline;border:0;background:#e8f0fe;color:#1a56c4;border-radius:4px;padding:0 4px;margin:0 1px;",
    " font-size:13px;font-weight:600;cursor:pointer;vertical-align:baseline}",
    ".sources{margin:8px 0 0;padding:4px 0 0;border-top:1px solid #eee;font-size:13px}",
    ".sources summary{cursor:pointer;color:#1a56c4;font-weight:600;padding:4px 0}",
    ".src-doc{margin:4px 0 6px}",
    ".src-label{color:#444;font-weight:600}",
    ".sources ul{list-style:none;margin:0;padding:0 0 0 4px}",
    ".sources li{margin:2px 0}",
    ".sources button{border:0;background:none;color:#1a56c4;text-align:left;cursor:pointer;padding:2px 0;font-size:13px;",
    " overflow-wrap:anywhere}",
    ".rate{display:flex;gap:6px;align-items:center;margin-top:8px;font-size:13px;color:#555}",
    ".rate button{display:inline-flex;align-items:center;border:1px solid #ddd;background:#fff;color:#555;border-radius:16px;padding:3px 10px;cursor:pointer}",
    ".rate button[aria-pressed=true]{background:#e6f4ea;border-color:#34a853;color:#1e7e34}",
    ".chips{display:flex;flex-wrap:wrap;gap:6px;padding:8px 14px 0;background:#f7f7f8}",
    ".chips button{border:1px solid #d0d7e2;background:#fff;color:#1a56c4;border-radius:16px;padding:6px 10px;",
    " font-size:13px;cursor:pointer;text-align:left}",
    "form{display:flex;gap:8px;padding:10px 14px 14px;background:#f7f7f8;border-top:1px solid #eee}",
    "textarea{flex:1;resize:none;border:1px solid #ccc;border-radius:10px;padding:9px 10px;font-size:15px;height:44px;max-height:120px}",
    "form button{border:0;border-radius:10px;background:#b3261e;color:#fff;padding:0 16px;font-size:15px;font-weight:600;cursor:pointer}",
    "form button:disabled{opacity:.55;cursor:default}",
    ".passage{position:absolute;inset:0;background:#fff;display:flex;flex-direction:column;z-index:2}",
    ".passage[hidden]{display:none}",
    ".passage .body{padding:14px;overflow-y:auto;flex:1}",
    ".passage h3{margin:0 0 6px;font-size:15px}",
    ".passage .section{margin:0 0 10px;color:#555;font-size:13px}",
    ".passage blockquote{margin:0;padding:10px 12px;border-left:4px solid #b3261e;background:#fafafa;white-space:pre-wrap}",
    ".passage .meta{margin-top:10px;color:#666;font-size:12px}",
    ".sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    "@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}",
    " .launcher{right:12px;bottom:12px}}",
    "@media (prefers-reduced-motion:no-preference){.msg{animation:fade .15s ease-out}}",
    "@keyframes fade{from{opacity:0;transform:translateY(4px)}to{opacity:1}}"
  ].join("\n");

  // ---- state ---------------------------------------------------------------------------------
  var session = load();
  function load() {
    try {
      var s = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
      if (s && Array.isArray(s.messages)) return s;
    } catch (e) { /* storage blocked or corrupt: start fresh */ }
    return { conversation_id: null, messages: [] };
  }
  function save() {
    session.messages = session.messages.slice(-MAX_STORED);
    try { localStorage.setItem(STORE_KEY, JSON.stringify(session)); } catch (e) { /* private mode */ }
  }

  // ---- DOM -----------------------------------------------------------------------------------
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  // Inline SVG icons: emoji fonts are missing on many kiosks and servers.
  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z",
    up: "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 7.9 6 8.4 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z",
    down: "M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1 6.6-6.6c.4-.3.6-.8.6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z"
  };
  function icon(name) {
    var NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24"); svg.setAttribute("width", "18"); svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true"); svg.setAttribute("focusable", "false");
    var path = document.createElementNS(NS, "path");
    path.setAttribute("d", ICONS[name]); path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  var host = el("div", { id: "plan-assistant-widget" });
  document.body.appendChild(host);
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("style", {}, CSS));

  var launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false",
    "aria-controls": "pa-panel", "aria-label": "Mở trợ lý hỏi đáp: " + TITLE });
  launcher.appendChild(icon("chat"));
  launcher.appendChild(el("span", {}, "Hỏi trợ lý"));

  var panel = el("section", { class: "panel", id: "pa-panel", role: "dialog", "aria-modal": "false",
    "aria-labelledby": "pa-title", hidden: "" });
  var header = el("header");
  header.appendChild(el("h2", { id: "pa-title" }, TITLE));
  var newBtn = el("button", { type: "button", "aria-label": "Bắt đầu cuộc trò chuyện mới" }, "Mới");
  var closeBtn = el("button", { type: "button", "aria-label": "Đóng trợ lý" }, "✕");
  header.appendChild(newBtn);
  header.appendChild(closeBtn);

  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Nội dung trò chuyện", tabindex: "0" });
  var chips = el("div", { class: "chips", role: "group", "aria-label": "Câu hỏi gợi ý" });
  var form = el("form", { "aria-label": "Gửi câu hỏi" });
  var label = el("label", { for: "pa-input", class: "sr-only" }, "Câu hỏi của bạn");
  var input = el("textarea", { id: "pa-input", rows: "1", maxlength: "2000",
    placeholder: "Nhập câu hỏi về kế hoạch chuyển đổi số…" });
  var send = el("button", { type: "submit" }, "Gửi");
  form.appendChild(label); form.appendChild(input); form.appendChild(send);

  var passage = el("div", { class: "passage", role: "region", "aria-labelledby": "pa-passage-title", hidden: "" });
  var pHead = el("header");
  var pTitle = el("h2", { id: "pa-passage-title", tabindex: "-1" }, "Trích dẫn");
  var pBack = el("button", { type: "button", "aria-label": "Đóng trích dẫn, quay lại trò chuyện" }, "← Quay lại");
  pHead.appendChild(pTitle); pHead.appendChild(pBack);
  var pBody = el("div", { class: "body" });
  passage.appendChild(pHead); passage.appendChild(pBody);

  panel.appendChild(header); panel.appendChild(log); panel.appendChild(chips); panel.appendChild(form);
  panel.appendChild(passage);
  root.appendChild(panel);
  root.appendChild(launcher);

  // ---- rendering -----------------------------------------------------------------------------
  function showChips(list) {
    chips.textContent = "";
    (list || []).slice(0, 3).forEach(function (q) {
      var b = el("button", { type: "button" }, q);
      b.addEventListener("click", function () { ask(q); });
      chips.appendChild(b);
    });
    chips.hidden = !chips.childNodes.length;
  }

  function openPassage(c, opener) {
    pBody.textContent = "";
    pTitle.textContent = "Trích dẫn [" + c.n + "]";
    pBody.appendChild(el("h3", {}, c.title || c.doc_id));
    if (c.section) pBody.appendChild(el("p", { class: "section" }, "Mục: " + c.section));
    pBody.appendChild(el("blockquote", {}, c.quote || ""));
    pBody.appendChild(el("p", { class: "meta" }, "Văn bản: " + c.doc_id + " · vị trí " + c.start + "–" + c.end));
    passage.hidden = false;
    passage._opener = opener;
    pTitle.focus();
  }
  function closePassage() {
    passage.hidden = true;
    if (passage._opener && passage._opener.isConnected) passage._opener.focus(); else input.focus();
  }

  function clip(t, n) { return t.length > n ? t.slice(0, n - 1).replace(/\s+\S*$/, "") + "…" : t; }
  // The last two levels of a long section path ("A › B › C › D" -> "… › C › D") fit a source line.
  function lastParts(path) {
    var parts = path.split(" › ");
    return parts.length > 2 ? "… › " + parts.slice(-2).join(" › ") : path;
  }

  function citeButton(c) {
    var b = el("button", { type: "button", class: "cite",
      "aria-label": "Trích dẫn " + c.n + ": " + (c.title || c.doc_id) + (c.section ? ", " + c.section : "") }, "[" + c.n + "]");
    b.addEventListener("click", function () { openPassage(c, b); });
    return b;
  }

  // Answer text with "[n]" markers turned into citation buttons, then a numbered source list.
  function renderAnswer(box, m) {
    box.textContent = "";
    var byN = {};
    (m.citations || []).forEach(function (c) { byN[c.n] = c; });
    var text = el("div", { class: "text" });
    var re = /\[(\d+)\]/g, last = 0, hit;
    while ((hit = re.exec(m.text)) !== null) {
      var c = byN[hit[1]];
      if (!c) continue;
      text.appendChild(document.createTextNode(m.text.slice(last, hit.index)));
      text.appendChild(citeButton(c));
      last = re.lastIndex;
    }
    text.appendChild(document.createTextNode(m.text.slice(last)));
    box.appendChild(text);
    if (m.citations && m.citations.length) box.appendChild(sourceList(m.citations));
    if (m.answer_id) box.appendChild(rating(m));
  }

  // Sources under a collapsed "Nguồn (N)", grouped by document: one short label per document
  // (number and date), then its passages by section. A phone shows the answer, not N titles.
  function sourceList(citations) {
    var details = el("details", { class: "sources" });
    details.appendChild(el("summary", {}, "Nguồn (" + citations.length + ")"));
    var groups = [], byDoc = {};
    citations.forEach(function (c) {
      if (!byDoc[c.doc_id]) { byDoc[c.doc_id] = { first: c, items: [] }; groups.push(byDoc[c.doc_id]); }
      byDoc[c.doc_id].items.push(c);
    });
    groups.forEach(function (g) {
      var doc = el("div", { class: "src-doc" });
      doc.appendChild(el("div", { class: "src-label", "data-doc": g.first.doc_id, title: g.first.title || g.first.doc_id },
        docLabel(g.first)));
      var list = el("ul", { "aria-label": "Nguồn trích dẫn: " + (g.first.title || g.first.doc_id) });
      g.items.forEach(function (c) {
        var li = el("li");
        var b = el("button", { type: "button", "aria-label": "Xem trích dẫn " + c.n + ": " + (c.title || c.doc_id) +
          (c.section ? ", mục " + c.section : "") }, "[" + c.n + "] " + (c.section ? clip(lastParts(c.section), 70) : "Đầu văn bản"));
        b.addEventListener("click", function () { openPassage(c, b); });
        li.appendChild(b); list.appendChild(li);
      });
      doc.appendChild(list);
      details.appendChild(doc);
    });
    return details;
  }

  // Short document labels ("Kế hoạch 5046/KH-UBND, 29/12/2023") from /v1/documents, read once;
  // until they arrive (or if they cannot), a clipped title stands in.
  var docLabels = {};
  function docLabel(c) { return docLabels[c.doc_id] || clip(c.title || c.doc_id, 60); }
  function loadDocLabels() {
    fetch(API + "/v1/documents").then(function (res) { return res.ok ? res.json() : { documents: [] }; })
      .then(function (d) {
        (d.documents || []).forEach(function (doc) {
          var date = /^\d{4}-\d{2}-\d{2}$/.test(doc.issued || "") ? doc.issued.split("-").reverse().join("/") : "";
          var head = doc.number ? ((doc.doc_type ? doc.doc_type + " " : "") + doc.number) : clip(doc.title || doc.doc_id, 60);
          docLabels[doc.doc_id] = head + (date ? ", " + date : "");
        });
        root.querySelectorAll(".src-label[data-doc]").forEach(function (e) {
          var label = docLabels[e.getAttribute("data-doc")];
          if (label) e.textContent = label;
        });
      }).catch(function () { /* titles stay */ });
  }

  // Keep the start of a long answer in view: scrolling to the bottom would push its first
  // lines off a phone's screen.
  function reveal(box) {
    var top = box.getBoundingClientRect().top - log.getBoundingClientRect().top;
    if (box.offsetHeight > log.clientHeight - 16) log.scrollTop += top - 8;
    else log.scrollTop = log.scrollHeight;
  }

  function rating(m) {
    var wrap = el("div", { class: "rate", role: "group", "aria-label": "Đánh giá câu trả lời" });
    wrap.appendChild(el("span", {}, m.rating ? "Cảm ơn phản hồi của bạn!" : "Câu trả lời có hữu ích không?"));
    [["up", "Câu trả lời hữu ích"], ["down", "Câu trả lời chưa hữu ích"]].forEach(function (r) {
      var b = el("button", { type: "button", "aria-label": r[1], "aria-pressed": String(m.rating === r[0]) });
      b.appendChild(icon(r[0]));
      b.addEventListener("click", function () { rate(m, r[0], wrap); });
      wrap.appendChild(b);
    });
    return wrap;
  }

  function addMessage(m) {
    var box = el("div", { class: "msg " + (m.role === "user" ? "user" : "bot") +
      (m.abstained ? " abstained" : "") + (m.error ? " error" : "") });
    if (m.role === "user") {
      box.appendChild(el("span", { class: "sr-only" }, "Bạn hỏi: "));
      box.appendChild(document.createTextNode(m.text));
    } else renderAnswer(box, m);
    log.appendChild(box);
    log.scrollTop = log.scrollHeight;
    return box;
  }

  function renderAll() {
    log.textContent = "";
    addMessage({ role: "bot", text: "Xin chào! Tôi trả lời câu hỏi về các kế hoạch chuyển đổi số, " +
      "kèm trích dẫn văn bản gốc. Bạn muốn hỏi gì?" });
    session.messages.forEach(addMessage);
    var lastBot = session.messages.filter(function (m) { return m.role === "bot"; }).pop();
    if (lastBot && lastBot.suggestions && lastBot.suggestions.length) {
      showChips(lastBot.suggestions);
    } else if (SUGGESTIONS.length) {
      showChips(SUGGESTIONS);
    } else {
      fetch(API + "/v1/suggestions").then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (d) { SUGGESTIONS = (d.suggestions || []).slice(0, 3); showChips(SUGGESTIONS); })
        .catch(function () { showChips([]); });
    }
  }

  // ---- network -------------------------------------------------------------------------------
  function errorText(status, body, headers) {
    if (status === 429) {
      var wait = headers && headers.get("Retry-After");
      return "Bạn đã hỏi quá nhanh. Vui lòng thử lại sau " + (wait || "ít") + " giây.";
    }
    if (status === 503) return "Hệ thống đang cập nhật dữ liệu, vui lòng thử lại sau.";
    return (body && body.error && body.error.message) || "Đã có lỗi xảy ra (mã " + status + ").";
  }

  // Parse SSE blocks ("event: x\ndata: {...}\n\n") from a growing text buffer.
  function drain(buffer, onEvent) {
    var parts = buffer.split("\n\n");
    for (var i = 0; i < parts.length - 1; i++) {
      var name = "message", data = "";
      parts[i].split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) name = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
      });
      if (data) onEvent(name, JSON.parse(data));
    }
    return parts[parts.length - 1];
  }

  function streamAnswer(payload, onPiece) {
    return fetch(API + "/v1/ask/stream", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload) }).then(function (res) {
      if (!res.ok) {
        return res.json().catch(function () { return null; }).then(function (b) {
          throw new Error(errorText(res.status, b, res.headers));
        });
      }
      if (!res.body || !res.body.getReader) {  // no streams: read it whole
        return res.text().then(function (t) { var done; drain(t + "\n\n", function (n, d) {
          if (n === "answer") onPiece(d.text); else if (n === "done") done = d; }); return done; });
      }
      var reader = res.body.getReader(), decoder = new TextDecoder(), buf = "", final = null;
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) { if (!final) throw new Error("Kết nối bị ngắt giữa chừng."); return final; }
          buf = drain(buf + decoder.decode(r.value, { stream: true }), function (name, data) {
            if (name === "answer") onPiece(data.text);
            else if (name === "done") final = data;
            else if (name === "error") throw new Error((data.error && data.error.message) || "Lỗi máy chủ.");
          });
          return pump();
        });
      }
      return pump();
    });
  }

  var busy = false;
  function ask(q) {
    q = (q || "").trim();
    if (!q || busy) return;
    busy = true; send.disabled = true; input.value = "";
    showChips([]);
    var userMsg = { role: "user", text: q };
    session.messages.push(userMsg); addMessage(userMsg); save();
    var bot = { role: "bot", text: "" };
    var box = addMessage(bot);
    box.setAttribute("aria-busy", "true");
    var textNode = document.createTextNode("Đang tìm trong các kế hoạch…");
    box.textContent = ""; box.appendChild(textNode);
    var first = true;
    var payload = { q: q };
    if (session.conversation_id) payload.conversation_id = session.conversation_id;
    streamAnswer(payload, function (piece) {
      if (first) { textNode.nodeValue = ""; first = false; }
      textNode.nodeValue += piece;
      reveal(box);
    }).then(function (d) {
      session.conversation_id = d.conversation_id;
      bot = { role: "bot", text: d.answer, citations: d.citations, answer_id: d.id,
              abstained: d.abstained, suggestions: d.suggestions || [] };
      if (d.abstained) box.classList.add("abstained");
      renderAnswer(box, bot);
      session.messages.push(bot); save();
      showChips(bot.suggestions.length ? bot.suggestions : []);
    }).catch(function (err) {
      box.classList.add("error");
      box.textContent = err && err.message && !/fetch|network/i.test(err.message) ? err.message
        : "Không kết nối được máy chủ trợ lý. Vui lòng thử lại.";
    }).then(function () {
      box.setAttribute("aria-busy", "false");
      busy = false; send.disabled = false; input.focus();
      reveal(box);
    });
  }

  function rate(m, value, wrap) {
    fetch(API + "/v1/feedback", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ answer_id: m.answer_id, rating: value }) }).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      m.rating = value; save();
      wrap.replaceWith(rating(m));
    }).catch(function () {
      wrap.firstChild.textContent = "Chưa gửi được đánh giá, vui lòng thử lại.";
    });
  }

  // ---- open/close, keyboard ------------------------------------------------------------------
  function open() {
    panel.hidden = false; launcher.setAttribute("aria-expanded", "true");
    log.scrollTop = log.scrollHeight; input.focus();
  }
  function close() {
    passage.hidden = true; panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false"); launcher.focus();
  }
  launcher.addEventListener("click", function () { panel.hidden ? open() : close(); });
  closeBtn.addEventListener("click", close);
  pBack.addEventListener("click", closePassage);
  newBtn.addEventListener("click", function () {
    session = { conversation_id: null, messages: [] }; save(); renderAll(); input.focus();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); ask(input.value); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); ask(input.value); }
  });
  root.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    if (!passage.hidden) closePassage(); else if (!panel.hidden) close();
    e.stopPropagation();
  });

  renderAll();
  loadDocLabels();
})();
