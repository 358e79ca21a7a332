// Progressive enhancement only: every form also works without this script.
(function () {
  "use strict";

  function flash(html, kind) {
    var box = document.getElementById("flash");
    if (!box) return;
    box.innerHTML = '<div class="alert ' + kind + '" role="alert"></div>';
    box.firstChild.innerHTML = html;
    box.scrollIntoView({ block: "nearest" });
  }

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function size(bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1048576) return (bytes / 1024).toFixed(0) + " KB";
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function listChosen(form) {
    var input = form.querySelector('input[type="file"]');
    var list = form.querySelector(".chosen");
    if (!input || !list) return;
    list.innerHTML = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + size(file.size) + ")";
      list.appendChild(item);
    });
  }

  function problemHtml(problem) {
    var html = "<strong>" + escapeText(problem.title || "The upload was refused") + ".</strong> " +
      escapeText(problem.detail || "");
    if (problem.documents && problem.documents.length) {
      html += "<ul>";
      problem.documents.forEach(function (d) {
        html += "<li><strong>" + escapeText(d.filename || "upload") + "</strong>: " +
          escapeText(d.detail) + " <code>" + escapeText(d.code) + "</code></li>";
      });
      html += "</ul>";
    }
    if (problem.code) html += ' <span class="small">(' + escapeText(problem.code) + ")</span>";
    return html;
  }

  function upload(form, event) {
    if (!window.FormData || !window.XMLHttpRequest) return;
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    var row = form.querySelector(".progress-row");
    var bar = form.querySelector("progress");
    var text = form.querySelector("[data-progress-text]");
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    var token = form.querySelector('input[name="csrf_token"]');
    if (token) request.setRequestHeader("X-CSRF-Token", token.value);
    if (button) button.disabled = true;
    if (row) row.hidden = false;
    if (bar) { bar.hidden = false; bar.value = 0; }
    request.upload.onprogress = function (e) {
      if (!e.lengthComputable || !bar) return;
      bar.value = Math.round((e.loaded / e.total) * 100);
      if (text) text.textContent = size(e.loaded) + " of " + size(e.total);
    };
    request.upload.onload = function () {
      if (text) text.textContent = "Uploaded; reading the documents…";
    };
    request.onload = function () {
      var body = null;
      try { body = JSON.parse(request.responseText); } catch (ignored) { body = null; }
      if (request.status === 202 && body && body.case_url) {
        window.location.assign(body.case_url);
        return;
      }
      if (button) button.disabled = false;
      if (row) row.hidden = true;
      flash(problemHtml(body || { title: "The upload failed", detail: "HTTP " + request.status }), "error");
    };
    request.onerror = function () {
      if (button) button.disabled = false;
      flash("<strong>The upload did not reach the server.</strong> Check the connection and try again; nothing was stored.", "error");
    };
    request.send(new FormData(form));
  }

  function setUp() {
    document.querySelectorAll("form[data-upload]").forEach(function (form) {
      form.addEventListener("submit", function (event) { upload(form, event); });
      var input = form.querySelector('input[type="file"]');
      if (input) input.addEventListener("change", function () { listChosen(form); });
      var zone = form.querySelector("[data-dropzone]");
      if (!zone || !input) return;
      ["dragenter", "dragover"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
      });
      zone.addEventListener("drop", function (e) {
        if (e.dataTransfer && e.dataTransfer.files.length) {
          input.files = e.dataTransfer.files;
          listChosen(form);
        }
      });
    });
    document.querySelectorAll(".checklist[data-case]").forEach(function (list) {
      var key = "triage-checklist-" + list.getAttribute("data-case");
      var ticked = {};
      try { ticked = JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (ignored) { ticked = {}; }
      list.querySelectorAll("input[data-key]").forEach(function (box) {
        box.checked = !!ticked[box.getAttribute("data-key")];
        box.addEventListener("change", function () {
          ticked[box.getAttribute("data-key")] = box.checked;
          try { window.localStorage.setItem(key, JSON.stringify(ticked)); } catch (ignored) { /* private mode */ }
        });
      });
    });
    var quote = document.getElementById("quote");
    if (quote) { quote.scrollIntoView({ block: "center" }); quote.focus({ preventScroll: true }); }
  }

  document.addEventListener("DOMContentLoaded", setUp);
  // A refusal (4xx) comes as a fragment aimed at the flash area: show it, don't drop it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status >= 400 && status < 500) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("form[data-upload]:not([data-ready])").forEach(function (form) {
      form.setAttribute("data-ready", "1");
    });
  });
})();
