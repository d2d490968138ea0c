// Kring's page behaviour, loaded on every page (deferred, no inline scripts: the CSP forbids
// them). Everything here enhances markup that already works without it:
// - menus (<details data-menu-close>) close on Escape and on a click elsewhere;
// - the notification bell opens a dropdown of the latest notifications, fetched when opened
//   (not on every page); without script the bell is a link to /notifications;
// - a form with data-confirm asks in a <dialog> before it is sent (delete, revoke, award...).
(() => {
  'use strict';

  const menus = () => document.querySelectorAll('details[data-menu-close][open]');

  function closeMenus(except) {
    for (const menu of menus()) {
      if (menu !== except) menu.open = false;
    }
  }

  // ---- the bell ----
  const bell = document.querySelector('a.bell[data-menu]');
  const panel = bell && document.getElementById(bell.getAttribute('aria-controls'));
  let loaded = false;

  function closeBell(focus) {
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    bell.setAttribute('aria-expanded', 'false');
    if (focus) bell.focus();
  }

  async function openBell() {
    closeMenus(null);
    panel.hidden = false;
    bell.setAttribute('aria-expanded', 'true');
    if (loaded) return;
    panel.textContent = '';
    const status = document.createElement('p');
    status.className = 'panel-note muted';
    status.setAttribute('role', 'status');
    status.textContent = panel.dataset.loading;
    panel.append(status);
    try {
      const response = await fetch(bell.dataset.menu, {
        headers: { Accept: 'text/html' },
        credentials: 'same-origin',
      });
      if (!response.ok) throw new Error(String(response.status));
      const html = await response.text();
      const doc = new DOMParser().parseFromString(html, 'text/html');
      panel.replaceChildren(...doc.body.childNodes);
      loaded = true;
    } catch (_) {
      status.textContent = panel.dataset.failed;
    }
  }

  if (bell && panel) {
    bell.setAttribute('role', 'button');
    bell.addEventListener('click', (event) => {
      // A modified click still opens the page (new tab and the like).
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      if (panel.hidden) openBell();
      else closeBell(false);
    });
    bell.addEventListener('keydown', (event) => {
      if (event.key === ' ') {
        event.preventDefault();
        bell.click();
      }
    });
  }

  // ---- menus ----
  for (const menu of document.querySelectorAll('details[data-menu-close]')) {
    menu.addEventListener('toggle', () => {
      if (menu.open) {
        closeMenus(menu);
        closeBell(false);
      }
    });
  }

  document.addEventListener('click', (event) => {
    for (const menu of menus()) {
      if (!menu.contains(event.target)) menu.open = false;
    }
    if (panel && !panel.hidden && !panel.contains(event.target) && !bell.contains(event.target)) {
      closeBell(false);
    }
  });

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const menu of menus()) {
      menu.open = false;
      menu.querySelector('summary').focus();
    }
    closeBell(true);
  });

  // ---- confirmation before destructive actions ----
  let dialog = null;

  function confirmDialog() {
    if (dialog) return dialog;
    dialog = document.createElement('dialog');
    dialog.className = 'confirm';
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    dialog.innerHTML =
      '<form method="dialog"><h2 id="confirm-title"></h2><p class="confirm-detail"></p>' +
      '<div class="button-row"><button type="submit" value="cancel" class="secondary" data-test="confirm-cancel"></button>' +
      '<button type="submit" value="ok" data-test="confirm-ok"></button></div></form>';
    document.body.append(dialog);
    return dialog;
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (form.dataset.confirmed === 'yes') {
      delete form.dataset.confirmed;
      return;
    }
    event.preventDefault();
    const submitter = event.submitter;
    const d = confirmDialog();
    d.querySelector('h2').textContent = form.dataset.confirm;
    const detail = d.querySelector('.confirm-detail');
    detail.textContent = form.dataset.confirmDetail || '';
    detail.hidden = !form.dataset.confirmDetail;
    const ok = d.querySelector('[value="ok"]');
    ok.textContent = form.dataset.confirmOk || (submitter ? submitter.textContent.trim() : 'OK');
    ok.className = form.dataset.confirmKind === 'neutral' ? '' : 'danger';
    d.querySelector('[value="cancel"]').textContent =
      document.body.dataset.cancel || 'Cancel';
    d.returnValue = '';
    d.addEventListener(
      'close',
      () => {
        if (d.returnValue !== 'ok') {
          (submitter || form).focus();
          return;
        }
        form.dataset.confirmed = 'yes';
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      },
      { once: true },
    );
    d.showModal();
    d.querySelector('[value="cancel"]').focus();
  });
})();
