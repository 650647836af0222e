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
