// The hand-off page's transcript, kept up to date without a reload: every few
// seconds it asks the console for the conversation (same origin, the session
// cookie) and shows any new lines. Text is set as text, never as HTML.
(function () {
  "use strict";
  var POLL_MS = 2000;
  var list = document.getElementById("transcript");
  if (!list || !list.dataset.poll) return;

  // As author_label and media_label in staff_console/app.py.
  var DELIVERY = { pending: "not delivered yet", failed: "could not be delivered" };
  var MEDIA = { image: "Photo", audio: "Voice note", video: "Video", document: "Document", sticker: "Sticker" };
  var MEDIA_STATUS = {
    pending: "being fetched from WhatsApp",
    failed: "could not be fetched from WhatsApp",
    too_large: "not kept: larger than the clinic's limit"
  };

  function mediaLabel(media) {
    var label = MEDIA[media.kind] || media.kind;
    return MEDIA_STATUS[media.status] ? label + ": " + MEDIA_STATUS[media.status] : label;
  }

  // A photo inline, a voice note with a player, anything else as a link; all from /media/ID.
  function mediaNode(media) {
    var src = "/media/" + media.id;
    var node;
    if (media.status !== "stored") {
      node = document.createElement("span");
      node.className = "media-missing";
      node.textContent = mediaLabel(media);
    } else if (media.kind === "image" || media.kind === "sticker") {
      node = document.createElement("a");
      node.href = src;
      var img = document.createElement("img");
      img.className = "media";
      img.src = src;
      img.alt = mediaLabel(media) + " from the patient";
      node.appendChild(img);
    } else if (media.kind === "audio") {
      node = document.createElement("audio");
      node.controls = true;
      node.preload = "none";
      node.src = src;
      node.textContent = mediaLabel(media);
    } else {
      node = document.createElement("a");
      node.href = src;
      node.textContent = mediaLabel(media) + ": " + (media.filename || media.mime_type);
    }
    return node;
  }

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

  // The buttons the bot offered, as in detail.html.
  function options(titles) {
    var box = document.createElement("span");
    box.className = "options";
    box.setAttribute("aria-label", "Options offered");
    for (var i = 0; i < titles.length; i++) {
      var option = document.createElement("span");
      option.className = "option";
      option.textContent = titles[i];
      box.appendChild(option);
    }
    return box;
  }

  function item(line) {
    var li = document.createElement("li");
    li.className = line.speaker;
    li.dir = "auto"; // Urdu reads right to left, English left to right
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = label(line) + when(line.sent_at);
    li.appendChild(who);
    li.appendChild(line.media ? mediaNode(line.media) : document.createTextNode(line.text));
    if (line.options && line.options.length) li.appendChild(options(line.options));
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
