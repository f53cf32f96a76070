// 已入库信息查询: choosing a region narrows at once (without JS, the 查询 button does the same).
(function () {
  'use strict';
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-drill]'));
  selects.forEach(function (select, i) {
    select.addEventListener('change', function () {
      // Lower levels belonged to the previous choice: drop them before asking for the new list.
      selects.slice(i + 1).forEach(function (lower) {
        lower.disabled = true;
        lower.setAttribute('data-left-out', ''); // back in service on a return from history (app.js)
      });
      var hint = document.querySelector('.st-filter-hint');
      if (hint) hint.hidden = true;
      // requestSubmit: the submit event fires, so empty fields stay out of the URL (app.js).
      if (select.form.requestSubmit) select.form.requestSubmit();
      else select.form.submit();
    });
  });
  var hint = document.querySelector('.st-filter-hint');
  if (hint && selects.length) hint.textContent = '地区逐级选择：选定后自动显示下一级。';
})();
