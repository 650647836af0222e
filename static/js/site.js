// A form sent back with errors: its summary takes the focus (autofocus does it where the browser honours it).
document.querySelector("[data-error-summary]")?.focus();

// Copy-link button: shown only where the Clipboard API exists, so it never appears broken.
document.querySelectorAll("[data-copy-url]").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  const status = button.closest(".share").querySelector(".share__status");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copyUrl);
      status.textContent = "Link copied.";
    } catch {
      status.textContent = "Could not copy; the address bar has the link.";
    }
  });
});

// Campaign tags (utm_*) a visitor arrived with go on to the strategy-call form. Pages are cached without
// them (the same page for every visitor), so they are added to its links here.
const campaign = [...new URLSearchParams(window.location.search)].filter(([key]) => key.startsWith("utm_"));
if (campaign.length) {
  document.querySelectorAll("a[href*='/strategy-call/?']").forEach((link) => {
    const url = new URL(link.href);
    campaign.forEach(([key, value]) => url.searchParams.set(key, value));
    link.href = url.pathname + url.search;
  });
}

// The header's menu below 480 px is a <details>: it opens and closes without this script. Here it also says
// aria-expanded on its button, closes on Escape (focus back on the button) and when focus or a click leaves it.
document.querySelectorAll(".site-menu").forEach((menu) => {
  const toggle = menu.querySelector("summary");
  const sync = () => toggle.setAttribute("aria-expanded", menu.open ? "true" : "false");
  const close = (focusToggle) => {
    menu.open = false;
    sync();
    if (focusToggle) toggle.focus();
  };
  sync();
  menu.addEventListener("toggle", sync);
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      event.preventDefault();
      close(true);
    }
  });
  menu.addEventListener("focusout", (event) => {
    if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) close(false);
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) close(false);
  });
});
