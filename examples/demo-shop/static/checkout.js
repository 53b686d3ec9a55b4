// The checkout's inline validation: each field says what to fix as soon as the shopper leaves
// it, with the server's own messages (data-message); and what the shopper filled in so far is
// kept on the server (the shop may remind them once, with consent).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("checkout-form");
  if (!form) return;
  const postcode = document.getElementById("postcode");
  const country = document.getElementById("country");
  const patterns = JSON.parse(form.dataset.postcodes);
  const required = () => Array.from(form.querySelectorAll("input[required]:not([type=radio])"));
  // The shopper's own time zone, for the order's shipping emails (quiet hours, "today").
  form.elements.timezone.value = Intl.DateTimeFormat().resolvedOptions().timeZone;

  function check(input) {
    let message = "";
    if (input === postcode) {
      const [pattern, example] = patterns[country.value] || [".+", ""];
      if (!new RegExp(pattern).test(postcode.value.trim())) message = postcode.dataset.message.replace("{example}", example);
    } else if (!input.checkValidity() || !input.value.trim()) {
      message = input.dataset.message || input.validationMessage;
    }
    input.setAttribute("aria-invalid", message ? "true" : "false");
    input.closest(".field").classList.toggle("field--invalid", Boolean(message));
    document.getElementById(input.id + "-error").textContent = message;
    return !message;
  }

  required().forEach((input) => {
    input.addEventListener("blur", () => check(input));
    input.addEventListener("input", () => { if (input.getAttribute("aria-invalid") === "true") check(input); });
  });
  country.addEventListener("change", () => { if (postcode.value) check(postcode); });
  form.addEventListener("submit", (event) => {
    const bad = required().filter((input) => !check(input));
    const paid = form.querySelector("input[name=payment_method]:checked");
    document.getElementById("payment_method-error").textContent = paid ? "" : form.dataset.paymentMessage;
    if (bad.length || !paid) {
      event.preventDefault();
      (bad[0] || form.querySelector("input[name=payment_method]")).focus();
    }
  });
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  const keep = () => window.demoPost(form.dataset.contactUrl, {
    email: document.getElementById("email").value,
    name: document.getElementById("name").value,
    consent: document.getElementById("consent").checked ? "yes" : "",
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  });
  ["email", "name", "consent"].forEach((id) => document.getElementById(id).addEventListener("change", keep));
});
