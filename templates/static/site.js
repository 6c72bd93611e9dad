/* Casebook index: filters and full-text search without a reload.
   Without this script the page still works: every filter is a link to a page listing those
   cases (in pages, like the index), and the search box stays hidden. No framework, no
   network: the search index is cut into script files beside this one, loaded as the reader
   types (file:// allows that, where it refuses fetch()). When the index is in pages, the
   results of a search or of the filters are drawn from the index's records instead of the
   page's own cards, so they cover every case. */
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

  /* ---- Search ----
     The index is cut into scripts under assets/search/ (casebook/web/search.py): docs.js
     (a record per case and the list of shards), t/<key>.js (the terms starting with the
     same two characters) and c/<slug>.js (a case's text, for the excerpts of the results
     shown). Each calls casebookSearchLoaded when it runs. */
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { query = input.value; update(); }, 120);
  });
  input.addEventListener("focus", function () { ensureDocs(function () {}); });

  var loaded = {};          // "kind:key" -> what the script handed over
  var waiting = {};         // "kind:key" -> functions waiting for it
  var docs = null;          // docs.js: {docs, facets, shards}, with bySlug and hasShard
  var texts = {};           // slug -> {text, folded}
  var generation = 0;       // the latest update; older answers arriving late are dropped
  var PAGE = 20;            // results shown at a time (index in pages)
  var limit = PAGE;
  var results = null, moreButton = null;
  var pageNav = document.querySelector(".page-nav");
  var paginated = filters.hasAttribute("data-total");
  var total = paginated ? Number(filters.getAttribute("data-total")) : cards.length;

  window.casebookSearchLoaded = function (kind, key, data) { loaded[kind + ":" + key] = data; };

  function load(kind, key, file, then) {
    var id = kind + ":" + key;
    if (id in loaded) return then(loaded[id]);
    if (waiting[id]) { waiting[id].push(then); return; }
    waiting[id] = [then];
    var script = document.createElement("script");
    script.src = new URL("search/" + file, here).href;
    script.onload = function () {
      var calls = waiting[id];
      delete waiting[id];
      if (!(id in loaded)) loaded[id] = null;
      calls.forEach(function (call) { call(loaded[id]); });
    };
    script.onerror = function () {
      delete waiting[id];
      status.textContent = say("failed");
    };
    document.head.appendChild(script);
  }

  function loadAll(requests, then) {      // requests: [kind, key, file]
    var left = requests.length;
    var answers = [];
    if (!left) return then(answers);
    requests.forEach(function (request, i) {
      load(request[0], request[1], request[2], function (data) {
        answers[i] = data;
        if (--left === 0) then(answers);
      });
    });
  }

  function ensureDocs(then) {
    load("docs", "", "docs.js", function (data) {
      if (!docs && data) {
        docs = data;
        docs.bySlug = {};
        docs.docs.forEach(function (doc, i) { docs.bySlug[doc[0]] = i; });
        docs.hasShard = {};
        docs.shards.forEach(function (key) { docs.hasShard[key] = true; });
      }
      if (docs) then();
    });
  }

  function shardKey(term) { return Array.from(term).slice(0, 2).join(""); }

  function shardFile(key) {
    var name = /^[a-z0-9]+$/.test(key) ? key : "x" + Array.from(key).map(function (c) {
      return c.codePointAt(0).toString(16);
    }).join("-");
    return "t/" + name + ".js";
  }

  // The cases holding every word (a word matches the terms it starts), with their points:
  // per word, 5 in the title, 3 in the facts, 1 in the text. Calls then({doc: points}).
  function match(words, then) {
    var keys = [];
    words.forEach(function (word) {
      var key = shardKey(word);
      if (docs.hasShard[key] && keys.indexOf(key) < 0) keys.push(key);
    });
    loadAll(keys.map(function (key) { return ["shard", key, shardFile(key)]; }), function (shards) {
      var byKey = {};
      keys.forEach(function (key, i) { byKey[key] = shards[i] || {}; });
      var points = null;
      words.forEach(function (word) {
        var shard = byKey[shardKey(word)] || {};
        var bits = {};
        Object.keys(shard).forEach(function (term) {
          if (term.lastIndexOf(word, 0) !== 0) return;
          var value = 0;
          shard[term].forEach(function (delta) {
            value += delta;
            bits[value >> 3] = (bits[value >> 3] || 0) | (value & 7);
          });
        });
        var next = {};
        Object.keys(bits).forEach(function (doc) {
          if (points && !(doc in points)) return;
          var b = bits[doc];
          next[doc] = (points ? points[doc] : 0) + (b & 1 ? 5 : 0) + (b & 2 ? 3 : 0) + (b & 4 ? 1 : 0);
        });
        points = next;
      });
      then(points || {});
    });
  }

  function withTexts(slugs, then) {
    loadAll(slugs.map(function (slug) { return ["text", slug, "c/" + slug + ".js"]; }), function (answers) {
      slugs.forEach(function (slug, i) {
        if (!texts[slug] && typeof answers[i] === "string") {
          texts[slug] = {text: answers[i], folded: fold(answers[i])};
        }
      });
      then();
    });
  }

  // Lower case without accents, keeping every UTF-16 unit in place so positions still match
  // the original text when the excerpt is cut from it (search.py folds the index the same way).
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

  // Excerpts for the cards (list items with data-slug) once their texts are loaded.
  function addExcerpts(items, words, id) {
    withTexts(items.map(function (item) { return item.getAttribute("data-slug"); }), function () {
      if (id !== generation) return;
      items.forEach(function (item) {
        var entry = texts[item.getAttribute("data-slug")];
        var old = item.querySelector(".excerpt");
        if (old || !entry) return;
        var text = excerpt(entry, words);
        if (text) item.querySelector(".card").appendChild(text);
      });
    });
  }

  /* ---- Showing the result ---- */
  function update() {
    var id = ++generation;
    var words = terms(query);
    limit = PAGE;
    if (!words.length && !(paginated && Object.keys(chosen).length)) return show(null, words, id);
    ensureDocs(function () {
      if (id !== generation) return;
      if (!words.length) return show(null, words, id);
      match(words, function (points) { if (id === generation) show(points, words, id); });
    });
  }

  function show(points, words, id) {
    if (paginated) return showResults(points, words, id);
    var shown = [];
    cards.forEach(function (card) {
      var old = card.querySelector(".excerpt");
      if (old) old.parentNode.removeChild(old);
      var score = points ? points[docs.bySlug[card.getAttribute("data-slug")]] || 0 : 1;
      var visible = score > 0 && passesFilters(card);
      card.hidden = !visible;
      if (visible) shown.push({card: card, points: score});
    });
    // Best matches first while searching; the reading order otherwise.
    var order = cards;
    if (points) {
      order = shown.sort(function (a, b) { return b.points - a.points; })
        .map(function (item) { return item.card; })
        .concat(cards.filter(function (card) { return card.hidden; }));
      addExcerpts(shown.map(function (item) { return item.card; }), words, id);
    }
    order.forEach(function (card) { cardList.appendChild(card); });
    report(shown.length, !!points);
  }

  function docPasses(doc) {
    return Object.keys(chosen).every(function (name) {
      var wanted = name + ":" + chosen[name];
      return doc[3].some(function (i) { return docs.facets[i] === wanted; });
    });
  }

  // The index in pages: results are drawn from docs.js, the page's own cards are put aside.
  function showResults(points, words, id) {
    var active = !!points || Object.keys(chosen).length > 0;
    cardList.hidden = active;
    if (pageNav) pageNav.hidden = active;
    if (!results) {
      results = document.createElement("ul");
      results.className = "cards";
      results.id = "results";
      cardList.parentNode.insertBefore(results, cardList.nextSibling);
    }
    results.textContent = "";
    if (moreButton) moreButton.hidden = true;
    if (!active) { report(0, false); return; }
    var found = [];
    docs.docs.forEach(function (doc, i) {
      var score = points ? points[i] || 0 : 1;
      if (score > 0 && docPasses(doc)) found.push({doc: doc, points: score, at: i});
    });
    found.sort(function (a, b) { return b.points - a.points || a.at - b.at; });
    var items = found.slice(0, limit).map(function (item) {
      var li = document.createElement("li");
      li.setAttribute("data-slug", item.doc[0]);
      var article = document.createElement("article");
      article.className = "card";
      var heading = document.createElement("h3");
      heading.className = "card-title";
      var link = document.createElement("a");
      link.href = "cases/" + item.doc[0] + ".html";
      link.textContent = item.doc[1];
      heading.appendChild(link);
      var facts = document.createElement("p");
      facts.className = "card-lead";
      facts.textContent = item.doc[2];
      article.appendChild(heading);
      article.appendChild(facts);
      li.appendChild(article);
      results.appendChild(li);
      return li;
    });
    if (points) addExcerpts(items, words, id);
    if (found.length > limit) {
      if (!moreButton) {
        moreButton = document.createElement("button");
        moreButton.type = "button";
        moreButton.className = "more-results";
        moreButton.textContent = say("more");
        moreButton.addEventListener("click", function () {
          var keep = limit + PAGE;
          var id = ++generation;
          var words = terms(query);
          var next = function (points) { limit = keep; showResults(points, words, id); };
          if (words.length) match(words, next); else next(null);
        });
        results.parentNode.insertBefore(moreButton, results.nextSibling);
      }
      moreButton.hidden = false;
    }
    report(found.length, !!points);
  }

  function report(count, searching) {
    var active = searching || Object.keys(chosen).length > 0;
    if (!active) {
      status.textContent = "";
    } else if (count === 0) {
      status.textContent = say("none");
    } else {
      status.textContent = say("showing").replace("{shown}", count).replace("{total}", total);
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
    update();
  }
  function focusSearch() { if (location.hash === "#search") input.focus(); }
  window.addEventListener("hashchange", focusSearch);
  focusSearch();
})();
