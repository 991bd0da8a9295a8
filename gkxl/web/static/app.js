// gkxl serve: the unit's upload (file picker and drag and drop) and the office's live board. Plain JS, no library.
// An enhancement only: every page works without it (the upload form posts, the board shows on reload).
(function () {
  "use strict";
  var body = document.body;

  function uploadPage() {
    var input = document.getElementById("file");
    var drop = document.getElementById("drop");
    var progress = document.getElementById("progress");
    var verdict = document.getElementById("verdict");
    var uploads = document.getElementById("uploads");
    var max = parseInt(body.getAttribute("data-max"), 10);

    function say(text, bad) {
      progress.textContent = text;
      progress.className = "progress" + (bad ? " bad" : "");
    }

    function send(file) {
      if (!file) { return; }
      if (file.size > max) {
        say("文件超过上限，未上传：" + file.name, true);
        return;
      }
      say("正在上传并检查：" + file.name + " …", false);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", body.getAttribute("data-upload"));
      xhr.setRequestHeader("X-CSRF-Token", body.getAttribute("data-csrf"));
      xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.onload = function () {
        var doc = null;
        try { doc = JSON.parse(xhr.responseText); } catch (e) { doc = null; }
        if (doc && doc.ok) {
          verdict.innerHTML = doc.verdict_html;   // rendered by the server with every text escaped
          uploads.innerHTML = doc.uploads_html;
          var returned = document.getElementById("returned");  // a 退回 shows until a new upload
          if (returned) { returned.parentNode.removeChild(returned); }
          say("已收到并检查：" + file.name + "（" + doc.verdict + "）", false);
        } else {
          say((doc && doc.message) || ("上传失败（" + xhr.status + "），请重试。"), true);
        }
        input.value = "";
      };
      xhr.onerror = function () { say("上传失败：无法连接到服务器，请重试。", true); input.value = ""; };
      xhr.send(file);
    }

    // With script the file is sent as soon as it is chosen or dropped; without, the form posts it (same checks).
    body.classList.add("js");
    document.getElementById("upload-form").addEventListener("submit", function (e) {
      e.preventDefault();
      send(input.files[0]);
    });
    input.addEventListener("change", function () { send(input.files[0]); });
    ["dragenter", "dragover"].forEach(function (kind) {
      drop.addEventListener(kind, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (kind) {
      drop.addEventListener(kind, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) { send(e.dataTransfer.files[0]); }
    });
  }

  function officePage() {
    var version = body.getAttribute("data-version");
    var seconds = parseInt(body.getAttribute("data-poll"), 10) || 2;
    var live = document.getElementById("live");
    var board = document.getElementById("board");

    function get(url, done) {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", url);
      xhr.onload = function () {
        if (xhr.status === 200) { done(xhr.responseText); live.textContent = ""; }
        else { live.textContent = "（暂时无法更新）"; }
      };
      xhr.onerror = function () { live.textContent = "（与服务器的连接中断，恢复后自动更新）"; };
      xhr.send();
    }

    function poll() {
      get(body.getAttribute("data-status"), function (text) {
        var doc = JSON.parse(text);
        var current = String(doc.version) + "/" + String(doc.reviews || 0);  // uploads and the office's decisions
        if (current !== version) {
          get(body.getAttribute("data-board"), function (html) {
            var open = {};
            board.querySelectorAll("tr[data-unit] details[open]").forEach(function (d) {
              open[d.closest("tr").getAttribute("data-unit")] = true;
            });
            board.innerHTML = html;   // rendered by the server with every text escaped
            board.querySelectorAll("tr[data-unit]").forEach(function (tr) {
              var d = tr.querySelector("details");
              if (d && open[tr.getAttribute("data-unit")]) { d.open = true; }
            });
            version = current;
            body.setAttribute("data-version", version);
          });
        }
      });
    }
    window.setInterval(poll, seconds * 1000);
  }

  if (body.getAttribute("data-page") === "unit") { uploadPage(); }
  if (body.getAttribute("data-page") === "office") { officePage(); }
})();
