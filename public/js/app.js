// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Login captcha: refresh by clicking the image.
  var refresh = document.querySelector('[data-captcha-refresh]');
  if (refresh) {
    refresh.addEventListener('click', function (e) {
      e.preventDefault();
      var img = document.getElementById('captcha-img');
      img.src = img.src.split('?')[0] + '?t=' + Date.now();
      var input = document.getElementById('captcha');
      if (input) {
        input.value = '';
        input.focus();
      }
    });
  }
  // Filter forms: fields left at 全部 or empty stay out of the URL, so that a query bookmarked or
  // shared reads as what was chosen. (They are disabled for the submit only: a page restored
  // from the back-forward cache gets them back.)
  var filterForms = document.querySelectorAll('form[role="search"][method="get"]');
  Array.prototype.forEach.call(filterForms, function (form) {
    form.addEventListener('submit', function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && !el.disabled && el.value === '' && el.type !== 'submit') {
          el.disabled = true;
          el.setAttribute('data-left-out', '');
        }
      });
    });
  });
  window.addEventListener('pageshow', function () {
    Array.prototype.forEach.call(document.querySelectorAll('[data-left-out]'), function (el) {
      el.disabled = false;
      el.removeAttribute('data-left-out');
    });
  });
  // Buttons whose action cannot be undone (submitting for review, resetting a password) ask once.
  Array.prototype.forEach.call(document.querySelectorAll('[data-confirm]'), function (button) {
    button.addEventListener('click', function (e) {
      if (!window.confirm(button.getAttribute('data-confirm'))) return e.preventDefault();
      // Asked here: the server need not ask again (without JavaScript it does).
      var confirmed = button.form && button.form.querySelector('input[name="confirmed"]');
      if (confirmed) confirmed.value = '1';
    });
  });
  // Focus the error summary so keyboard and screen-reader users land on it.
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
})();
