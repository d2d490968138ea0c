// Suggestions under the header search box while typing (GET /api/v1/search/suggest): an ARIA
// combobox; arrow keys move through the list, Enter opens the chosen item, Escape closes it.
// Without JavaScript the box is a plain search form.
(function () {
  "use strict";
  const input = document.getElementById("site-search-q");
  const list = document.getElementById("site-search-suggestions");
  if (!input || !list) return;
  let timer = null;
  let last = "";
  let controller = null;
  let active = -1;

  function options() {
    return Array.from(list.querySelectorAll("[role=option]"));
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const items = options();
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function render(items) {
    list.replaceChildren();
    items.forEach(function (s, i) {
      const li = document.createElement("li");
      li.id = "site-search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.url = s.url;
      const kind = document.createElement("span");
      kind.className = "badge";
      kind.textContent = list.dataset["type" + s.type.charAt(0).toUpperCase() + s.type.slice(1)] || s.type;
      li.append(kind, " ", s.title);
      list.append(li);
    });
    if (items.length === 0) {
      close();
    } else {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    }
  }

  async function lookup() {
    const text = input.value.trim();
    if (text === last) return;
    last = text;
    if (text.length < 2) {
      render([]);
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch("/api/v1/search/suggest?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        signal: controller.signal,
        credentials: "same-origin",
      });
      if (response.ok) render((await response.json()).suggestions);
    } catch (err) {
      if (err.name !== "AbortError") render([]);
    }
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 150);
  });
  input.addEventListener("keydown", function (event) {
    const items = options();
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Escape") {
      close();
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.href = items[active].dataset.url;
    }
  });
  // A click (mousedown, before the input loses focus) opens the suggestion.
  list.addEventListener("mousedown", function (event) {
    const option = event.target.closest("[role=option]");
    if (option) {
      event.preventDefault();
      window.location.href = option.dataset.url;
    }
  });
  input.addEventListener("blur", function () {
    setTimeout(close, 200);
  });
})();
