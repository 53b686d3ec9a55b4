// The demo's one way to POST from a script: a form-encoded body with the page's CSRF token
// (Flask-WTF reads it from the X-CSRFToken header), answered with JSON.
window.demoPost = (url, data) =>
  fetch(url, {
    method: "POST",
    body: new URLSearchParams(data),
    headers: {
      Accept: "application/json",
      "X-CSRFToken": document.querySelector("meta[name=csrf-token]").content,
    },
  });
