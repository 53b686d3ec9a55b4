/* defenceline help centre: "Was this helpful?" and the contact nudge.
 *
 * No dependencies. Reads its configuration from <script id="dl-helpcentre-config">, which the
 * defenceline MkDocs plugin writes into every page. Works with Material's instant navigation
 * (re-initialises on each `document$` emission) and without it.
 */
(function () {
  "use strict";

  var element = document.getElementById("dl-helpcentre-config");
  if (!element) return;
  var config = JSON.parse(element.textContent);
  var messages = config.messages;
  var DISMISSED = "dl-nudge-dismissed";
  var timer = null;
  var searchTimer = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return values[key] !== undefined ? values[key] : all;
    });
  }

  /* The weekday (0 = Monday) and "HH:MM" now, in the warehouse's time zone. */
  function nowInZone() {
    var parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: config.timezone, weekday: "short", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23"
    }).formatToParts(new Date());
    var found = {};
    parts.forEach(function (part) { found[part.type] = part.value; });
    var days = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
    return { day: days[found.weekday], time: found.hour + ":" + found.minute };
  }

  /* "open until 17:00", or "closed now · opens Monday at 09:00", or "any time". */
  function channelStatus(channel) {
    if (!Object.keys(channel.hours).length) return messages.any_time;
    var now = nowInZone();
    var today = channel.hours[String(now.day)];
    if (today && now.time >= today.opens && now.time < today.closes) {
      return fill(messages.open_until, { time: today.closes_text });
    }
    for (var offset = 0; offset < 8; offset++) {
      var day = (now.day + offset) % 7;
      var hours = channel.hours[String(day)];
      if (!hours || (offset === 0 && now.time >= hours.opens)) continue;
      return messages.closed_now + " · " +
        fill(messages.opens_at, { day: config.day_names[day], time: hours.opens_text });
    }
    return messages.closed_now;
  }

  function channelList() {
    var list = document.createElement("ul");
    list.className = "dl-channels";
    config.channels.forEach(function (channel) {
      var item = document.createElement("li");
      item.className = "dl-channels__item";
      item.setAttribute("data-dl-kind", channel.kind);
      // The server gives an address only for http(s):, mailto: and tel: (facts.safe_href);
      // checked again here, so no configuration can make a javascript: link.
      var safe = typeof channel.href === "string" && /^(https?|mailto|tel):/i.test(channel.href);
      var link = document.createElement(safe ? "a" : "span");
      if (safe) link.href = channel.href;
      link.textContent = channel.label;
      var status = document.createElement("span");
      status.className = "dl-channels__status";
      status.textContent = channelStatus(channel) + (channel.response ? " · " + channel.response : "");
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(status);
      list.appendChild(item);
    });
    return list;
  }

  /* --- the contact nudge ------------------------------------------------------------------ */

  function dismissed() {
    try { return window.sessionStorage.getItem(DISMISSED) === "1"; } catch (e) { return false; }
  }

  function showNudge(reason) {
    if (dismissed() || !config.channels.length) return;
    var nudge = document.getElementById("dl-nudge");
    if (nudge && !nudge.hidden) return;
    if (!nudge) {
      nudge = document.createElement("aside");
      nudge.id = "dl-nudge";
      nudge.className = "dl-nudge";
      nudge.setAttribute("role", "complementary");
      nudge.setAttribute("aria-live", "polite");
      nudge.setAttribute("aria-labelledby", "dl-nudge-title");
      document.body.appendChild(nudge);
    }
    nudge.textContent = "";
    nudge.setAttribute("data-dl-reason", reason);
    var title = document.createElement("p");
    title.className = "dl-nudge__title";
    title.id = "dl-nudge-title";
    title.textContent = messages.nudge_title;
    var text = document.createElement("p");
    text.textContent = messages.nudge_text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "dl-nudge__close";
    close.setAttribute("aria-label", messages.nudge_close);
    close.textContent = "×";
    close.addEventListener("click", function () {
      nudge.hidden = true;
      try { window.sessionStorage.setItem(DISMISSED, "1"); } catch (e) { /* private mode */ }
    });
    nudge.appendChild(close);
    nudge.appendChild(title);
    nudge.appendChild(text);
    nudge.appendChild(channelList());
    nudge.hidden = false;
  }

  function startTimer() {
    if (timer) window.clearTimeout(timer);
    if (config.nudge_seconds > 0) {
      timer = window.setTimeout(function () { showNudge("time"); }, config.nudge_seconds * 1000);
    }
  }

  /* Material renders results into .md-search-result__list; an empty list for a real query
   * means the shopper did not find an answer. */
  function watchSearch() {
    var input = document.querySelector("[data-md-component=search-query]");
    if (!input || input.getAttribute("data-dl-watched")) return;
    input.setAttribute("data-dl-watched", "1");
    input.addEventListener("input", function () {
      if (searchTimer) window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(function () {
        var query = input.value.trim();
        var list = document.querySelector(".md-search-result__list");
        if (query.length >= 3 && list && list.children.length === 0) showNudge("search");
      }, 1200);
    });
  }

  /* --- "Was this helpful?" ---------------------------------------------------------------- */

  function setUpFeedback() {
    var blocks = document.querySelectorAll(".dl-feedback");
    Array.prototype.forEach.call(blocks, function (block) {
      if (!config.feedback_url) { block.hidden = true; return; }
      if (block.getAttribute("data-dl-ready")) return;
      block.setAttribute("data-dl-ready", "1");
      block.hidden = false;
      var status = block.querySelector(".dl-feedback__status");
      var buttons = block.querySelectorAll(".dl-feedback__vote");
      Array.prototype.forEach.call(buttons, function (button) {
        button.addEventListener("click", function () {
          var helpful = button.getAttribute("data-dl-helpful") === "true";
          Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
          var body = {
            page: block.getAttribute("data-dl-page"),
            url: window.location.href.split("#")[0],
            title: block.getAttribute("data-dl-title"),
            helpful: helpful,
            locale: config.locale
          };
          window.fetch(config.feedback_url, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(body)
          }).then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            status.textContent = messages.feedback_thanks;
            block.setAttribute("data-dl-sent", helpful ? "helpful" : "not-helpful");
            if (!helpful) {
              var sorry = document.createElement("p");
              sorry.textContent = messages.feedback_sorry;
              block.appendChild(sorry);
              block.appendChild(channelList());
            }
          }).catch(function () {
            status.textContent = messages.feedback_failed;
            Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
          });
        });
      });
    });
  }

  /* --- page views, for the popularity order of the knowledge base ------------------------ */

  function countView() {
    var block = document.querySelector(".dl-feedback[data-dl-page]");
    if (!config.view_url || !block || !navigator.sendBeacon) return;
    // text/plain keeps the beacon a "simple" request: no CORS pre-flight, no cookies needed.
    var body = new Blob([JSON.stringify({ page: block.getAttribute("data-dl-page") })], {
      type: "text/plain"
    });
    navigator.sendBeacon(config.view_url, body);
  }

  function onPage() {
    countView();
    setUpFeedback();
    watchSearch();
    startTimer();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
