// Bình An: the screen lock. Loaded from the page's <head> (the CSP allows scripts
// from this site only: there is no inline script anywhere).
//
// - "Khóa màn hình / Lock screen" locks at once; no input for N minutes locks too
//   (N from <body data-idle-minutes>, present only while signed in).
// - The lock is an overlay over the page (blurred, hidden from assistive tech and
//   inert), never a URL. It is kept in localStorage so every tab of the site locks,
//   and a page opened or reloaded while locked is covered before it paints.
//   localStorage holds only "binhan.locked" ("1") and "binhan.activity" (a time in
//   milliseconds): nothing about a person or a case (ASVS 14.3.3).
// - Unlocking posts the password as JSON to /api/v1/auth/unlock with the CSRF token
//   in X-CSRF-Token; 2xx unlocks, anything else says what to do.
(function () {
  'use strict';

  var LOCKED = 'binhan.locked';
  var ACTIVITY = 'binhan.activity';
  var root = document.documentElement;

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }
  function forget(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ }
  }

  // Runs before the body is parsed: cover a page opened while locked.
  if (read(LOCKED) === '1') {
    root.classList.add('locked');
  }

  document.addEventListener('DOMContentLoaded', function () {
    var loginForm = document.querySelector('form[action="/login"]');
    if (loginForm) {
      // Signing in again ends an earlier lock.
      loginForm.addEventListener('submit', function () { forget(LOCKED); });
    }
    var minutes = parseInt(document.body.getAttribute('data-idle-minutes') || '', 10);
    var overlay = document.getElementById('lock');
    var page = document.getElementById('page');
    if (!(minutes > 0) || !overlay || !page) {
      // Not signed in: nothing to lock on this page.
      root.classList.remove('locked');
      return;
    }
    startLock(minutes * 60000, overlay, page);
  });

  function startLock(idleMs, overlay, page) {
    var form = document.getElementById('unlock-form');
    var password = document.getElementById('unlock-password');
    var status = document.getElementById('unlock-status');
    var lockButton = document.getElementById('lock-now');
    var tokenField = form.querySelector('input[name="csrf_token"]');
    var lastActivity = Date.now();
    var lastShared = 0;
    var busy = false;

    function isLocked() { return root.classList.contains('locked'); }

    function show() {
      root.classList.add('locked');
      page.setAttribute('aria-hidden', 'true');
      page.setAttribute('inert', '');
      overlay.hidden = false;
      status.textContent = '';
      password.value = '';
      password.focus();
    }

    function hide() {
      root.classList.remove('locked');
      page.removeAttribute('aria-hidden');
      page.removeAttribute('inert');
      overlay.hidden = true;
      status.textContent = '';
      password.value = '';
      noteActivity();
      if (lockButton) { lockButton.focus(); }
    }

    // The server knows of the lock too: while it holds, the session reaches only
    // unlock and sign-out, and a reload shows the lock alone.
    var serverLocked = document.body.getAttribute('data-locked') === '1';

    function tellServer() {
      window.fetch('/api/v1/auth/lock', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Accept': 'application/json', 'X-CSRF-Token': tokenField ? tokenField.value : '' }
      }).then(function () {}, function () {});
    }

    function lock() {
      write(LOCKED, '1');
      show();
      tellServer();
    }

    function unlock() {
      forget(LOCKED);
      if (serverLocked) {
        // The page behind the lock was never sent: fetch it now.
        window.location.reload();
        return;
      }
      hide();
    }

    // Activity in any tab of the site counts, so working in one tab does not lock it
    // because another tab sat idle.
    function noteActivity() {
      if (isLocked()) { return; }
      lastActivity = Date.now();
      if (lastActivity - lastShared > 5000) {
        lastShared = lastActivity;
        write(ACTIVITY, String(lastActivity));
      }
    }

    function checkIdle() {
      if (isLocked()) { return; }
      var shared = parseInt(read(ACTIVITY) || '0', 10) || 0;
      if (Date.now() - Math.max(lastActivity, shared) >= idleMs) { lock(); }
    }

    ['pointerdown', 'keydown', 'touchstart', 'wheel', 'scroll'].forEach(function (name) {
      document.addEventListener(name, noteActivity, { capture: true, passive: true });
    });
    // Phones pause timers while the screen is off: check as soon as the page returns.
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible') { checkIdle(); }
    });
    window.addEventListener('focus', checkIdle);
    window.addEventListener('pageshow', checkIdle);
    window.setInterval(checkIdle, Math.min(15000, Math.max(1000, idleMs / 4)));

    // Another tab locked or unlocked.
    window.addEventListener('storage', function (event) {
      if (event.key !== LOCKED) { return; }
      if (event.newValue === '1' && !isLocked()) { show(); }
      if (event.newValue === null && isLocked()) {
        if (serverLocked) { window.location.reload(); } else { hide(); }
      }
    });

    if (lockButton) { lockButton.addEventListener('click', lock); }

    function messageFor(httpStatus) {
      var d = form.dataset;
      if (httpStatus === 400 || httpStatus === 401 || httpStatus === 422) { return d.msgWrong; }
      if (httpStatus === 429) { return d.msgTooMany; }
      if (httpStatus === 403) { return d.msgEnded; }
      return d.msgFailed;
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      status.textContent = form.dataset.msgBusy;
      var secret = password.value;
      password.value = '';
      window.fetch(form.getAttribute('action'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'Content-Type': 'application/json',
          'Accept': 'application/json',
          'X-CSRF-Token': tokenField ? tokenField.value : ''
        },
        body: JSON.stringify({ password: secret })
      }).then(function (response) {
        if (response.ok) {
          unlock();
        } else {
          status.textContent = messageFor(response.status);
          password.focus();
        }
      }, function () {
        status.textContent = form.dataset.msgNetwork;
        password.focus();
      }).then(function () { busy = false; });
    });

    if (serverLocked) {
      write(LOCKED, '1');
      show();
    } else if (read(LOCKED) === '1') {
      // Locked in another tab: make sure the server holds the lock too.
      show();
      tellServer();
    } else {
      noteActivity();
    }
  }
}());

