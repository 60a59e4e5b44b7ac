// The hand-off page's transcript, kept up to date without a reload: every few
// seconds it asks the console for the conversation (same origin, the session
// cookie) and shows any new lines. Text is set as text, never as HTML.
(function () {
  "use strict";
  var POLL_MS = 2000;
  var list = document.getElementById("transcript");
  if (!list || !list.dataset.poll) return;

  // As author_label in staff_console/app.py.
  var DELIVERY = { pending: "not delivered yet", failed: "could not be delivered" };

  function label(line) {
    var who = line.speaker === "staff" ? line.staff_name + " (staff)"
      : line.speaker === "user" ? "Patient" : "Assistant";
    return DELIVERY[line.delivery] ? who + ", " + DELIVERY[line.delivery] : who;
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
    li.dir = "auto"; // Urdu reads right to left, English left to right
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = label(line) + when(line.sent_at);
    li.appendChild(who);
    li.appendChild(document.createTextNode(line.text));
    return li;
  }

  var drawn = "";  // the first answer redraws the page's list once; later ones when it changed

  function show(lines) {
    var now = JSON.stringify(lines);
    if (now === drawn) return;
    drawn = now;
    list.textContent = "";
    for (var i = 0; i < lines.length; i++) list.appendChild(item(lines[i]));
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
