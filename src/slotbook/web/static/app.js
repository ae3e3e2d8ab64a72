// Slotbook dashboard: the few behaviours plain HTML lacks. No inline scripts (the CSP forbids them).
"use strict";

// Phones: the menu folds behind a button. Marked before the first paint of the menu is hidden
// (the script is deferred, so the class arrives with it; without JavaScript the menu is open).
document.documentElement.classList.add("js");
(() => {
  const button = document.getElementById("menu-button");
  const panel = document.getElementById("menu-panel");
  if (!button || !panel) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = panel.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && panel.classList.contains("open")) {
      panel.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  if (!field) return;
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch (_error) {
    document.execCommand("copy"); // older browsers, or a page not served over HTTPS
  }
  const done = button.dataset.copied;
  if (done) {
    const label = button.textContent;
    button.textContent = done;
    setTimeout(() => { button.textContent = label; }, 2000);
  }
});

document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
