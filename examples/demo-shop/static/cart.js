// The cart page: a changed quantity re-prices the summary at once and is kept in the session;
// the destination and payment method chosen in the summary are kept too.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("cart-form");
  const summary = document.getElementById("summary");
  if (!form || !summary) return; // an empty cart
  form.addEventListener("change", (event) => {
    if (!event.target.classList.contains("qty")) return;
    window.demoPost(form.action, new FormData(form))
      .then((response) => response.json())
      .then((cart) => { summary.cart = cart; });
  });
  summary.addEventListener("dl-cart-change", (event) => {
    window.demoPost(form.dataset.choicesUrl, event.detail);
  });
});
