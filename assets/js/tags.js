// Suggests existing tags while a tag field is typed in (GET /api/v1/tags?q=), through a
// <datalist>, so the browser's own, accessible suggestion list shows them. In a field of
// several tags (comma-separated) the last one is completed. Without JavaScript the field is a
// plain text field.
(function () {
  "use strict";
  const fields = document.querySelectorAll("input[data-tag-suggest]");
  let counter = 0;
  for (const field of fields) {
    const list = document.createElement("datalist");
    list.id = "tag-suggestions-" + counter++;
    field.after(list);
    field.setAttribute("list", list.id);
    const several = field.hasAttribute("data-tag-many");
    let timer = null;
    let controller = null;
    let last = "";

    async function lookup() {
      const value = field.value;
      const parts = several ? value.split(",") : [value];
      const term = parts[parts.length - 1].trim().toLowerCase();
      if (term === last) return;
      last = term;
      if (term.length < 1) {
        list.replaceChildren();
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const response = await fetch("/api/v1/tags?q=" + encodeURIComponent(term), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (!response.ok) return;
        const tags = await response.json();
        const before = parts.slice(0, -1).map((p) => p.trim()).filter((p) => p !== "");
        list.replaceChildren(
          ...tags.map((tag) => {
            const option = document.createElement("option");
            option.value = before.concat([tag.name]).join(", ");
            option.label = tag.synonym ? tag.synonym + " → " + tag.name : tag.name;
            return option;
          })
        );
      } catch (err) {
        if (err.name !== "AbortError") list.replaceChildren();
      }
    }

    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 150);
    });
  }
})();
