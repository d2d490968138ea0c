// While a question's title is typed, shows existing questions with similar titles (from
// GET /api/v1/questions/similar), so people find an answer before asking again.
(function () {
  "use strict";
  const title = document.getElementById("title");
  const box = document.getElementById("similar");
  if (!title || !box) return;
  const list = box.querySelector("ul");
  let timer = null;
  let last = "";
  let controller = null;

  function render(items) {
    list.replaceChildren();
    for (const q of items) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = q.url;
      a.textContent = q.title;
      a.target = "_blank";
      a.rel = "noopener";
      li.append(a);
      if (q.is_answered) {
        const mark = document.createElement("span");
        mark.className = "badge";
        mark.textContent = "✓";
        li.append(" ", mark);
      }
      list.append(li);
    }
    box.hidden = items.length === 0;
  }

  async function lookup() {
    const text = title.value.trim();
    if (text === last) return;
    last = text;
    if (text.length < 4) {
      render([]);
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(
        "/api/v1/questions/similar?title=" + encodeURIComponent(text),
        { headers: { Accept: "application/json" }, signal: controller.signal, credentials: "same-origin" }
      );
      if (response.ok) render(await response.json());
    } catch (err) {
      if (err.name !== "AbortError") render([]);
    }
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 250);
  });
})();
