// New appointment: the client search refreshes its matches as the desk types (the same
// fragment the Find button would show), and the first error is brought into view.
"use strict";

(() => {
  const error = document.getElementById("new-error");
  if (error) error.focus();
  const field = document.getElementById("client-search");
  const box = document.getElementById("client-matches");
  if (!field || !box) return;
  let timer = null;
  let asked = "";
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const query = field.value.trim();
      if (query === asked) return;
      asked = query;
      const response = await fetch(`${box.dataset.url}?${new URLSearchParams({ q: query })}`);
      if (!response.ok || query !== field.value.trim()) return;
      const checked = box.querySelector("input:checked");
      box.innerHTML = await response.text();
      if (checked) {
        const again = box.querySelector(`input[value="${checked.value}"]`);
        if (again) again.checked = true;
      }
    }, 250);
  });
  // Enter in the search field looks clients up here instead of leaving the form.
  field.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      field.dispatchEvent(new Event("input"));
    }
  });
})();