// Issue 16 — the intake's guardian fields appear as soon as the survivor is a
// child (under 16 on the day of the report, by her birth date, else by her age
// group), without waiting for the step to be posted. Listens on the document, so
// it keeps working when a step replaces <main>. Fields never lose what was typed:
// they are only hidden, and a typed guardian stays shown.
(function () {
  'use strict';

  function value(form, name) {
    var field = form.elements.namedItem(name);
    return field && field.value ? field.value : '';
  }

  function ageOn(birth, day) {
    var years = day.getFullYear() - birth.getFullYear();
    if (day.getMonth() < birth.getMonth() ||
        (day.getMonth() === birth.getMonth() && day.getDate() < birth.getDate())) {
      years -= 1;
    }
    return years;
  }

  function isChild(form, groups) {
    var birth = value(form, 'survivor.birth_date');
    if (/^\d{4}-\d{2}-\d{2}$/.test(birth)) {
      var reported = value(form, 'reported_at').slice(0, 10);
      var day = /^\d{4}-\d{2}-\d{2}$/.test(reported) ? new Date(reported + 'T00:00:00') : new Date();
      var born = new Date(birth + 'T00:00:00');
      if (!isNaN(born.getTime()) && born <= day) { return ageOn(born, day) < 16; }
    }
    return groups.indexOf(value(form, 'survivor.age_group')) !== -1;
  }

  function update(event) {
    var form = event.target && event.target.form;
    if (!form || form.id !== 'intake-form') { return; }
    var guardian = document.getElementById('guardian');
    if (!guardian) { return; }
    var typed = value(form, 'survivor.guardian_name') || value(form, 'survivor.guardian_phone');
    var groups = (guardian.getAttribute('data-child-groups') || '').split(' ');
    guardian.hidden = !(typed || isChild(form, groups));
  }

  document.addEventListener('change', update);
  document.addEventListener('input', update);
}());

