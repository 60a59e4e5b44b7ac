// Mounts rasa-webchat (the UMD bundle `make webchat` copies to /static/vendor/) into #chat.
"use strict";

(function () {
  const mount = document.getElementById("chat");

  window.WebChat.default(
    {
      socketUrl: mount.dataset.socketUrl,
      socketPath: mount.dataset.socketPath,
      // Embedded: always open in the page (the widget then shows no header of its own).
      embedded: true,
      initPayload: "/greet",
      inputTextFieldHint: "Type your question…",
      // Keep the widget on screen while (re)connecting, rather than leaving an empty page.
      hideWhenNotConnected: false,
      // The conversation and its Rasa session id survive reloads and closing the tab.
      params: { storage: "local" },
      // A short, fixed pause: long answers would otherwise keep the visitor waiting seconds.
      customMessageDelay: () => 400,
    },
    mount,
  );

  // rasa-webchat renders quick replies as clickable <div>s and leaves the message
  // box and send button unnamed; this gives them the roles, names and keyboard
  // handling that screen readers and keyboard users need, as the widget re-renders.
  function makeAccessible() {
    const log = mount.querySelector(".rw-messages-container:not([role])");
    if (log) {
      log.setAttribute("role", "log");
      log.setAttribute("aria-label", "Conversation");
    }
    mount.querySelector(".rw-new-message")?.setAttribute("aria-label", "Your message");
    mount.querySelector(".rw-send")?.setAttribute("aria-label", "Send");
    for (const reply of mount.querySelectorAll(".rw-reply:not([role])")) {
      reply.setAttribute("role", "button");
      reply.tabIndex = 0;
      reply.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          reply.click();
        }
      });
    }
  }
  new MutationObserver(makeAccessible).observe(mount, { childList: true, subtree: true });
})();
