// The post editor: a live preview rendered by the server (the same Markdown and sanitiser as
// the published page), autosave of drafts, and the schedule converted from local time.
// Without this script the form still works: "Save draft" and "Publish" submit it.
(() => {
  'use strict';
  const form = document.getElementById('editor');
  if (!form) return;

  const field = (name) => form.elements.namedItem(name);
  const body = field('body');
  const preview = document.getElementById('preview');
  const status = document.getElementById('autosave-status');
  const autosave = form.dataset.autosave === 'true';
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  let postId = form.dataset.postId || null;

  const values = () => ({
    title: field('title').value,
    body: body.value,
    tags: field('tags').value.split(/[\s,]+/).filter(Boolean),
    language: field('language').value,
    excerpt: field('excerpt').value,
  });
  let lastSaved = JSON.stringify(values());

  // Live preview.
  let previewTimer;
  let previewSeq = 0;
  const renderPreview = async () => {
    const seq = ++previewSeq;
    try {
      const response = await fetch('/api/v1/preview', {
        method: 'POST', headers, body: JSON.stringify({ body: body.value }),
      });
      if (response.ok && seq === previewSeq) {
        preview.innerHTML = (await response.json()).html;
      }
    } catch (_) { /* the next keystroke tries again */ }
  };
  body.addEventListener('input', () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(renderPreview, 250);
  });
  if (body.value && !preview.innerHTML.trim()) renderPreview();

  // Autosave (drafts only): create the post on the first save, then patch it.
  const say = (text) => { if (status) status.textContent = text; };
  let saving = null;
  const save = async (keepalive = false) => {
    if (!autosave) return;
    const data = values();
    const json = JSON.stringify(data);
    if (json === lastSaved || !data.title.trim()) return;
    if (saving) await saving.catch(() => {});
    say(form.dataset.msgSaving);
    saving = (async () => {
      const response = postId
        ? await fetch(`/api/v1/posts/${postId}`, { method: 'PATCH', headers, body: json, keepalive })
        : await fetch('/api/v1/posts', { method: 'POST', headers, body: json, keepalive });
      if (response.ok) {
        lastSaved = json;
        if (!postId) {
          postId = (await response.json()).id;
          form.action = `/blog/posts/${postId}`;
          form.dataset.postId = postId;
          history.replaceState(null, '', `/blog/posts/${postId}/edit`);
        }
        say(form.dataset.msgSaved.replace('{time}', new Date().toLocaleTimeString()));
      } else {
        const problem = await response.json().catch(() => null);
        say(form.dataset.msgFailed + (problem && problem.error ? ` ${problem.error.message}` : ''));
      }
    })();
    try { await saving; } catch (_) { say(form.dataset.msgFailed); } finally { saving = null; }
  };
  let saveTimer;
  form.addEventListener('input', () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 1500);
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') save(true);
  });
  window.addEventListener('pagehide', () => save(true));

  form.addEventListener('submit', () => {
    clearTimeout(saveTimer);
    lastSaved = JSON.stringify(values()); // the form itself carries the text now
    const local = field('scheduled_local');
    const offset = field('tz_offset');
    if (local && offset && local.value) {
      offset.value = String(new Date(local.value).getTimezoneOffset());
    }
  });
})();
