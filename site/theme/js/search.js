// The search page: datasets first (the index of registry/site/dataset_search.py, loaded a shard
// at a time), then the documentation (mkdocs's lunr index, in its worker). Any word may match;
// datasets are ranked by the rarer words they contain, a word in the name counting three
// times, and a word of three letters or more also finds longer words it begins
// ("court" finds "courts"). Snippets are whole words. Text is set with textContent only.
(function () {
  "use strict";
  var STOP = "a an and are as at be by for from has have in into is it its of on or that the this to was were which with".split(" ");
  var PAGE = 20;
  var LABELS = {"commons-by-default": "Commons by default", "open-use-restricted": "Open, use restricted", "not-commons": "Not commons", "undetermined": "Undetermined"};
  var root = (typeof base_url === "string" ? base_url : ".").replace(/\/$/, "") + "/";
  var folder = root + "search/datasets/";
  var cache = {};

  function fetchJSON(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) {
        if (!r.ok) { throw new Error(url + ": " + r.status); }
        return r.json();
      });
    }
    return cache[url];
  }

  function tokens(text) {
    var plain = text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "");
    return (plain.match(/[\p{L}\p{N}]+/gu) || []).filter(function (t) { return STOP.indexOf(t) < 0; });
  }

  function decode(gaps) {
    var out = [], n = 0;
    for (var i = 0; i < gaps.length; i++) { n += gaps[i]; out.push(n); }
    return out;
  }

  function searchDatasets(query) {
    var terms = tokens(query).filter(function (t, i, all) { return all.indexOf(t) === i; });
    if (!terms.length) { return Promise.resolve({manifest: null, ranked: []}); }
    return fetchJSON(folder + "index.json").then(function (manifest) {
      var wanted = {};
      terms.forEach(function (t) {
        manifest.shards.forEach(function (key, i) {
          if (t.indexOf(key) === 0 || (t.length >= 3 && key.indexOf(t) === 0)) { wanted[i] = true; }
        });
      });
      var loads = Object.keys(wanted).map(function (i) { return fetchJSON(folder + "t-" + i + ".json"); });
      return Promise.all(loads).then(function (shards) {
        var scores = {};
        terms.forEach(function (t) {
          var hits = {};
          shards.forEach(function (shard) {
            Object.keys(shard).forEach(function (token) {
              if (token === t || (t.length >= 3 && token.indexOf(t) === 0)) {
                var weight = token === t ? 1 : 0.7;
                decode(shard[token][0]).forEach(function (n) { hits[n] = Math.max(hits[n] || 0, 3 * weight); });
                decode(shard[token][1]).forEach(function (n) { hits[n] = Math.max(hits[n] || 0, weight); });
              }
            });
          });
          var found = Object.keys(hits).length;
          var idf = Math.log(1 + manifest.count / (1 + found));
          Object.keys(hits).forEach(function (n) { scores[n] = (scores[n] || 0) + hits[n] * idf; });
        });
        var ranked = Object.keys(scores).map(Number).sort(function (a, b) {
          return scores[b] - scores[a] || a - b;
        });
        return {manifest: manifest, ranked: ranked};
      });
    });
  }

  function records(manifest, numbers) {
    var chunks = {};
    numbers.forEach(function (n) { chunks[Math.floor(n / manifest.chunk)] = true; });
    var keys = Object.keys(chunks);
    return Promise.all(keys.map(function (k) { return fetchJSON(folder + "r-" + k + ".json"); })).then(function (loaded) {
      var byChunk = {};
      keys.forEach(function (k, i) { byChunk[k] = loaded[i]; });
      return numbers.map(function (n) { return byChunk[Math.floor(n / manifest.chunk)][n % manifest.chunk]; });
    });
  }

  // The words of `text` around the first query word, cut at word boundaries, with the query
  // words marked.
  function snippet(text, terms, limit) {
    var words = text.split(/\s+/).filter(Boolean);
    var first = 0;
    for (var i = 0; i < words.length; i++) {
      var w = tokens(words[i]);
      if (w.some(function (x) { return terms.some(function (t) { return x.indexOf(t) === 0; }); })) { first = i; break; }
    }
    // A text that fits is shown whole; a longer one from a few words before the first match.
    var start = text.length <= limit ? 0 : Math.max(0, first - 8), shown = [], length = 0;
    for (var j = start; j < words.length && length + words[j].length <= limit; j++) {
      shown.push(words[j]); length += words[j].length + 1;
    }
    var p = document.createElement("p");
    if (start > 0) { p.appendChild(document.createTextNode("… ")); }
    shown.forEach(function (word, k) {
      if (k) { p.appendChild(document.createTextNode(" ")); }
      var hit = tokens(word).some(function (x) { return terms.some(function (t) { return x.indexOf(t) === 0; }); });
      var node = hit ? document.createElement("mark") : null;
      var textNode = document.createTextNode(word);
      if (node) { node.appendChild(textNode); p.appendChild(node); } else { p.appendChild(textNode); }
    });
    if (start + shown.length < words.length) { p.appendChild(document.createTextNode(" …")); }
    return p;
  }

  function result(href, title, text, terms, badge) {
    var article = document.createElement("article");
    var h = document.createElement("h3");
    var a = document.createElement("a");
    a.href = href; a.textContent = title;
    h.appendChild(a);
    if (badge) {
      var span = document.createElement("span");
      span.className = "badge badge-" + badge;
      span.textContent = LABELS[badge] || badge;
      h.appendChild(document.createTextNode(" "));
      h.appendChild(span);
    }
    article.appendChild(h);
    article.appendChild(snippet(text, terms, 220));
    return article;
  }

  function section(parent, id, title) {
    var s = document.createElement("section");
    s.id = id;
    s.setAttribute("aria-labelledby", id + "-title");
    var h = document.createElement("h2");
    h.id = id + "-title"; h.textContent = title;
    s.appendChild(h);
    parent.appendChild(s);
    return s;
  }

  function showDatasets(box, found, terms) {
    var s = section(box, "dataset-results", "Datasets (" + found.ranked.length + ")");
    if (!found.ranked.length) {
      var none = document.createElement("p");
      none.textContent = "No dataset matches these words.";
      s.appendChild(none);
      return Promise.resolve();
    }
    var list = document.createElement("div");
    s.appendChild(list);
    function more(from) {
      return records(found.manifest, found.ranked.slice(from, from + PAGE)).then(function (rows) {
        rows.forEach(function (r) {
          var item = result(root + "entries/" + r[0] + ".html", r[1], r[2], terms, r[3]);
          if (r[4]) {
            var tag = document.createElement("span");
            tag.className = "badge badge-imported";
            tag.textContent = "Imported";
            tag.title = "Imported from an open catalog: the licence is the uploader's declaration, not checked";
            item.querySelector("h3").appendChild(document.createTextNode(" "));
            item.querySelector("h3").appendChild(tag);
          }
          list.appendChild(item);
        });
        var old = s.querySelector("button.more");
        if (old) { old.remove(); }
        if (from + PAGE < found.ranked.length) {
          var button = document.createElement("button");
          button.type = "button"; button.className = "more";
          button.textContent = "Show " + Math.min(PAGE, found.ranked.length - from - PAGE) + " more datasets";
          button.addEventListener("click", function () { more(from + PAGE); });
          s.appendChild(button);
        }
      });
    }
    return more(0);
  }

  function showDocs(box, docs, terms) {
    var s = section(box, "doc-results", "Documentation (" + docs.length + ")");
    docs.slice(0, PAGE).forEach(function (d) {
      s.appendChild(result(root + d.location, d.title, d.text, terms, null));
    });
    if (!docs.length) {
      var none = document.createElement("p");
      none.textContent = "No documentation page matches these words.";
      s.appendChild(none);
    }
  }

  // The documentation: mkdocs's index (pages and their sections), searched with lunr in the page
  // itself (it holds the documentation only, so it is small).
  var docsIndex = null;
  function docsFor(query) {
    if (!docsIndex) {
      docsIndex = fetchJSON(root + "search/search_index.json").then(function (data) {
        var byLocation = {};
        var index = lunr(function () {
          this.field("title");
          this.field("text");
          this.ref("location");
          data.docs.forEach(function (doc) { this.add(doc); byLocation[doc.location] = doc; }, this);
        });
        return {index: index, docs: byLocation};
      });
    }
    return docsIndex.then(function (d) {
      return d.index.search(query).map(function (hit) { return d.docs[hit.ref]; });
    });
  }

  var turn = 0;
  function run(query) {
    var box = document.getElementById("mkdocs-search-results");
    var mine = ++turn;
    var terms = tokens(query);
    box.textContent = "";
    if (!terms.length) { return; }
    var datasets = document.createElement("div"), docs = document.createElement("div");
    box.appendChild(datasets);
    box.appendChild(docs);
    // lunr: any word, and a word's beginning as in the datasets ("licen*" finds "licence").
    var docQuery = terms.map(function (t) { return t.length >= 3 ? t + " " + t + "*" : t; }).join(" ");
    var shown = searchDatasets(query).then(function (found) {
      if (mine === turn) { return showDatasets(datasets, found, terms); }
    });
    // The documentation is listed below the datasets, whichever answers first.
    Promise.all([docsFor(docQuery), shown]).then(function (both) {
      if (mine === turn) { showDocs(docs, both[0], terms); }
    }).catch(function (error) { docs.textContent = "Searching the documentation failed: " + error.message; });
    shown.catch(function (error) { datasets.textContent = "Search failed: " + error.message; });
  }

  var input = document.getElementById("mkdocs-search-query");
  var q = new URLSearchParams(window.location.search).get("q");
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 250);
  });
  if (q) { input.value = q; run(q); }
})();
