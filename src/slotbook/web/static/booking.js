// The public booking page: what plain HTML cannot do. Everything works without it.
"use strict";

(() => {
  const select = document.getElementById("tz");
  // Only on a page the visitor opened (not a form shown again with its errors).
  if (!select || select.dataset.detect !== "1") return;
  // The visitor's own time zone, detected once: when the address names none, show the times
  // in it (the server checks the name against its list of IANA zones).
  const params = new URLSearchParams(window.location.search);
  let detected = "";
  try {
    detected = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (_error) {
    detected = "";
  }
  const known = Array.from(select.options).some((option) => option.value === detected);
  if (!params.has("tz") && known && detected !== select.value) {
    params.set("tz", detected);
    const { pathname, hash } = window.location;
    window.location.replace(`${pathname}?${params.toString()}${hash}`);
  }
})();
