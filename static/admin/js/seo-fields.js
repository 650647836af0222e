/* The SEO fields of a page's admin form (mindlab/seo_admin.py gives the rules as data attributes):
   - a live character counter under the SEO title and the meta description, with the recommended range, as a
     warning (nothing is ever cut: what is typed or pasted is kept whole);
   - a search-result preview (title, address, description) that follows the typing, cut the way a search
     engine cuts them on screen (by width, with "…"), never in the stored text;
   - a slug suggested from the title on a new page (the same rule as mindlab.seo.suggest_slug), and a
     "Suggest from title" button for an existing page, whose address never changes by itself. */
(function () {
  "use strict";

  function $(id) { return id ? document.getElementById(id) : null; }

  function make(tag, className, text) {
    const element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined) { element.textContent = text; }
    return element;
  }

  function rowOf(input) { return input.closest(".form-row") || input.parentNode; }

  // The <title> rule of mindlab.seo.page_title: the site's name is added unless the SEO title names it.
  function pageTitle(input) {
    const own = input.value.trim() || ($(input.dataset.seoTitleSource) || {}).value || "";
    const site = input.dataset.siteName;
    return own.toLowerCase().includes(site.toLowerCase()) ? own : own + input.dataset.separator + site;
  }

  function descriptionOf(input) {
    const own = input.value.trim();
    if (own) { return {text: own, fallback: false}; }
    const source = $(input.dataset.fallbackSource);
    return {text: source ? source.value.trim().replace(/\s+/g, " ") : "", fallback: true};
  }

  function counter(input, measure) {
    const box = make("div", "seo-counter");
    const meter = make("span", "seo-counter__meter");
    const fill = make("span", "seo-counter__fill");
    meter.setAttribute("aria-hidden", "true");
    meter.append(fill);
    const note = make("p", "seo-counter__text");
    note.setAttribute("aria-live", "polite");
    note.id = input.id + "_counter";
    box.append(meter, note);
    input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + note.id).trim());
    // Under the field, above its help text (the admin puts a field and its errors in a flex row).
    (input.closest(".flex-container") || input).insertAdjacentElement("afterend", box);
    function update() {
      const result = measure();
      note.textContent = result.text;
      fill.style.width = Math.min(100, 100 * result.length / result.scale) + "%";  // CSSOM: allowed by the CSP
      box.classList.toggle("seo-counter--warning", result.warning);
      box.classList.toggle("seo-counter--ok", !result.warning && result.length > 0);
    }
    return update;
  }

  // Slugs: mindlab.seo.suggest_slug, word for word.
  function slugifyWord(word) {
    return word.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x00-\x7f]/g, "")
      .toLowerCase().replace(/[^\w\s-]/g, "").replace(/[-\s]+/g, "-").replace(/^[-_]+|[-_]+$/g, "");
  }

  function suggestSlug(title, max, stopWords) {
    const words = title.split(/[\s/\u2013\u2014-]+/).map(slugifyWord).filter(Boolean);
    let kept = words.filter(function (word) { return !stopWords.has(word); });
    if (!kept.length) { kept = words; }
    let slug = "";
    for (const word of kept) {
      const candidate = slug ? slug + "-" + word : word;
      if (candidate.length > max) { break; }
      slug = candidate;
    }
    return slug || (kept.length ? kept[0].slice(0, max).replace(/-+$/, "") : "");
  }

  function setUpSlug(slug) {
    const title = $(slug.dataset.seoTitleSource);
    if (!title) { return; }
    const max = Number(slug.dataset.slugMax);
    const stopWords = new Set(slug.dataset.stopWords.split(" "));
    const suggest = function () { return suggestSlug(title.value, max, stopWords); };
    // A new page: the slug follows the title until the editor types a slug of their own.
    let follows = slug.dataset.slugAuto === "1" && !slug.value;
    slug.addEventListener("input", function () { follows = false; });
    title.addEventListener("input", function () {
      if (follows) {
        slug.value = suggest();
        slug.dispatchEvent(new Event("change", {bubbles: true}));
      }
    });
    const button = make("button", "button seo-suggest", "Suggest from title");
    button.type = "button";
    button.addEventListener("click", function () {
      slug.value = suggest();
      slug.dispatchEvent(new Event("change", {bubbles: true}));
      slug.focus();
    });
    slug.insertAdjacentElement("afterend", button);
  }

  function setUpPreview(titleInput, descriptionInput) {
    const slug = $("id_slug");
    const box = make("div", "seo-preview");
    box.setAttribute("aria-label", "Search result preview");
    box.setAttribute("role", "group");
    const label = make("p", "seo-preview__label", "Search result preview");
    const result = make("div", "seo-preview__result");
    const site = make("div", "seo-preview__site");
    const icon = make("span", "seo-preview__icon", titleInput.dataset.siteName.charAt(0));
    icon.setAttribute("aria-hidden", "true");
    const siteText = make("div", "seo-preview__site-text");
    const siteName = make("span", "seo-preview__site-name", titleInput.dataset.siteName);
    const url = make("span", "seo-preview__url");
    siteText.append(siteName, url);
    site.append(icon, siteText);
    const title = make("p", "seo-preview__title");
    const description = make("p", "seo-preview__description");
    const note = make("p", "seo-preview__note");
    result.append(site, title, description);
    box.append(label, result, note);
    rowOf(descriptionInput).insertAdjacentElement("afterend", box);

    const data = descriptionInput.dataset;
    return function update() {
      const address = (data.siteUrl + data.address).replace(data.placeholder,
        (slug && slug.value) || data.liveSlug || data.placeholder);
      const parts = address.replace(/^https?:\/\//, "").replace(/\/$/, "").split("/");
      url.textContent = data.siteUrl.replace(/^(https?:\/\/[^/]+).*$/, "$1") +
        (parts.length > 1 ? " › " + parts.slice(1).join(" › ") : "");
      title.textContent = pageTitle(titleInput);
      const text = descriptionOf(descriptionInput);
      description.textContent = text.text;
      description.classList.toggle("seo-preview__description--fallback", text.fallback);
      note.textContent = text.fallback
        ? "No meta description: search engines choose their own text (this is the opening they may show)."
        : "Search engines cut long titles and descriptions on screen, as here; your text is stored and sent whole.";
    };
  }

  function init() {
    const titleInput = document.querySelector("[data-seo-counter=title]");
    const descriptionInput = document.querySelector("[data-seo-counter=description]");
    const updates = [];
    if (titleInput) {
      const max = Number(titleInput.dataset.max);
      updates.push(counter(titleInput, function () {
        const length = pageTitle(titleInput).length;
        const suffix = titleInput.value.trim().toLowerCase().includes(titleInput.dataset.siteName.toLowerCase())
          ? "" : " (with “" + titleInput.dataset.separator.trim() + " " + titleInput.dataset.siteName + "”)";
        return {
          length: length, scale: max, warning: length > max,
          text: "Title in search results: " + length + " characters" + suffix + ". Up to " + max +
            " is shown" + (length > max ? "; the rest is cut off on screen." : "."),
        };
      }));
    }
    if (descriptionInput) {
      const min = Number(descriptionInput.dataset.min), max = Number(descriptionInput.dataset.max);
      updates.push(counter(descriptionInput, function () {
        const length = descriptionInput.value.trim().length;
        let advice = min + "–" + max + " is recommended.";
        if (!length) { advice = "Empty: search engines write their own. " + advice; }
        else if (length < min) { advice = "Short: " + advice; }
        else if (length > max) { advice = "Long: search engines cut it on screen after about " + max + ". " + advice; }
        return {length: length, scale: max, warning: length > max || (length > 0 && length < min),
                text: length + " characters. " + advice};
      }));
    }
    if (titleInput && descriptionInput) { updates.push(setUpPreview(titleInput, descriptionInput)); }
    const slug = document.querySelector("[data-slug-max]");
    if (slug) { setUpSlug(slug); }
    const refresh = function () { updates.forEach(function (update) { update(); }); };
    ["id_title", "id_slug", "id_excerpt", "id_tagline"].forEach(function (id) {
      const input = $(id);
      if (input) { input.addEventListener("input", refresh); input.addEventListener("change", refresh); }
    });
    [titleInput, descriptionInput].forEach(function (input) {
      if (input) { input.addEventListener("input", refresh); }
    });
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
