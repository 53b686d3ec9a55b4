/* defenceline web components: <dl-stock> and <dl-delivery-estimate>.
 *
 * One script tag, no build step, no framework:
 *   <script src="/defenceline/static/defenceline.js" defer></script>
 *   <dl-stock sku="BELL-BLK"></dl-stock>
 *   <dl-delivery-estimate sku="BELL-BLK" country="NL"></dl-delivery-estimate>
 *   <dl-manifesto lang="nl" level="2"></dl-manifesto>
 *   <dl-cart-summary pickers cart='{"lines": [{"sku": "BELL-BLK", "quantity": 2}]}'></dl-cart-summary>
 *     (or set element.cart = {lines, country, payment_method}; it re-renders on every change;
 *     lines="hidden" shows the costs only, under the shop's own line table)
 *
 * Attributes: sku, country, lang (else the browser's Accept-Language), api-base (default: the
 * folder this script was loaded from). Change `sku` (a variant picker) and the widget updates.
 * Every text is set with textContent: nothing from the catalogue is ever parsed as HTML.
 * The countdown runs only to the server's real cut-off, on the server's clock; a shopper who asks
 * for reduced motion (prefers-reduced-motion) reads the stable "order before 16:00" sentence
 * instead of a clock ticking every second. Changes are announced politely (aria-live), and
 * no widget ever moves the shopper's focus.
 */
