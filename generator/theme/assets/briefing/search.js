/*
 * Pagefind search in Material's header search box (partials/bf-search.html).
 *
 * Results go into Material's own result list, with Material's classes:
 * li.md-search-result__item > a.md-search-result__link > article, and the
 * "N matching documents" line above. Keyboard use is Material's: "/", "s" or
 * "f" opens the search, arrows move through the results, Enter opens the
 * best one, Escape or Tab closes. A page opened with ?q=... starts with that
 * search (the not-found page relies on it).
 *
 * The bundle lives at <site root>/pagefind/ (data-bf-bundle on the form,
 * made absolute once: the header survives Material's instant navigation, and
 * the address of the first page resolves it). Pagefind's results are paths
 * from the site root, so baseUrl is the root's path: /repo/ on a project
 * page, / on a domain root.
 *
 * Chinese and Japanese: the index holds each Han or kana character as a word
 * (generator/search/text.py), so a query is split the same way, and a query
 * made of one such run is searched as a phrase.
 */
(function () {
  "use strict";

  var form = document.forms.namedItem("bf-search");
  if (!form || form.dataset.bfReady) return;
  form.dataset.bfReady = "1";

  var input = form.querySelector(".md-search__input");
  var toggle = document.getElementById("__search");
  var meta = document.querySelector(".md-search-result__meta");
  var list = document.querySelector(".md-search-result__list");
  var scrollwrap = document.querySelector(".md-search__scrollwrap");
  var bundle = new URL(form.getAttribute("data-bf-bundle") || "pagefind/", location.href);
  var root = new URL("../", bundle);

  var FIRST = 10; // results rendered at once; more when the list is scrolled to its end
  var MORE = 10;
  var CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u{20000}-\u{2fa1f}";
  var CJK_CHAR = new RegExp("[" + CJK + "]", "gu");
  var HAS_CJK = new RegExp("[" + CJK + "]", "u");
  var CJK_ONLY = new RegExp("^[" + CJK + "]+$", "u");
  var CJK_GAP = new RegExp("([" + CJK + "])((?:</?mark>)*) ((?:</?mark>)*)(?=[" + CJK + "])", "gu");

  var translations = {
    "search.result.placeholder": "Type to start searching",
    "search.result.none": "No matching documents",
    "search.result.one": "1 matching document",
    "search.result.other": "# matching documents",
  };
  try {
    var config = JSON.parse(document.getElementById("__config").textContent);
    Object.assign(translations, config.translations || {});
  } catch (e) {}
  function t(key, value) {
    return translations[key].replace("#", value === undefined ? "" : String(value));
  }

  var pagefind = null;
  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind.js", bundle).href).then(function (module) {
        return module
          // noWorker: a query takes milliseconds of WebAssembly; a worker would add a script to fetch and start first.
          .options({ baseUrl: root.pathname, excerptLength: 24, noWorker: true })
          .then(function () {
            return module.init();
          })
          .then(function () {
            return module;
          });
      });
      pagefind.catch(function () {
        meta.textContent = t("search.result.none");
        pagefind = null;
      });
    }
    return pagefind;
  }

  /** The query as the index holds words: see generator/search/text.py. */
  function prepare(query) {
    var text = query.replace(/[\u2019\u02bc\uff07]/g, "'").trim();
    if (!HAS_CJK.test(text)) return text;
    var quoted = /^".*"$/.test(text);
    var bare = quoted ? text.slice(1, -1).trim() : text;
    var spaced = bare.replace(CJK_CHAR, " $& ").replace(/\s+/g, " ").trim();
    return quoted || CJK_ONLY.test(bare) ? '"' + spaced + '"' : spaced;
  }

  /** Pagefind's excerpt (entities escaped, <mark> around matches) as safe DOM, CJK joined again. */
  function excerpt(html) {
    var joined = html;
    for (var i = 0; i < 2; i++) joined = joined.replace(CJK_GAP, "$1$2$3"); // overlapping gaps
    var p = document.createElement("p");
    var parts = joined.split(/(<\/?mark>)/);
    var mark = null;
    var scratch = document.createElement("textarea");
    for (var k = 0; k < parts.length; k++) {
      var part = parts[k];
      if (part === "<mark>") mark = document.createElement("mark");
      else if (part === "</mark>") {
        if (mark) p.appendChild(mark);
        mark = null;
      } else if (part) {
        scratch.innerHTML = part; // decodes entities; a textarea never parses tags
        (mark || p).appendChild(document.createTextNode(scratch.value));
      }
    }
    return p;
  }

  function plainTitle(text) {
    var title = String(text || "").replace(/\s*¶\s*$/, "");
    for (var i = 0; i < 2; i++) title = title.replace(CJK_GAP, "$1$2$3");
    return title;
  }

  function render(result, best) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.tabIndex = -1;
    // The indexer stores each page's path from the site root as bf_url (generator/search/pagefind.py).
    var path = (result.meta && result.meta.bf_url) || result.url;
    a.href = new URL(path.replace(/^\//, ""), root).href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    article.setAttribute("data-md-score", best.toFixed(2));
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var h1 = document.createElement("h1");
    h1.textContent = plainTitle(result.meta && result.meta.title) || result.url;
    var text = excerpt(result.excerpt || "");
    article.append(icon, h1);
    if (text.textContent.replace(/[\s.]+$/, "") !== h1.textContent) article.appendChild(text); // a page indexed by its title only
    a.appendChild(article);
    li.appendChild(a);
    return li;
  }

  var current = { seq: 0, results: [], shown: 0, loading: false };

  function setMeta(count, query) {
    if (!query) meta.textContent = t("search.result.placeholder");
    else if (count === 0) meta.textContent = t("search.result.none");
    else if (count === 1) meta.textContent = t("search.result.one");
    else meta.textContent = t("search.result.other", count.toLocaleString());
  }

  function showMore(seq, count) {
    if (current.loading || current.shown >= current.results.length) return Promise.resolve();
    current.loading = true;
    var slice = current.results.slice(current.shown, current.shown + count);
    return Promise.all(
      slice.map(function (r) {
        return r.data();
      })
    ).then(function (data) {
      current.loading = false;
      if (seq !== current.seq) return;
      var fragment = document.createDocumentFragment();
      data.forEach(function (d, i) {
        fragment.appendChild(render(d, slice[i].score));
      });
      list.appendChild(fragment);
      current.shown += slice.length;
    });
  }

  /**
   * Pagefind scores every page that has an exact phrase alike, so a quoted search is ordered by
   * the same words' unquoted ranking: the page with the phrase in its title comes first.
   */
  function phrase(pf, prepared) {
    if (!/^".*"$/.test(prepared)) return pf.search(prepared);
    return Promise.all([pf.search(prepared), pf.search(prepared.slice(1, -1))]).then(function (both) {
      var rank = new Map();
      both[1].results.forEach(function (r, i) {
        rank.set(r.id, i);
      });
      var order = function (r) {
        return rank.has(r.id) ? rank.get(r.id) : Infinity;
      };
      both[0].results.sort(function (a, b) {
        return order(a) - order(b);
      });
      return both[0];
    });
  }

  var timer = 0;
  function search() {
    var query = input.value;
    var seq = ++current.seq;
    clearTimeout(timer);
    if (!query.trim()) {
      list.innerHTML = "";
      current.results = [];
      setMeta(0, "");
      return;
    }
    var prepared = prepare(query);
    // Pagefind's exact phrases miss a stemmed word with diacritics ("contrôles") unless diacritics are exact.
    var exact = /^".*"$/.test(prepared) && /[^\x00-\x7f]/.test(prepared);
    load().then(function (pf) {
      pf.preload(prepared).catch(function () {});
      timer = setTimeout(function () {
        if (seq !== current.seq) return;
        pf.options({ exactDiacritics: exact })
          .then(function () {
            return phrase(pf, prepared);
          })
          .then(function (found) {
          if (seq !== current.seq) return;
          current.results = found.results;
          current.shown = 0;
          current.loading = false;
          return showMore(seq, FIRST).then(function () {
            if (seq !== current.seq) return;
            // Replace the old list only once the new one is ready: no flicker while typing.
            var items = Array.prototype.slice.call(list.children, list.children.length - current.shown);
            list.replaceChildren.apply(list, items);
            setMeta(found.results.length, query);
          });
        }).catch(function () {
          if (seq === current.seq) setMeta(0, query); // the index could not be read: say so, never hang
        });
      }, 60);
    }, function () {});
  }

  function open(value) {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    if (value !== undefined) input.value = value;
  }

  function close() {
    if (toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    input.blur();
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link"));
  }

  toggle.addEventListener("change", function () {
    list.hidden = !toggle.checked;
    list.setAttribute("role", toggle.checked ? "list" : "presentation");
    if (toggle.checked) {
      load();
      if (document.activeElement !== input) input.focus();
    }
  });
  input.addEventListener("focus", function () {
    open();
    load();
  });
  input.addEventListener("input", search);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      search();
      input.focus();
    });
  });
  list.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("a")) close();
  });
  scrollwrap.addEventListener("scroll", function () {
    if (scrollwrap.scrollTop + scrollwrap.clientHeight >= scrollwrap.scrollHeight - 64) showMore(current.seq, MORE);
  });

  function typing(element) {
    if (!element) return false;
    var tag = element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || element.isContentEditable;
  }

  window.addEventListener("keydown", function (event) {
    if (event.metaKey || event.ctrlKey || event.altKey || event.isComposing) return;
    var active = document.activeElement;
    if (!toggle.checked) {
      if ((event.key === "/" || event.key === "s" || event.key === "f") && !typing(active)) {
        event.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    switch (event.key) {
      case "Enter":
        if (active === input) {
          event.preventDefault();
          var first = links()[0];
          if (first) first.click();
        }
        break;
      case "Escape":
      case "Tab":
        close();
        break;
      case "ArrowUp":
      case "ArrowDown":
        var items = [input].concat(links());
        var index = Math.max(0, items.indexOf(active));
        var next = (index + items.length + (event.key === "ArrowUp" ? -1 : 1)) % items.length;
        items[next].focus();
        if (next === items.length - 1) showMore(current.seq, MORE);
        event.preventDefault();
        break;
      default:
        if (active !== input && event.key.length === 1) input.focus();
    }
  });

  var params = new URL(location.href).searchParams;
  if (params.has("q")) {
    open(params.get("q"));
    input.focus();
    search();
    toggle.addEventListener("change", function once() {
      if (toggle.checked) return;
      toggle.removeEventListener("change", once);
      var url = new URL(location.href);
      url.searchParams.delete("q");
      history.replaceState(history.state, "", url.href);
    });
  }
})();
