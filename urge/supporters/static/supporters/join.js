// The sign-up form's proof of work, switched on by the operator during floods of bots:
// find a nonce whose SHA-256 with the form's stamp and the email starts with enough zero
// bits, then send the form. The server checks the same sum (urge/supporters/bots.py).
"use strict";

function leadingZeroBits(bytes) {
  let bits = 0;
  for (const byte of bytes) {
    if (byte !== 0) {
      return bits + Math.clz32(byte) - 24;
    }
    bits += 8;
  }
  return bits;
}

async function findNonce(stamp, email, needed) {
  const encoder = new TextEncoder();
  const prefix = stamp + ":" + email.trim().toLowerCase() + ":";
  for (let nonce = 0; ; nonce += 1) {
    const digest = await crypto.subtle.digest("SHA-256", encoder.encode(prefix + nonce));
    if (leadingZeroBits(new Uint8Array(digest)) >= needed) {
      return String(nonce);
    }
  }
}

for (const form of document.querySelectorAll("form[data-work-bits]")) {
  form.addEventListener("submit", async (event) => {
    const work = form.elements.namedItem("work");
    if (work.value) {
      return;
    }
    event.preventDefault();
    const working = form.querySelector(".join__working");
    working.hidden = false;
    const stamp = form.elements.namedItem("stamp").value;
    const email = form.elements.namedItem("email").value;
    work.value = await findNonce(stamp, email, Number(form.dataset.workBits));
    working.hidden = true;
    form.requestSubmit();
  });
}
