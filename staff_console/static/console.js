// The hand-off page's transcript, kept up to date without a reload: every few
// seconds it asks the console for the conversation (same origin, the session
// cookie) and shows any new lines. Text is set as text, never as HTML.
(function () {
  "use strict";
  var POLL_MS = 2000;
  var list = document.getElementById("transcript");
  if (!list || !list.dataset.poll) return;

  function label(line) {
    if (line.speaker === "staff") return line.staff_name + " (staff)";
    return line.speaker === "user" ? "Patient" : "Assistant";
  }

  function when(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return " · " + pad(d.getUTCDate()) + " " + months[d.getUTCMonth()] + " " + d.getUTCFullYear() +
      ", " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + " UTC";
  }

  function item(line) {
    var li = document.createElement("li");
    li.className = line.speaker;
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = label(line) + when(line.sent_at);
    li.appendChild(who);
    li.appendChild(document.createTextNode(line.text));
    return li;
  }

  function show(lines) {
    var shown = list.children.length;
    if (lines.length === shown) return;
    if (lines.length < shown) { list.textContent = ""; shown = 0; }
    for (var i = shown; i < lines.length; i++) list.appendChild(item(lines[i]));
    var empty = document.getElementById("no-messages");
    if (empty && lines.length) empty.remove();
  }

  function poll() {
    fetch(list.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (reply) { return reply.ok ? reply.json() : null; })
      .then(function (data) { if (data) show(data.lines); })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { setTimeout(poll, POLL_MS); });
  }
  setTimeout(poll, POLL_MS);
})();
