// Product pages. Server-rendered pages: a picker submits its form when it changes (the
// <noscript> button does it without JavaScript). The helmet's page (web components): the
// pickers change the widgets' attributes, the photo, the cart's SKU and the shipping line.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  if (!document.querySelector("[data-live-variants]")) return;
  document.getElementById("sku").addEventListener("change", (event) => {
    const option = event.target.selectedOptions[0];
    document.getElementById("stock").setAttribute("sku", option.value);
    document.getElementById("delivery").setAttribute("sku", option.value);
    document.getElementById("photo").src = option.dataset.image;
    document.getElementById("cart-sku").value = option.value;
    const spec = document.getElementById("spec-variant");
    if (spec) spec.textContent = option.dataset.label;
    history.replaceState(null, "", "?sku=" + encodeURIComponent(option.value));
  });
  document.getElementById("land").addEventListener("change", (event) => {
    document.getElementById("delivery").setAttribute("country", event.target.value);
    document.getElementById("shipping").textContent = event.target.selectedOptions[0].dataset.shipping;
  });
});
