/* The page admins' change forms (mindlab/editor.py): collapsible sections stay open or closed as the editor
   left them (per form, in this browser), and leaving with unsaved changes asks first. Saving never asks. */
(function () {
  "use strict";

  function setUp() {
    var form = document.querySelector("#content-main form[id$='_form']");
    if (!form) return;

    var key = "mindlab:sections:" + form.id;
    var state;
    try { state = JSON.parse(window.localStorage.getItem(key)) || {}; } catch (e) { state = {}; }
    form.querySelectorAll("fieldset.collapse > details").forEach(function (details) {
      var heading = details.querySelector("summary .fieldset-heading, summary h2, summary h3");
      var name = heading ? heading.textContent.trim() : "";
      if (!name) return;
      var hasErrors = !!details.querySelector(".errorlist, .errors");
      if (Object.prototype.hasOwnProperty.call(state, name) && !hasErrors) details.open = state[name];
      details.addEventListener("toggle", function () {
        state[name] = details.open;
        try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* full or disabled */ }
      });
    });

    var unsaved = false;
    function changed() { unsaved = true; }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
      // "Preview unsaved changes" opens another tab and saves nothing.
      if (!(event.submitter && event.submitter.formTarget === "_blank")) unsaved = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (!unsaved) return;
      event.preventDefault();
      event.returnValue = "";  // older browsers ask only when this is set
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
