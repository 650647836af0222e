/* "Insert image" beside a page's body in the admin: choose an image from the media library or upload one, and
   put `![](image:12)` at the cursor. Another script (a Markdown editor) may take the text instead: it listens
   for "mindlab:insert" on the textarea and calls preventDefault(). No inline script or style (the admin's CSP). */
(function () {
  "use strict";

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => {
      if (name === "text") node.textContent = value; else node.setAttribute(name, value);
    });
    (children || []).forEach((child) => node.append(child));
    return node;
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function insertAtCursor(textarea, text) {
    const event = new CustomEvent("mindlab:insert", {detail: {text: text}, bubbles: true, cancelable: true});
    if (!textarea.dispatchEvent(event)) return;  // a listener (the Markdown editor) inserted it
    const start = textarea.selectionStart, end = textarea.selectionEnd, value = textarea.value;
    // A figure is a paragraph of its own: blank lines around it, unless the text already has them.
    const before = value.slice(0, start), after = value.slice(end);
    const lead = before === "" || before.endsWith("\n\n") ? "" : (before.endsWith("\n") ? "\n" : "\n\n");
    const tail = after === "" || after.startsWith("\n\n") ? "" : (after.startsWith("\n") ? "\n" : "\n\n");
    textarea.focus();
    textarea.setRangeText(lead + text + tail, start, end, "end");
    textarea.dispatchEvent(new Event("input", {bubbles: true}));
  }

  let dialog = null;

  function picker() {
    if (dialog) return dialog;
    const search = element("input", {type: "search", id: "image-picker-search", class: "vTextField",
      placeholder: "Alt text, caption, credit or title", autocomplete: "off"});
    const results = element("ul", {class: "image-picker__results", "aria-live": "polite"});
    const status = element("p", {class: "image-picker__status", role: "status"});
    const fields = [
      ["file", "Image file", "file", "JPEG, PNG or WebP, at most 5 MB.", true],
      ["alt", "Alt text", "text", "What the image shows, for readers who cannot see it.", true],
      ["caption", "Caption", "text", "Shown under the image. Optional.", false],
      ["credit", "Credit", "text", "For example “Photo: Ana Ruiz / CC BY 4.0”. Optional.", false],
    ];
    const upload = element("form", {class: "image-picker__upload", novalidate: ""}, fields.map(([name, label, type, help, required]) => {
      const input = element("input", {type: type, name: name, id: `image-picker-${name}`, "aria-describedby": `image-picker-${name}-help`});
      if (type === "file") input.setAttribute("accept", "image/jpeg,image/png,image/webp");
      else input.className = "vTextField";
      if (required) input.required = true;
      return element("div", {class: "image-picker__field"}, [
        element("label", {for: input.id, text: label + (required ? "" : " (optional)")}), input,
        element("p", {class: "help", id: `image-picker-${name}-help`, text: help}),
        element("ul", {class: "errorlist", "data-errors-for": name}),
      ]);
    }));
    upload.append(element("ul", {class: "errorlist", "data-errors-for": "__all__"}),
      element("button", {type: "submit", class: "button default", text: "Upload and insert"}));
    const uploadSection = element("details", {class: "image-picker__section"}, [
      element("summary", {text: "Upload a new image"}), upload]);
    dialog = element("dialog", {class: "image-picker", "aria-labelledby": "image-picker-title"}, [
      element("div", {class: "image-picker__head"}, [
        element("h2", {id: "image-picker-title", text: "Insert an image"}),
        element("button", {type: "button", class: "button image-picker__close", "data-close": "", text: "Close"}),
      ]),
      element("section", {class: "image-picker__section"}, [
        element("label", {for: search.id, text: "Search the media library"}), search, status, results]),
      uploadSection,
    ]);
    document.body.append(dialog);

    let timer = null;
    search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => load(search.value), 250); });
    dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
    results.addEventListener("click", (event) => {
      const choice = event.target.closest("button[data-markdown]");
      if (choice) choose(choice.dataset.markdown);
    });
    upload.addEventListener("submit", (event) => { event.preventDefault(); send(upload); });
    dialog.parts = {search, results, status, upload, uploadSection};
    return dialog;
  }

  let target = null;

  function choose(markdown) {
    dialog.close();
    insertAtCursor(target, markdown);
  }

  async function load(query) {
    const {results, status, uploadSection} = dialog.parts;
    status.textContent = "Searching…";
    const url = new URL(target.dataset.imagePicker, window.location.href);
    if (query) url.searchParams.set("q", query);
    let data;
    try {
      const response = await fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}});
      if (!response.ok) throw new Error(response.status);
      data = await response.json();
    } catch (error) {
      status.textContent = "The media library could not be reached. Try again in a moment.";
      return;
    }
    results.replaceChildren(...data.results.map((image) => element("li", {}, [
      element("button", {type: "button", class: "image-picker__choice", "data-markdown": image.markdown}, [
        element("img", {src: image.thumbnail, alt: "", loading: "lazy"}),
        element("span", {class: "image-picker__alt", text: image.title}),
        element("span", {class: "image-picker__meta", text: `image:${image.id}` + (image.caption ? ` · ${image.caption}` : "")}),
      ]),
    ])));
    status.textContent = data.results.length ? `${data.results.length} image(s). Choose one to insert it.`
      : (query ? "No image matches. Upload it below." : "The library is empty. Upload the first image below.");
    uploadSection.hidden = !data.can_upload;
    if (!data.results.length && data.can_upload) uploadSection.open = true;
  }

  async function send(form) {
    form.querySelectorAll("[data-errors-for]").forEach((list) => list.replaceChildren());
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    button.textContent = "Uploading…";
    try {
      const response = await fetch(target.dataset.imageUpload, {
        method: "POST", body: new FormData(form), credentials: "same-origin",
        headers: {"X-CSRFToken": csrfToken(), Accept: "application/json"},
      });
      const data = await response.json().catch(() => ({errors: {__all__: ["The upload failed. Try again."]}}));
      if (response.ok) {
        form.reset();
        choose(data.image.markdown);
        return;
      }
      Object.entries(data.errors || {__all__: ["The upload failed. Try again."]}).forEach(([name, messages]) => {
        const list = form.querySelector(`[data-errors-for="${name}"]`) || form.querySelector('[data-errors-for="__all__"]');
        messages.forEach((message) => list.append(element("li", {text: message})));
      });
      const first = form.querySelector(".errorlist li");
      if (first) first.closest(".image-picker__field, form").querySelector("input, button").focus();
    } catch (error) {
      form.querySelector('[data-errors-for="__all__"]').append(element("li", {text: "The upload failed. Try again."}));
    } finally {
      button.disabled = false;
      button.textContent = "Upload and insert";
    }
  }

  function open(textarea) {
    target = textarea;
    const box = picker();
    box.showModal();
    box.parts.search.focus();
    load(box.parts.search.value);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("textarea[data-image-picker]").forEach((textarea) => {
      const button = element("button", {type: "button", class: "button insert-image",
        "data-insert-image-for": textarea.id, "aria-haspopup": "dialog", text: "Insert image"});
      button.addEventListener("click", () => open(textarea));
      // Under the field, above its help text (the admin puts the label and the textarea in one flex row).
      (textarea.closest(".flex-container") || textarea).after(element("div", {class: "insert-image-bar"}, [button]));
    });
  });
})();
