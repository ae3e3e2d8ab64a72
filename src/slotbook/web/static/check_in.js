// Check-in desk: scan a QR code with the camera where the browser has a BarcodeDetector,
// put its text in the form and send it. Without one, the desk types (or a USB scanner
// "types") the code into the same field. No inline script: the CSP forbids them.
"use strict";

(() => {
  const box = document.getElementById("scanner");
  const form = document.getElementById("check-in-form");
  const field = document.getElementById("qr-token-input");
  if (!box || !form || !field) return;
  const canScan =
    "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!canScan) return; // the typed form is all there is
  const button = document.getElementById("scan-button");
  const video = document.getElementById("scan-video");
  const status = document.getElementById("scan-status");
  let stream = null;
  let timer = null;
  box.hidden = false;

  const stop = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    button.textContent = box.dataset.start;
  };

  const scan = async (detector) => {
    if (!stream) return;
    try {
      const codes = await detector.detect(video);
      const found = codes.find((code) => code.rawValue && code.rawValue.trim());
      if (found) {
        field.value = found.rawValue.trim();
        stop();
        form.requestSubmit();
        return;
      }
    } catch (_error) {
      // The video is not ready yet: try again on the next round.
    }
    timer = setTimeout(() => scan(detector), 250);
  };

  button.addEventListener("click", async () => {
    if (stream) {
      stop();
      return;
    }
    let detector;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (!formats.includes("qr_code")) throw new Error("no QR support");
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (_error) {
      status.textContent = box.dataset.unavailable;
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (_error) {
      status.textContent = box.dataset.denied;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    button.textContent = box.dataset.stop;
    status.textContent = "";
    scan(detector);
  });
})();
