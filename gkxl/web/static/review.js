// gkxl serve: the office's 审核 (通过/退回/重新开放) sent in the background, the 审核人 name asked once per browser,
// copy buttons for each unit's link and the 催报 list. An enhancement only: without it the forms post and the page
// comes back, each form with its own 审核人 field.
(function () {
  "use strict";
  var body = document.body;
  if (body.getAttribute("data-page") !== "office") { return; }
  var KEY = "gkxl-reviewer";
  var board = document.getElementById("board");
  var nameInput = document.getElementById("reviewer-name");
  body.classList.add("js");

  function stored() {
    try { return window.localStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }
  function store(name) {
    try { window.localStorage.setItem(KEY, name); } catch (e) { /* private mode: asked again next time */ }
  }
  nameInput.value = stored();
  nameInput.addEventListener("change", function () { store(nameInput.value.trim()); });

  function absolutize() {
    board.querySelectorAll("input.link-text[data-path]").forEach(function (input) {
      input.value = window.location.origin + input.getAttribute("data-path");
    });
  }
  absolutize();
  new MutationObserver(absolutize).observe(board, {childList: true});  // the board is redrawn as units upload

  function copy(text, button) {
    function done() { var old = button.textContent; button.textContent = "已复制"; window.setTimeout(function () { button.textContent = old; }, 1500); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selectable */ }
    document.body.removeChild(area);
  }

  function redraw(done) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", body.getAttribute("data-board"));
    xhr.onload = function () {
      if (xhr.status === 200) { board.innerHTML = xhr.responseText; absolutize(); }   // escaped by the server
      if (done) { done(); }
    };
    xhr.send();
  }

  board.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-copy]");
    if (!button) { return; }
    if (button.getAttribute("data-copy") === "link") {
      copy(button.parentNode.querySelector("input.link-text").value, button);
    } else {
      copy(document.getElementById("chase-text").value, button);
    }
  });

  board.addEventListener("submit", function (e) {
    var form = e.target.closest("form.review-form");
    if (!form) { return; }
    e.preventDefault();
    var message = form.querySelector(".review-message");
    var name = nameInput.value.trim() || stored();
    if (!name) {
      message.textContent = "请先在页面上方填写审核人姓名（本浏览器只需填写一次）。";
      nameInput.focus();
      return;
    }
    store(name);
    var verdict = e.submitter ? e.submitter.value : "";
    var data = new URLSearchParams();
    ["csrf", "unit", "sha256", "opinion"].forEach(function (k) { data.append(k, form.elements[k].value); });
    data.append("verdict", verdict);
    data.append("reviewer", name);
    message.textContent = "正在提交……";
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    xhr.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
    xhr.setRequestHeader("X-Requested-With", "gkxl");
    xhr.onload = function () {
      var doc = null;
      try { doc = JSON.parse(xhr.responseText); } catch (err) { doc = null; }
      if (doc && doc.ok) {
        redraw(function () {
          var live = document.getElementById("live");
          if (live) { live.textContent = doc.message; }
        });
      } else {
        message.textContent = (doc && doc.message) || ("操作失败（" + xhr.status + "），请重试。");
      }
    };
    xhr.onerror = function () { message.textContent = "无法连接到服务器，请重试。"; };
    xhr.send(data.toString());
  });
})();
