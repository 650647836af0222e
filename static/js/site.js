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