// Saving a section without reloading the page (issue 16). A <form data-swap> is
// sent with fetch, asking with X-Binhan-Swap for what <main> holds alone; the
// answer replaces <main>'s content and the title, the address becomes the one the
// server sent the browser to, and the view stays on the form's section. Without
// script, or on a network failure, the form is sent as usual and the server's
// redirect to /cases/{id}?done=…#section brings the browser back to the section.
// A button with data-no-swap sends its form as usual. After each swap,
// <html data-swaps> counts up and a "binhan:swapped" event is sent.
(function () {
  'use strict';

  var root = document.documentElement;

  function sectionOf(form) {
    var section = form.closest('section[id]');
    return section ? section.id : '';
  }

  function focusTarget(main, sectionId) {
    var section = sectionId ? document.getElementById(sectionId) : null;
    var found = main.querySelector('[role=alert]') || main.querySelector('[autofocus]');
    if (!found && section) {
      found = section.querySelector('.message') || section.querySelector('h2, h3');
    }
    return found || main;
  }

  function swapIn(main, html, response, sectionId) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    main.replaceChildren.apply(main, Array.prototype.slice.call(doc.body.childNodes).map(function (node) {
      return document.adoptNode(node);
    }));
    if (doc.title) { document.title = doc.title; }
    if (response.redirected) {
      var hash = sectionId ? '#' + sectionId : '';
      window.history.replaceState(null, '', response.url + hash);
    }
    var section = sectionId ? document.getElementById(sectionId) : null;
    if (section) { section.scrollIntoView(); }
    var target = focusTarget(main, sectionId);
    if (!target.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.setAttribute('tabindex', '-1');
    }
    target.focus({ preventScroll: target === main || target.tagName === 'H2' || target.tagName === 'H3' });
    root.dataset.swaps = String((parseInt(root.dataset.swaps || '0', 10) || 0) + 1);
    document.dispatchEvent(new CustomEvent('binhan:swapped', { detail: { url: response.url } }));
  }

  function plainSubmit(form, submitter) {
    form.dataset.swapping = 'off';
    if (submitter && typeof form.requestSubmit === 'function') {
      form.requestSubmit(submitter);
    } else {
      form.submit();
    }
  }

  // A link to a section (the summary's next actions, the index) opens the form
  // folded there.
  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
    var target = link ? document.getElementById(link.getAttribute('href').slice(1)) : null;
    if (!target) { return; }
    var folded = target.querySelector('details.add:not([open]), details.part:not([open])');
    if (folded) { folded.open = true; }
  });

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var main = document.getElementById('main');
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-swap') || !main) { return; }
    if (form.dataset.swapping === 'off') { delete form.dataset.swapping; return; }
    if (submitter && submitter.hasAttribute('data-no-swap')) { return; }
    if (root.classList.contains('locked')) { return; }
    event.preventDefault();
    if (form.dataset.swapping === 'on') { return; }
    form.dataset.swapping = 'on';
    var method = (form.getAttribute('method') || 'get').toUpperCase();
    var action = form.action;
    var data = new FormData(form, submitter);
    if (submitter && submitter.name && !data.has(submitter.name)) {
      // A browser whose FormData does not take the submitter yet.
      data.append(submitter.name, submitter.value);
    }
    var sectionId = sectionOf(form);
    var options = {
      method: method,
      credentials: 'same-origin',
      redirect: 'follow',
      headers: { 'X-Binhan-Swap': '1', 'Accept': 'text/html' }
    };
    if (method === 'GET') {
      var url = new URL(action);
      url.search = new URLSearchParams(data).toString();
      action = url.toString();
    } else {
      options.body = new URLSearchParams(data);
    }
    window.fetch(action, options).then(function (response) {
      var type = response.headers.get('Content-Type') || '';
      var elsewhere = new URL(response.url).pathname !== window.location.pathname;
      // The server sent the browser to another page, or answered with something
      // that is not a page: go there as a plain submit would have.
      if (response.redirected && (elsewhere || type.indexOf('text/html') !== 0)) {
        window.location.assign(response.url);
        return null;
      }
      if (type.indexOf('text/html') !== 0) {
        plainSubmit(form, submitter);
        return null;
      }
      // Not redirected: the answer to the form itself (a problem to fix, shown
      // on this page), swapped in where the page is.
      return response.text().then(function (html) {
        delete form.dataset.swapping;
        swapIn(main, html, response, sectionId);
      });
    }).catch(function () {
      plainSubmit(form, submitter);
    });
  });
}());
