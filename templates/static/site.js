/* Casebook index: filters and full-text search without a reload.
   Without this script the page still works: every filter is a link to a page listing those
   cases, and the search box stays hidden. No framework, no network: the search index is a
   script file beside this one, loaded the first time someone searches (file:// allows that,
   where it refuses fetch()). */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var cardList = document.getElementById("cards");
  var form = document.getElementById("search-form");
  var overview = document.getElementById("overview");
  /* The figures across cases are folded so that a phone shows the cases first; a wide
     screen has room for both. */
  if (overview && window.matchMedia("(min-width: 50rem)").matches) overview.open = true;
  if (!cardList || !form) return;

  var input = document.getElementById("search");
  var status = document.getElementById("status");
  var cards = Array.prototype.slice.call(cardList.children);
  var chosen = {};          // facet name -> chosen value
  var query = "";
  var index = null;         // slug -> {title, meta, text} once loaded
  var loading = false;
  var clearButton = null;
  var filters = document.getElementById("filters");
  /* The words shown here come from the page, in the site's language (index.html). */
  function say(name) { return filters.getAttribute("data-say-" + name) || ""; }

  /* ---- Filters: the links become toggle buttons ---- */
  Array.prototype.forEach.call(document.querySelectorAll(".facet"), function (facet) {
    var name = facet.getAttribute("data-facet");
    Array.prototype.forEach.call(facet.querySelectorAll("a[data-value]"), function (link) {
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("data-value", link.getAttribute("data-value"));
      button.innerHTML = link.innerHTML;
      button.addEventListener("click", function () { choose(facet, name, button); });
      link.parentNode.replaceChild(button, link);
    });
  });
  document.querySelector(".filters-intro").textContent = say("intro");

  function choose(facet, name, button) {
    var value = button.getAttribute("data-value");
    var on = chosen[name] !== value;
    if (on) chosen[name] = value; else delete chosen[name];
    Array.prototype.forEach.call(facet.querySelectorAll("button"), function (other) {
      other.setAttribute("aria-pressed", String(on && other === button));
    });
    facet.querySelector("[data-chosen]").textContent = on ? "— " + label(button) : "";
    update();
  }

  function label(button) {
    return button.firstChild.textContent.trim();
  }

  function clearAll() {
    chosen = {};
    Array.prototype.forEach.call(document.querySelectorAll(".facet button"), function (b) {
      b.setAttribute("aria-pressed", "false");
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-chosen]"), function (s) {
      s.textContent = "";
    });
    input.value = "";
    query = "";
    update();
    input.focus();
  }

  function passesFilters(card) {
    return Object.keys(chosen).every(function (name) {
      return (card.getAttribute("data-" + name) || "").split(" ").indexOf(chosen[name]) >= 0;
    });
  }

  /* ---- Search ---- */
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { query = input.value; ensureIndex(update); }, 120);
  });
  input.addEventListener("focus", function () { ensureIndex(function () {}); });

  function ensureIndex(then) {
    if (index) return then();
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = new URL("search-index.js", here).href;
    script.onload = function () {
      index = {};
      (window.casebookSearchIndex || []).forEach(function (entry) {
        index[entry.slug] = {title: fold(entry.title), meta: fold(entry.meta),
                             text: entry.text, folded: fold(entry.text)};
      });
      query = input.value;
      update();
      then();
    };
    script.onerror = function () {
      loading = false;
      status.textContent = say("failed");
    };
    document.head.appendChild(script);
  }

  // Lower case without accents, keeping every UTF-16 unit in place so positions still match
  // the original text when the excerpt is cut from it.
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      var code = c.charCodeAt(0);
      out += code >= 0xd800 && code <= 0xdfff ? c : c.normalize("NFD")[0].toLowerCase()[0];
    }
    return out;
  }

  function terms(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  function findWord(haystack, term, from) {
    var at = haystack.indexOf(term, from || 0);
    while (at > 0 && /[\p{L}\p{N}]/u.test(haystack[at - 1])) at = haystack.indexOf(term, at + 1);
    return at;
  }

  function score(entry, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var inTitle = findWord(entry.title, words[i]) >= 0;
      var inMeta = findWord(entry.meta, words[i]) >= 0;
      var inText = findWord(entry.folded, words[i]) >= 0;
      if (!inTitle && !inMeta && !inText) return 0;
      total += (inTitle ? 5 : 0) + (inMeta ? 3 : 0) + (inText ? 1 : 0);
    }
    return total;
  }

  function excerpt(entry, words) {
    var first = -1;
    words.forEach(function (word) {
      var at = findWord(entry.folded, word);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    if (first < 0) return null;        // the words are in the title or facts only
    var paragraph = document.createElement("p");
    paragraph.className = "excerpt";
    var start = Math.max(0, first - 70);
    if (start > 0) start = entry.text.indexOf(" ", start) + 1 || start;
    var end = Math.min(entry.text.length, start + 200);
    var lastSpace = entry.text.lastIndexOf(" ", end);
    if (end < entry.text.length && lastSpace > first) end = lastSpace;   // end on a whole word
    if (start > 0) paragraph.appendChild(document.createTextNode("… "));
    var position = start;
    while (position < end) {
      var next = -1, length = 0;
      words.forEach(function (word) {
        var at = findWord(entry.folded, word, position);
        if (at >= 0 && at < end && (next < 0 || at < next)) { next = at; length = word.length; }
      });
      if (next < 0) break;
      paragraph.appendChild(document.createTextNode(entry.text.slice(position, next)));
      var mark = document.createElement("mark");
      mark.textContent = entry.text.slice(next, next + length);
      paragraph.appendChild(mark);
      position = next + length;
    }
    paragraph.appendChild(document.createTextNode(entry.text.slice(position, end)));
    if (end < entry.text.length) paragraph.appendChild(document.createTextNode(" …"));
    return paragraph;
  }

  /* ---- Showing the result ---- */
  function update() {
    var words = index ? terms(query) : [];
    var shown = [];
    cards.forEach(function (card) {
      var old = card.querySelector(".excerpt");
      if (old) old.parentNode.removeChild(old);
      var entry = index && index[card.getAttribute("data-slug")];
      var points = words.length && entry ? score(entry, words) : 1;
      var visible = points > 0 && passesFilters(card);
      card.hidden = !visible;
      if (visible) {
        shown.push({card: card, points: points});
        if (words.length && entry) {
          var text = excerpt(entry, words);
          if (text) card.querySelector(".card").appendChild(text);
        }
      }
    });
    // Best matches first while searching; the reading order otherwise.
    var order = cards;
    if (words.length) {
      order = shown.sort(function (a, b) { return b.points - a.points; })
        .map(function (item) { return item.card; })
        .concat(cards.filter(function (card) { return card.hidden; }));
    }
    order.forEach(function (card) { cardList.appendChild(card); });
    report(shown.length, words.length > 0);
  }

  function report(count, searching) {
    var active = searching || Object.keys(chosen).length > 0;
    if (!active) {
      status.textContent = "";
    } else if (count === 0) {
      status.textContent = say("none");
    } else {
      status.textContent = say("showing").replace("{shown}", count).replace("{total}", cards.length);
    }
    if (active && !clearButton) {
      clearButton = document.createElement("button");
      clearButton.type = "button";
      clearButton.className = "clear-filters";
      clearButton.textContent = say("all");
      clearButton.addEventListener("click", clearAll);
      status.parentNode.insertBefore(clearButton, status.nextSibling);
    }
    if (clearButton) clearButton.hidden = !active;
  }

  /* ---- Arriving with ?q=... (the search link on other pages) or #search ---- */
  var params = new URLSearchParams(location.search);
  if (params.get("q")) {
    input.value = params.get("q");
    query = input.value;
    ensureIndex(update);
  }
  function focusSearch() { if (location.hash === "#search") input.focus(); }
  window.addEventListener("hashchange", focusSearch);
  focusSearch();
})();