(() => {
  "use strict";
  if (window.customElements.get("dl-stock")) return;

  const script = document.currentScript;
  const DEFAULT_BASE = script && script.src
    ? new URL(script.src, document.baseURI).href.replace(/\/static\/defenceline\.js(?:[?#].*)?$/, "")
    : "/defenceline";

  function apiUrl(element, path, params) {
    const base = (element.getAttribute("api-base") || DEFAULT_BASE).replace(/\/+$/, "");
    const url = new URL(base + path, document.baseURI);
    for (const [key, value] of Object.entries(params)) {
      if (value) url.searchParams.set(key, value);
    }
    return url;
  }

  function tag(name, className, attributes) {
    const node = document.createElement(name);
    node.className = className;
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    return node;
  }

  // Asked for by the shopper's system; read at every render, so a change applies at once.
  const reducedMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  function bcp47(locale) {
    return String(locale || "").replace(/_/g, "-");
  }

  function formatDuration(milliseconds, locale) {
    const lang = bcp47(locale) || undefined;
    if (milliseconds < 60000) {
      const seconds = Math.max(1, Math.ceil(milliseconds / 1000));
      if (typeof Intl.DurationFormat === "function") {
        return new Intl.DurationFormat(lang, { style: "short" }).format({ seconds });
      }
      return new Intl.NumberFormat(lang, { style: "unit", unit: "second", unitDisplay: "short" }).format(seconds);
    }
    const minutesLeft = Math.ceil(milliseconds / 60000);
    const hours = Math.floor(minutesLeft / 60);
    const minutes = minutesLeft % 60;
    if (typeof Intl.DurationFormat === "function") {
      const parts = hours ? (minutes ? { hours, minutes } : { hours }) : { minutes };
      return new Intl.DurationFormat(lang, { style: "short" }).format(parts);
    }
    const unit = (value, name) =>
      new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
    return [hours ? unit(hours, "hour") : "", minutes ? unit(minutes, "minute") : ""].filter(Boolean).join(" ");
  }

  class Widget extends HTMLElement {
    constructor() {
      super();
      this._request = 0;
    }

    connectedCallback() {
      this._connected = true;
      this.schedule();
    }

    attributeChangedCallback(name, before, after) {
      // Attributes present at upgrade also arrive here, before connectedCallback: only later
      // changes (a variant picker) reload, and several in one go reload once.
      if (this._connected && before !== after) this.schedule();
    }

    schedule() {
      if (this._scheduled) return;
      this._scheduled = true;
      queueMicrotask(() => {
        this._scheduled = false;
        if (this.isConnected) this.load();
      });
    }

    async fetchJson(url) {
      const sent = Date.now();
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const received = Date.now();
      const data = await response.json().catch(() => ({}));
      return { ok: response.ok, data, sent, received };
    }

    fail(data) {
      this.setAttribute("data-error", (data && data.detail) || "error");
      this.dispatchEvent(new CustomEvent("dl-error", { detail: data, bubbles: true }));
    }
  }

  class DlStock extends Widget {
    static get observedAttributes() {
      return ["sku", "lang", "api-base"];
    }

    async load() {
      const sku = this.getAttribute("sku");
      if (!sku) return;
      const ticket = ++this._request;
      try {
        const url = apiUrl(this, "/api/v1/stock/" + encodeURIComponent(sku), { lang: this.getAttribute("lang") });
        const { ok, data } = await this.fetchJson(url);
        if (ticket !== this._request) return; // a newer variant was chosen meanwhile
        if (!ok) return this.fail(data);
        this.removeAttribute("data-error");
        this.render(data);
      } catch (error) {
        if (ticket === this._request) this.fail({ detail: String(error) });
      }
    }

    render(data) {
      if (!this._root) {
        this._root = tag("div", "dl-widget dl-stock");
        this._root.append(tag("span", "dl-stock__icon", { "aria-hidden": "true" }));
        this._text = tag("span", "dl-stock__text", { role: "status", "aria-live": "polite" });
        this._root.append(this._text);
        this.replaceChildren(this._root);
      }
      this._root.className = "dl-widget dl-stock dl-stock--" + data.state;
      this._root.dataset.state = data.state;
      this._root.lang = bcp47(data.locale);
      this._root.dir = data.dir || "auto";
      this._text.textContent = data.message;
      if (data.state === "out_of_stock" && !this.hasAttribute("no-alert")) this.showAlertForm(data);
      else if (this._alert) {
        this._alert.remove();
        this._alert = null;
      }
      this.dispatchEvent(new CustomEvent("dl-update", { detail: data, bubbles: true }));
    }

    /** "Email me when it's back": the server's form, posted as JSON (double opt-in follows). */
    async showAlertForm(data) {
      if (this._alert && this._alert.dataset.sku === data.sku) return;
      const url = apiUrl(this, "/fragments/stock-alert-form", { sku: data.sku, lang: this.getAttribute("lang") });
      const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (!response.ok || this._root.dataset.state !== "out_of_stock") return;
      // Server-rendered and escaped; parsed in an inert document, so nothing in it runs.
      const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
      const form = parsed.querySelector("form");
      if (!form) return;
      const holder = tag("div", "dl-stock__alert", { "data-sku": data.sku });
      holder.append(document.importNode(form, true));
      const live = holder.querySelector("form");
      live.addEventListener("submit", (event) => submitAlert(live, event));
      if (this._alert) this._alert.remove();
      this._alert = holder;
      this._root.after(holder);
    }
  }

  class DlDeliveryEstimate extends Widget {
    static get observedAttributes() {
      return ["sku", "country", "lang", "api-base"];
    }

    disconnectedCallback() {
      this.stopCountdown();
    }

    async load() {
      const sku = this.getAttribute("sku");
      if (!sku) return;
      const ticket = ++this._request;
      try {
        const url = apiUrl(this, "/api/v1/delivery-estimate", {
          sku,
          country: this.getAttribute("country"),
          lang: this.getAttribute("lang"),
        });
        const { ok, data, sent, received } = await this.fetchJson(url);
        if (ticket !== this._request) return;
        if (!ok) return this.fail(data);
        this.removeAttribute("data-error");
        // The server's clock decides; the browser only measures how far it is from it.
        this._offset = Date.parse(data.server_time) - (sent + received) / 2;
        this.render(data);
      } catch (error) {
        if (ticket === this._request) this.fail({ detail: String(error) });
      }
    }

    serverNow() {
      return Date.now() + (this._offset || 0);
    }

    render(data) {
      this.stopCountdown();
      if (!this._root) {
        this._root = tag("div", "dl-widget dl-delivery");
        this._root.append(tag("span", "dl-delivery__icon", { "aria-hidden": "true" }));
        this._countdown = tag("p", "dl-delivery__countdown", { "aria-hidden": "true" });
        this._text = tag("p", "dl-delivery__text", { role: "status", "aria-live": "polite" });
        this._carrier = tag("p", "dl-delivery__carrier");
        this._root.append(this._countdown, this._text, this._carrier);
        this.replaceChildren(this._root);
      }
      this._data = data;
      this._root.className = "dl-widget dl-delivery dl-delivery--" + data.status;
      this._root.dataset.status = data.status;
      this._root.lang = bcp47(data.locale);
      this._root.dir = data.dir || "auto";
      this._text.textContent = data.message;
      this._carrier.textContent = data.carrier_text || "";
      this._carrier.hidden = !data.carrier_text;
      this._deadline = data.cutoff && data.countdown ? Date.parse(data.cutoff) : null;
      if (this._deadline !== null && this._deadline > this.serverNow() && reducedMotion && reducedMotion.matches) {
        // No ticking clock: the sentence names the cut-off time; at the cut-off, move on.
        this._root.dataset.cutoff = data.cutoff;
        this._countdown.textContent = "";
        this._countdown.hidden = true;
        this._timer = window.setTimeout(() => {
          this._timer = null;
          this.load();
        }, this._deadline - this.serverNow());
      } else if (this._deadline !== null && this._deadline > this.serverNow()) {
        this._root.classList.add("dl-delivery--counting");
        this._root.dataset.cutoff = data.cutoff;
        this.tick();
        this._timer = window.setInterval(() => this.tick(), 1000);
      } else {
        this._countdown.textContent = "";
        this._countdown.hidden = true;
      }
      this.dispatchEvent(new CustomEvent("dl-update", { detail: data, bubbles: true }));
    }

    tick() {
      const left = this._deadline - this.serverNow();
      if (left <= 0) {
        // The cut-off has passed: the estimate has moved on, so ask the server for the next.
        this.stopCountdown();
        this._countdown.textContent = "";
        this._countdown.hidden = true;
        this._root.classList.remove("dl-delivery--counting");
        this.load();
        return;
      }
      const text = this._data.countdown.replace("{duration}", formatDuration(left, this._data.locale));
      this._countdown.hidden = false;
      if (this._countdown.textContent !== text) this._countdown.textContent = text;
    }

    stopCountdown() {
      if (this._timer) {
        window.clearInterval(this._timer);
        window.clearTimeout(this._timer);
      }
      this._timer = null;
    }
  }

  class DlManifesto extends Widget {
    static get observedAttributes() {
      return ["lang", "level", "api-base"];
    }

    async load() {
      const ticket = ++this._request;
      try {
        const url = apiUrl(this, "/fragments/manifesto", {
          lang: this.getAttribute("lang"),
          level: this.getAttribute("level"),
        });
        const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
        if (ticket !== this._request) return;
        if (!response.ok) return this.fail(await response.json().catch(() => ({})));
        // The fragment is rendered and escaped by the server's manifesto renderer; parsing it
        // in an inert document means no script in it could ever run.
        const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
        parsed.querySelectorAll("script").forEach((node) => node.remove());
        this.removeAttribute("data-error");
        this.replaceChildren(...Array.from(parsed.body.childNodes).map((node) => document.importNode(node, true)));
        this.dispatchEvent(new CustomEvent("dl-update", { bubbles: true }));
      } catch (error) {
        if (ticket === this._request) this.fail({ detail: String(error) });
      }
    }
  }

  class DlCartSummary extends Widget {
    static get observedAttributes() {
      return ["cart", "country", "payment-method", "lang", "pickers", "lines", "api-base"];
    }

    connectedCallback() {
      if (!this._listening) {
        this._listening = true;
        // The destination and payment pickers inside the summary; the choice is kept as an
        // attribute (so the storefront can read it) and announced with a dl-cart-change event.
        this.addEventListener("change", (event) => {
          const target = event.target;
          if (!(target instanceof HTMLSelectElement)) return;
          const name = target.hasAttribute("data-dl-country") ? "country"
            : target.hasAttribute("data-dl-payment") ? "payment-method" : null;
          if (!name) return;
          this._focus = name;
          this.setAttribute(name, target.value);
          this.dispatchEvent(new CustomEvent("dl-cart-change", {
            detail: { [name === "country" ? "country" : "payment_method"]: target.value },
            bubbles: true,
          }));
        });
      }
      super.connectedCallback();
    }

    /** What a screen reader says after a change: the total row, and any problem. */
    announcement() {
      // Term and amount as separate words; the amount keeps its no-break space.
      const words = (node) => Array.from(node.children.length ? node.children : [node])
        .map((part) => part.textContent.replace(/[ \t\r\n]+/g, " ").trim()).join(" ");
      const parts = [".dl-cart__total-row", ".dl-cart__status"].map((selector) => {
        const node = this.querySelector(selector);
        return node ? words(node) : "";
      });
      return parts.filter(Boolean).join(". ");
    }

    /** The cart: {lines: [{sku, quantity}], country?, payment_method?}. */
    get cart() {
      if (this._cart) return this._cart;
      const text = this.getAttribute("cart");
      if (!text) return null;
      try {
        return JSON.parse(text);
      } catch (error) {
        this.fail({ detail: "the cart attribute is not JSON: " + error });
        return null;
      }
    }

    set cart(value) {
      this._cart = value;
      if (this._connected) this.schedule();
    }

    async load() {
      const cart = this.cart;
      if (!cart || !Array.isArray(cart.lines) || cart.lines.length === 0) {
        this.replaceChildren();
        return;
      }
      const ticket = ++this._request;
      const body = {
        lines: cart.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        country: this.getAttribute("country") || cart.country || undefined,
        payment_method: this.getAttribute("payment-method") || cart.payment_method || undefined,
        locale: this.getAttribute("lang") || undefined,
      };
      const params = {
        pickers: this.hasAttribute("pickers") ? "1" : "",
        lines: this.getAttribute("lines") === "hidden" ? "hidden" : "",
      };
      try {
        const response = await fetch(apiUrl(this, "/fragments/cart-summary", params), {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "text/html" },
          credentials: "same-origin",
          body: JSON.stringify(body),
        });
        if (ticket !== this._request) return;
        if (!response.ok) {
          this.outdated();
          return this.fail(await response.json().catch(() => ({})));
        }
        // Server-rendered and escaped; parsed in an inert document, so nothing in it runs.
        const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
        parsed.querySelectorAll("script").forEach((node) => node.remove());
        this.removeAttribute("data-error");
        // Re-rendering replaces the pickers: keep the shopper's focus where it was.
        const active = document.activeElement;
        let refocus = this._focus;
        if (!refocus && active && this.contains(active)) {
          refocus = active.hasAttribute("data-dl-country") ? "country"
            : active.hasAttribute("data-dl-payment") ? "payment-method" : null;
        }
        // One live region outlives every re-render (a region inserted anew is not announced):
        // it says the new total, or why there is none, once something changed.
        if (!this._live) this._live = tag("p", "dl-visually-hidden", { role: "status", "aria-live": "polite" });
        const nodes = Array.from(parsed.body.childNodes).map((node) => document.importNode(node, true));
        this.replaceChildren(...nodes, this._live);
        if (this._rendered) this._live.textContent = this.announcement();
        this._rendered = true;
        if (refocus) {
          const picker = this.querySelector(refocus === "country" ? "[data-dl-country]" : "[data-dl-payment]");
          if (picker) picker.focus();
          this._focus = null;
        }
        this.dispatchEvent(new CustomEvent("dl-update", { bubbles: true }));
      } catch (error) {
        if (ticket === this._request) {
          this.outdated();
          this.fail({ detail: String(error) });
        }
      }
    }

    /** Re-pricing failed: the amounts shown belong to the cart as it was. Say so, visibly and
     *  politely, in the shopper's language (the sentence comes with the server's summary). */
    outdated() {
      const root = this.querySelector(".dl-cart");
      if (!root || !root.dataset.error) return;
      let note = root.querySelector(".dl-cart__error");
      if (!note) {
        note = tag("p", "dl-cart__status dl-cart__error");
        root.prepend(note);
      }
      note.textContent = root.dataset.error;
      root.classList.add("dl-cart--outdated");
      if (this._live) this._live.textContent = root.dataset.error;
    }
  }

  /** Send an "email me when it's back" form as JSON (the API takes nothing else); used by
   *  <dl-stock> and by the form the server-rendered stock() helper puts on the page. */
  async function submitAlert(live, event) {
    const status = live.querySelector(".dl-stock-alert__status");
    event.preventDefault();
    if (!live.reportValidity()) return;
    const fields = live.elements;
    const button = live.querySelector("button");
    // aria-disabled, not disabled: a disabled button drops the keyboard focus to the page.
    if (button.getAttribute("aria-disabled") === "true") return;
    button.setAttribute("aria-disabled", "true");
    try {
      const answer = await fetch(live.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          email: fields.email.value,
          sku: fields.sku.value,
          locale: fields.locale.value,
          consent: fields.consent.checked,
        }),
      });
      const result = await answer.json().catch(() => ({}));
      // The API's details are for developers: the shopper reads the form's own sentence,
      // except for "too many requests", which the API already says in their language.
      const refusal = result.field === "email" ? live.dataset.errorEmail
        : answer.status === 429 ? result.detail : live.dataset.error;
      status.textContent = answer.ok ? result.message : refusal || result.detail || "";
      // The field the server refused is marked, so a screen reader says which one.
      for (const field of live.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
      const refused = !answer.ok && result.field && live.elements.namedItem(result.field);
      if (refused && refused.setAttribute) refused.setAttribute("aria-invalid", "true");
      if (!answer.ok) button.removeAttribute("aria-disabled");
    } catch (error) {
      status.textContent = String(error);
      button.removeAttribute("aria-disabled");
    }
  }

  // Forms rendered by the server (the stock() Jinja helper) are outside any <dl-stock>.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.matches("form.dl-stock-alert") && !form.closest("dl-stock")) {
      submitAlert(form, event);
    }
  });

  window.customElements.define("dl-stock", DlStock);
  window.customElements.define("dl-cart-summary", DlCartSummary);
  window.customElements.define("dl-manifesto", DlManifesto);
  window.customElements.define("dl-delivery-estimate", DlDeliveryEstimate);
  window.defenceline = Object.assign(window.defenceline || {}, { formatDuration, baseUrl: DEFAULT_BASE });
})();
