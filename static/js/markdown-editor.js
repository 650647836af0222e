/* Markdown fields as a writing pane (mindlab/widgets.py MarkdownEditor): EasyMDE with a toolbar, a preview
   made by the site's own renderer and styled by the site's stylesheet, paste from Word and Google Docs as
   Markdown (turndown), a draft copy in this browser, and the media library's "mindlab:insert" events.
   A static file, found by its textareas' data attributes: the admin's CSP allows no inline script. */
(function () {
  "use strict";

  var DRAFT_PREFIX = "mindlab:draft:";

  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function storageGet(key) {
    try { return JSON.parse(window.localStorage.getItem(key)); } catch (e) { return null; }
  }

  function storageSet(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or disabled */ }
  }

  function storageRemove(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* disabled */ }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clock(time) {
    var date = new Date(time), today = new Date();
    var hhmm = pad(date.getHours()) + ":" + pad(date.getMinutes());
    return date.toDateString() === today.toDateString()
      ? hhmm : date.toLocaleDateString(undefined, { day: "numeric", month: "short" }) + ", " + hhmm;
  }

  /* ---------- Paste from Word and Google Docs ---------- */

  function styleOf(el) {
    return (el.getAttribute("style") || "").toLowerCase().replace(/\s+/g, "");
  }

  function unwrap(el) {
    while (el.firstChild) el.parentNode.insertBefore(el.firstChild, el);
    el.remove();
  }

  function isWordListParagraph(node) {
    return node.nodeType === 1 && node.tagName === "P" &&
      (/(^|;)mso-list:/.test(styleOf(node)) || /MsoListParagraph/.test(node.className));
  }

  // Word draws list bullets and numbers itself, inside <![if !supportLists]> … <![endif]>: take them out,
  // and say what they were (a number or letter means an ordered list).
  function takeWordMarker(p) {
    var text = "", inside = false;
    Array.prototype.slice.call(p.childNodes).forEach(function (node) {
      if (node.nodeType === 8 && /^\[if !supportLists\]/.test(node.data)) { inside = true; node.remove(); return; }
      if (node.nodeType === 8 && /^\[endif\]/.test(node.data) && inside) { inside = false; node.remove(); return; }
      if (inside) { text += node.textContent; node.remove(); }
    });
    p.querySelectorAll("span").forEach(function (span) {
      if (/mso-list:ignore/.test(styleOf(span))) { text += span.textContent; span.remove(); }
    });
    return text.replace(/\u00a0/g, " ").trim();
  }

  function wordLists(doc) {
    var parents = [];
    doc.querySelectorAll("p").forEach(function (p) {
      if (isWordListParagraph(p) && parents.indexOf(p.parentNode) === -1) parents.push(p.parentNode);
    });
    parents.forEach(function (parent) {
      var stack = [];
      Array.prototype.slice.call(parent.childNodes).forEach(function (node) {
        if (node.nodeType === 8 || (node.nodeType === 3 && !node.textContent.trim())) return;
        if (!isWordListParagraph(node)) { stack = []; return; }
        var level = Number((styleOf(node).match(/level(\d+)/) || [0, 1])[1]);
        var marker = takeWordMarker(node);
        var tag = /^\(?[0-9a-z]{1,4}[.)]$/i.test(marker) ? "ol" : "ul";
        while (stack.length && stack[stack.length - 1].level > level) stack.pop();
        var top = stack[stack.length - 1];
        if (!top || top.level < level || top.list.tagName.toLowerCase() !== tag) {
          var list = doc.createElement(tag);
          if (top && top.level < level) (top.list.lastElementChild || top.list).appendChild(list);
          else node.parentNode.insertBefore(list, node);
          if (top && top.level === level) stack.pop();
          top = { list: list, level: level };
          stack.push(top);
        }
        var item = doc.createElement("li");
        while (node.firstChild) item.appendChild(node.firstChild);
        top.list.appendChild(item);
        node.remove();
      });
    });
  }

  // Google Docs marks bold and italics with styles, not tags, and wraps everything in a <b> that is not bold.
  function styledEmphasis(doc) {
    doc.querySelectorAll("b").forEach(function (b) {
      if (/(^|;)font-weight:(normal|[1-4]00)/.test(styleOf(b))) unwrap(b);
    });
    doc.querySelectorAll("span").forEach(function (span) {
      var style = styleOf(span);
      var bold = /(^|;)font-weight:(bold|[6-9]00)/.test(style) && !span.closest("h1,h2,h3,h4,h5,h6,th");
      var italic = /(^|;)font-style:italic/.test(style);
      if (!bold && !italic || !span.textContent.trim()) return;
      var node = doc.createDocumentFragment();
      while (span.firstChild) node.appendChild(span.firstChild);
      if (italic) { var em = doc.createElement("em"); em.appendChild(node); node = em; }
      if (bold) { var strong = doc.createElement("strong"); strong.appendChild(node); node = strong; }
      span.appendChild(node);
    });
  }

  function cleanLinks(doc) {
    doc.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      // Google Docs sends its own redirect: keep the address it points to.
      var redirect = /^https:\/\/www\.google\.com\/url\?/.test(href) && new URL(href).searchParams.get("q");
      if (redirect) a.setAttribute("href", redirect);
      if (/^(#|file:|about:)/i.test(a.getAttribute("href"))) unwrap(a);
    });
    doc.querySelectorAll("a:not([href])").forEach(unwrap);
  }

  var turndown = null;

  function markdownService() {
    if (turndown) return turndown;
    turndown = new window.TurndownService({
      headingStyle: "atx", hr: "---", bulletListMarker: "-", codeBlockStyle: "fenced",
      emDelimiter: "*", strongDelimiter: "**",
    });
    if (window.turndownPluginGfm) turndown.use([window.turndownPluginGfm.tables, window.turndownPluginGfm.strikethrough]);
    turndown.remove(["style", "script", "meta", "title", "head", "xml", "img"]);
    // "- item" and "1. item", continuation lines indented by four spaces (the site's renderer nests by four).
    turndown.addRule("listItem", {
      filter: "li",
      replacement: function (content, node) {
        content = content.replace(/^\n+/, "").replace(/\n+$/, "").replace(/\n(?!\n)/g, "\n    ");
        var parent = node.parentNode, prefix = "- ";
        if (parent.nodeName === "OL") {
          var start = Number(parent.getAttribute("start") || 1);
          prefix = (start + Array.prototype.indexOf.call(parent.children, node)) + ". ";
        }
        return prefix + content + (node.nextSibling ? "\n" : "");
      },
    });
    return turndown;
  }

  // Word (class="Mso…", mso- styles) and Google Docs (docs-internal-guid) HTML as Markdown. Exposed for tests.
  function htmlToMarkdown(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll("style, meta, link, title, script").forEach(function (el) { el.remove(); });
    wordLists(doc);
    doc.querySelectorAll("p.MsoTitle").forEach(function (p) {
      var h1 = doc.createElement("h1");
      while (p.firstChild) h1.appendChild(p.firstChild);
      p.replaceWith(h1);
    });
    styledEmphasis(doc);
    cleanLinks(doc);
    // Text with no formatting (from a code editor, say, with Markdown already in it) is pasted as it is.
    if (!doc.body.querySelector("h1, h2, h3, h4, h5, h6, ul, ol, a[href], strong, b, em, i, table, blockquote, img")) {
      return { markdown: "", images: 0 };
    }
    var images = doc.querySelectorAll("img").length;
    var markdown = markdownService().turndown(doc.body).replace(/\u00a0/g, " ").replace(/\n{3,}/g, "\n\n").trim();
    return { markdown: markdown, images: images };
  }

  /* ---------- The preview, by the site's renderer ---------- */

  function Preview(textarea, status) {
    this.url = textarea.getAttribute("data-preview-url");
    this.css = textarea.getAttribute("data-preview-css");
    this.form = textarea.form;
    this.status = status;
    this.frames = [];
    this.html = null;
    this.sent = null;
    this.sequence = 0;
    this.request = debounce(this.fetch.bind(this), 350);
  }

  // The preview is a frame holding the public page's stylesheet and a `.prose` body, as on the page;
  // the frame is as tall as its content, so EasyMDE scrolls it beside the text.
  Preview.prototype.frameIn = function (container) {
    var frame = container.querySelector("iframe.markdown-preview");
    if (frame) return frame;
    frame = document.createElement("iframe");
    frame.className = "markdown-preview";
    frame.title = "Preview, as the page will show it";
    var css = this.css.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    frame.srcdoc = '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="' + css +
      '"><base target="_blank"></head><body><div class="layout__main"><div class="prose"></div></div></body></html>';
    var self = this;
    frame.addEventListener("load", function () {
      var doc = frame.contentDocument;
      doc.body.style.margin = "0";
      doc.body.style.padding = ".5rem 1.5rem 1.25rem";  // the first line level with the text beside it
      doc.body.style.background = "#fff";
      new frame.contentWindow.ResizeObserver(function () {
        frame.style.height = doc.documentElement.scrollHeight + "px";
      }).observe(doc.body);
      frame.setAttribute("data-loaded", "");
      self.show(frame);
    });
    container.textContent = "";
    container.appendChild(frame);
    this.frames.push(frame);
    return frame;
  };

  Preview.prototype.show = function (frame) {
    if (this.html === null || !frame.hasAttribute("data-loaded")) return;
    var prose = frame.contentDocument.querySelector(".prose");
    if (prose.getAttribute("data-for") === String(this.sequence)) return;
    prose.innerHTML = this.html;  // sanitised by the server: the same allow-list as the published page
    prose.setAttribute("data-for", String(this.sequence));
    frame.setAttribute("data-current", "");
  };

  Preview.prototype.render = function (text, container) {
    this.frameIn(container);
    this.request(text);
    return null;  // EasyMDE leaves the container to us
  };

  Preview.prototype.fetch = function (text) {
    if (text === this.sent) return;
    this.sent = text;
    var sequence = ++this.sequence, self = this;
    this.frames.forEach(function (frame) { frame.removeAttribute("data-current"); });
    var token = this.form && this.form.querySelector("input[name=csrfmiddlewaretoken]");
    window.fetch(this.url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "X-Requested-With": "XMLHttpRequest" },
      body: new URLSearchParams({ text: text }),
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (data) {
      if (sequence !== self.sequence) return;  // a later request is on its way
      self.html = data.html;
      self.status.words(data.words, data.reading_minutes);
      self.frames.forEach(function (frame) { self.show(frame); });
    }).catch(function () {
      if (sequence !== self.sequence) return;
      self.sent = null;
      self.status.problem("The preview could not be updated (are you still signed in?). Your text is safe.");
    });
  };

  /* ---------- The status line under the editor ---------- */

  function Status(container) {
    this.el = document.createElement("p");
    this.el.className = "markdown-editor__status";
    this.el.setAttribute("aria-live", "polite");
    this.parts = { words: "", draft: "", note: "" };
    container.parentNode.insertBefore(this.el, container.nextSibling);
  }

  Status.prototype.paint = function () {
    var parts = this.parts;
    this.el.textContent = [parts.note, parts.words, parts.draft].filter(Boolean).join(" · ");
    this.el.classList.toggle("markdown-editor__status--problem", !!parts.problem);
  };
  Status.prototype.words = function (words, minutes) {
    this.parts.words = words.toLocaleString() + " words" + (minutes ? " · " + minutes + " min read" : "");
    this.parts.problem = false;
    this.paint();
  };
  Status.prototype.draft = function (time) {
    this.parts.draft = time ? "Draft copy kept in this browser at " + clock(time) : "";
    this.paint();
  };
  Status.prototype.note = function (text) {
    this.parts.note = text;
    this.parts.problem = false;
    this.paint();
  };
  Status.prototype.problem = function (text) {
    this.parts.note = text;
    this.parts.problem = true;
    this.paint();
  };

  /* ---------- The draft copy ---------- */

  // Kept per field of one admin address (an article's change form, or the add form) as the editor types.
  // A save this browser sent clears it; an older copy that differs from the form is offered back.
  function setUpDraft(editor, textarea, container, status) {
    var key = DRAFT_PREFIX + window.location.pathname + "#" + textarea.name;
    var stored = storageGet(key);
    var formHasErrors = !!document.querySelector(".errornote, .errorlist");
    if (stored && (stored.text === editor.value() || (stored.submitted && !formHasErrors))) {
      storageRemove(key);
    } else if (stored && typeof stored.text === "string") {
      offerDraft(editor, key, stored, container);
    }
    editor.codemirror.on("change", debounce(function () {
      var now = Date.now();
      storageSet(key, { text: editor.value(), saved: now });
      status.draft(now);
    }, 400));
    if (textarea.form) {
      textarea.form.addEventListener("submit", function (event) {
        var submitter = event.submitter;
        if (submitter && submitter.formTarget === "_blank") return;  // "Preview unsaved changes" saves nothing
        var draft = storageGet(key);
        if (draft) { draft.submitted = true; storageSet(key, draft); }
      });
    }
  }

  function offerDraft(editor, key, stored, container) {
    var offer = document.createElement("div");
    offer.className = "markdown-editor__offer";
    offer.setAttribute("role", "alert");
    var text = document.createElement("span");
    text.textContent = "Restore unsaved text from " + clock(stored.saved) + "? It differs from the saved text.";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button default";
    restore.textContent = "Restore";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button";
    discard.textContent = "Discard it";
    offer.append(text, restore, discard);
    container.parentNode.insertBefore(offer, container);
    restore.addEventListener("click", function () {
      editor.value(stored.text);
      editor.codemirror.focus();
      offer.remove();
    });
    discard.addEventListener("click", function () {
      storageRemove(key);
      offer.remove();
    });
  }

  /* ---------- The editor ---------- */

  // Lucide's icons (static/vendor/lucide) by class, in markdown-editor.css; `name` is EasyMDE's for the button.
  function icon(name, picture, title, action, extra) {
    return { name: name, action: action, title: title, className: "mdx-icon mdx-" + picture + (extra ? " " + extra : "") };
  }

  // EasyMDE sizes the preview beside the text from the pane's height in pixels: "70vh" or "16rem" as pixels.
  function pixels(length) {
    var probe = document.createElement("div");
    probe.style.position = "absolute";
    probe.style.visibility = "hidden";
    probe.style.height = length;
    document.body.appendChild(probe);
    var height = Math.max(probe.offsetHeight, 200);
    probe.remove();
    return height + "px";
  }

  function setUp(textarea) {
    if (textarea.hasAttribute("data-editor-ready") || typeof window.EasyMDE !== "function") return;
    textarea.setAttribute("data-editor-ready", "");
    var preview, status;
    var EasyMDE = window.EasyMDE;

    function insertImage(editor) {
      var chooser = document.querySelector('[data-insert-image-for="' + CSS.escape(textarea.id) + '"]');
      if (chooser) { chooser.click(); return; }
      var cm = editor.codemirror;
      cm.replaceSelection("![Describe the image](https://)");
      var line = cm.getCursor().line, end = cm.getLine(line).indexOf("](https://)");
      cm.setSelection({ line: line, ch: end - "Describe the image".length }, { line: line, ch: end });
      cm.focus();
    }

    var editor = new EasyMDE({
      element: textarea,
      forceSync: true,
      autoDownloadFontAwesome: false,
      spellChecker: false,  // its dictionaries come from elsewhere; the browser's own spelling check is on
      nativeSpellcheck: true,
      inputStyle: "contenteditable",
      status: false,
      placeholder: "Write in Markdown, or paste from Word or Google Docs…",
      maxHeight: pixels(textarea.getAttribute("data-editor-height") || "70vh"),
      sideBySideFullscreen: false,
      syncSideBySidePreviewScroll: true,
      unorderedListStyle: "-",
      blockStyles: { bold: "**", italic: "*" },
      tabSize: 4,
      toolbarTips: true,
      toolbarButtonClassPrefix: "mde",  // not "link" or "table", which the admin styles
      toolbar: [
        icon("section-heading", "heading-2", "Section heading (##)", EasyMDE.toggleHeading2),
        icon("sub-heading", "heading-3", "Sub-heading (###)", EasyMDE.toggleHeading3),
        "|",
        icon("bold", "bold", "Bold", EasyMDE.toggleBold),
        icon("italic", "italic", "Italic", EasyMDE.toggleItalic),
        "|",
        icon("unordered-list", "list", "Bulleted list", EasyMDE.toggleUnorderedList),
        icon("ordered-list", "list-ordered", "Numbered list", EasyMDE.toggleOrderedList),
        icon("quote", "quote", "Pull quote", EasyMDE.toggleBlockquote),
        "|",
        icon("link", "link", "Link", EasyMDE.drawLink),
        icon("image", "image", "Insert image", insertImage),
        icon("table", "table", "Table", EasyMDE.drawTable),
        "|",
        icon("side-by-side", "columns-2", "Preview beside the text", EasyMDE.toggleSideBySide, "no-disable no-mobile"),
        icon("preview", "eye", "Preview only", EasyMDE.togglePreview, "no-disable"),
        icon("fullscreen", "maximize", "Full screen", EasyMDE.toggleFullScreen, "no-disable no-mobile"),
        "|",
        icon("undo", "undo-2", "Undo", EasyMDE.undo),
        icon("redo", "redo-2", "Redo", EasyMDE.redo),
      ],
      previewRender: function (text, container) { return preview.render(text, container); },
    });
    var cm = editor.codemirror;
    var container = cm.getWrapperElement().closest(".EasyMDEContainer");
    container.classList.add("markdown-editor");
    status = new Status(container);
    preview = new Preview(textarea, status);

    // The textarea stays the field scripts and tests talk to: shown to no one, but text set on it
    // (an "input" event) goes into the editor, and the editor's text is always in it (forceSync).
    textarea.style.display = "";
    textarea.classList.add("markdown-editor__source");
    textarea.setAttribute("tabindex", "-1");
    textarea.setAttribute("aria-hidden", "true");
    textarea.addEventListener("input", function () {
      if (textarea.value !== editor.value()) editor.value(textarea.value);
    });
    cm.on("change", function () {
      textarea.dispatchEvent(new Event("input", { bubbles: true }));  // the form knows it has unsaved changes
      preview.request(editor.value());  // the word count, and the preview when it is open
    });

    // The media library's "Insert image" (data-insert-image-for) sends its Markdown here.
    textarea.addEventListener("mindlab:insert", function (event) {
      if (!event.detail || typeof event.detail.text !== "string") return;
      event.preventDefault();
      cm.focus();
      // A figure is a block of its own, after the line the cursor is on (never splitting a heading or a
      // sentence), with blank lines around it so Markdown does not make it part of a list or paragraph.
      var cursor = cm.getCursor(), line = cm.getLine(cursor.line);
      if (line.trim()) cm.setCursor({line: cursor.line, ch: line.length});
      var next = cursor.line + 1 < cm.lineCount() ? cm.getLine(cursor.line + 1) : "";
      var before = line.trim() ? "\n\n" : (cursor.line > 0 && cm.getLine(cursor.line - 1).trim() ? "\n" : "");
      var after = next.trim() ? "\n\n" : "";
      cm.replaceSelection(before + event.detail.text + after);
    });

    cm.on("paste", function (instance, event) {
      var data = event.clipboardData;
      var html = data && data.getData("text/html");
      if (!html) return;
      var converted = htmlToMarkdown(html);
      if (!converted.markdown) return;
      event.preventDefault();
      cm.replaceSelection(converted.markdown);
      status.note(converted.images ? "Pasted as Markdown; " + converted.images +
        " image(s) left out: add them with the image button." : "Pasted as Markdown.");
    });

    setUpDraft(editor, textarea, container, status);
    if (container.offsetWidth >= 880) editor.toggleSideBySide();
    else preview.request(editor.value());
    textarea.editor = editor;
  }

  window.mindlabMarkdown = { htmlToMarkdown: htmlToMarkdown };

  function setUpAll() {
    document.querySelectorAll("textarea[data-markdown-editor]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
