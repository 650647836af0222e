// The triage queue: "Skip to the first request" puts the keyboard focus on the first request's link,
// so Tab, Enter (skip to main content), Tab, Enter reach it, and Enter opens it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var skip = document.querySelector(".desk-skip");
  if (!skip) {
    return;
  }
  skip.addEventListener("click", function (event) {
    var first = document.querySelector("#result_list tbody tr:first-child .field-queue_entry a");
    if (first) {
      event.preventDefault();
      first.focus();
    }
  });
});
