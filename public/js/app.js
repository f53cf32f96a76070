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
  // Focus the error summary so keyboard and screen-reader users land on it.
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
})();
