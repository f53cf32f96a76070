// 审核与报送: progressive enhancement only. Without this file every link and form still works:
// ?selected=ID shows a history below the list, ?changes=only narrows the detail.
(function () {
  'use strict';

  // --- Pending list: clicking a row shows its history inline ------------------------------
  var panel = document.getElementById('history-panel');
  var table = document.querySelector('.review-table');
  var loading = null;

  function markSelected(row) {
    var rows = table.querySelectorAll('tbody tr');
    for (var i = 0; i < rows.length; i++) {
      rows[i].classList.remove('selected');
      rows[i].removeAttribute('aria-current');
    }
    if (row) {
      row.classList.add('selected');
      row.setAttribute('aria-current', 'true');
    }
  }

  function closePanel() {
    markSelected(null);
    panel.innerHTML = '';
    var url = new URL(window.location.href);
    url.searchParams.delete('selected');
    url.hash = '';
    window.history.replaceState(null, '', url.pathname + url.search);
  }

  function showHistory(row) {
    var fragmentUrl = row.getAttribute('data-history-url');
    var pageUrl = row.getAttribute('data-select-url');
    if (loading) loading.abort();
    loading = new window.AbortController();
    markSelected(row);
    panel.setAttribute('aria-busy', 'true');
    fetch(fragmentUrl, {
      headers: { Accept: 'text/html' },
      credentials: 'same-origin',
      signal: loading.signal,
    })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.text();
      })
      .then(function (html) {
        panel.innerHTML = html;
        panel.removeAttribute('aria-busy');
        var close = panel.querySelector('[data-history-close]');
        if (close) {
          close.hidden = false;
          close.addEventListener('click', function (e) {
            e.preventDefault();
            closePanel();
          });
        }
        window.history.replaceState(null, '', pageUrl.split('#')[0]);
        var box = panel.getBoundingClientRect();
        if (box.top > window.innerHeight - 80) panel.scrollIntoView({ behavior: 'smooth', block: 'start' });
      })
      .catch(function (err) {
        if (err.name === 'AbortError') return;
        // Fall back to the plain link: the server renders the same history below the list.
        window.location.href = pageUrl;
      });
  }

  if (panel && table) {
    table.addEventListener('click', function (e) {
      var target = e.target;
      // Links other than 操作历史, checkboxes and their cells keep their own behaviour.
      if (target.closest('input, label, .col-check')) return;
      var link = target.closest('a');
      if (link && !link.hasAttribute('data-history-link')) return;
      var row = target.closest('tbody tr');
      if (!row) return;
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      showHistory(row);
    });
    var initialClose = panel.querySelector('[data-history-close]');
    if (initialClose) {
      initialClose.addEventListener('click', function (e) {
        e.preventDefault();
        closePanel();
      });
    }
  }

  // --- Pending list: select all, and how many are ticked ----------------------------------
  var bulkForm = document.getElementById('bulk-form');
  if (bulkForm) {
    var all = bulkForm.querySelector('[data-check-all]');
    var boxes = bulkForm.querySelectorAll('input[name="ids"]');
    var count = bulkForm.querySelector('[data-bulk-count]');
    var submit = bulkForm.querySelector('[data-bulk-submit]');
    var hintText = count ? count.textContent : '';
    // Approving many at once asks once, with how many (and, at 总局, that they are stored).
    bulkForm.addEventListener('submit', function (e) {
      var n = 0;
      for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) n++;
      var question = submit && submit.getAttribute('data-bulk-confirm');
      if (question && !window.confirm(question.replace('{n}', String(n)))) return e.preventDefault();
      var confirmed = bulkForm.querySelector('input[name="confirmed"]');
      if (confirmed) confirmed.value = '1';
    });
    var update = function () {
      var n = 0;
      for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) n++;
      if (count) count.textContent = n ? '已选 ' + n + ' 项' : hintText;
      if (submit) submit.disabled = n === 0;
      if (all) {
        all.checked = n > 0 && n === boxes.length;
        all.indeterminate = n > 0 && n < boxes.length;
      }
    };
    if (all) {
      all.hidden = false;
      all.addEventListener('change', function () {
        for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
        update();
      });
    }
    for (var i = 0; i < boxes.length; i++) boxes[i].addEventListener('change', update);
    update();
  }

  // --- Detail: only the changed and flagged fields, without a reload ----------------------
  var toggle = document.querySelector('[data-changes-toggle]');
  var scope = document.querySelector('[data-changes-scope]');
  // A page the server already narrowed (?changes=only) lacks the other rows: its link reloads.
  if (toggle && scope && !scope.classList.contains('only-changes')) {
    toggle.addEventListener('click', function (e) {
      e.preventDefault();
      var only = scope.classList.toggle('only-changes');
      var next = toggle.getAttribute('data-alt-href');
      toggle.setAttribute('data-alt-href', toggle.getAttribute('href'));
      toggle.setAttribute('href', next);
      toggle.textContent = only ? '显示全部字段' : '只看修改项和退回指出项';
      window.history.replaceState(null, '', next.split('#')[0]);
    });
  }

  // --- Detail: how many fields are ticked in the return form ------------------------------
  var picker = document.querySelector('.field-picker');
  if (picker) {
    var counter = picker.querySelector('[data-fields-count]');
    picker.addEventListener('change', function () {
      var n = picker.querySelectorAll('input[name="fields"]:checked').length;
      if (counter) counter.textContent = n ? '，已选 ' + n + ' 项' : '';
    });
  }
})();
