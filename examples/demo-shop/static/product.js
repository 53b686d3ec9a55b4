// Product pages. Server-rendered pages: a picker submits its form when it changes (the
// <noscript> button does it without JavaScript). The helmet's page (web components): the
// pickers change the widgets' attributes, the photo, the cart's SKU and the shipping line.
//
// A keyboard user steps through a picker's options with the arrow keys, and each step fires
// "change": the page must not reload under them at every step (WCAG 3.2.2). A change made by
// keyboard is submitted with Enter or when the picker loses the focus; after the reload the
// focus is back on the picker, not at the top of the page.
const REFOCUS = "demo-refocus";

document.addEventListener("DOMContentLoaded", () => {
  const refocus = sessionStorage.getItem(REFOCUS);
  sessionStorage.removeItem(REFOCUS);
  if (refocus && document.getElementById(refocus)) document.getElementById(refocus).focus();
  document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
    let byKeyboard = false;
    let pending = false;
    const submit = () => {
      pending = false;
      sessionStorage.setItem(REFOCUS, select.id);
      select.form.submit();
    };
    select.addEventListener("keydown", (event) => {
      byKeyboard = true;
      if (event.key === "Enter" && pending) {
        event.preventDefault();
        submit();
      }
    });
    select.addEventListener("pointerdown", () => { byKeyboard = false; });
    select.addEventListener("change", () => {
      if (byKeyboard) pending = true;
      else submit();
    });
    select.addEventListener("blur", () => { if (pending) submit(); });
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
