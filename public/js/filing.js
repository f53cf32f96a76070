// Enterprise forms, progressive enhancement only: every page works without this file (the
// region selects then reload through the "刷新下级列表" button).
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  function option(value, label) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    return o;
  }

  function clear(select) {
    while (select.firstChild) select.removeChild(select.firstChild);
  }

  /** Replaces a select's options; a single choice is chosen at once (municipalities, 东莞). */
  function fill(select, options, placeholder) {
    clear(select);
    select.appendChild(option('', placeholder));
    options.forEach(function (o) {
      select.appendChild(option(o.value, o.label));
    });
    select.disabled = options.length === 0;
    if (options.length === 1) select.value = options[0].value;
  }

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(
      function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      },
    );
  }

  /**
   * The supervising-agency select follows the chosen county (its county, city and province
   * agencies), or lists the offshore units once 海洋石油天然气作业者 is ticked.
   */
  function refreshAgencies(form, regionCode) {
    var select = form && form.querySelector('[data-agency-select]');
    if (!select) return Promise.resolve();
    var offshore = form.querySelector('input[type=checkbox][name=offshore_operator]');
    var isOffshore = Boolean(offshore && offshore.checked);
    if (!regionCode && !isOffshore) {
      clear(select);
      select.appendChild(option('', '请先选择所在行政区划'));
      return Promise.resolve();
    }
    var url =
      select.getAttribute('data-endpoint') +
      '?region=' +
      encodeURIComponent(regionCode || '') +
      (isOffshore ? '&offshore=1' : '');
    return getJson(url).then(function (data) {
      var keep = select.value;
      clear(select);
      select.appendChild(option('', '请选择'));
      data.groups.forEach(function (g) {
        var group = document.createElement('optgroup');
        group.label = g.label;
        g.options.forEach(function (o) {
          group.appendChild(option(o.value, o.label));
        });
        select.appendChild(group);
      });
      select.value = keep;
      if (select.value !== keep) select.value = '';
    });
  }

  document.querySelectorAll('input[type=checkbox][name=offshore_operator]').forEach(function (box) {
    box.addEventListener('change', function () {
      var county = box.form && box.form.querySelector('[data-region-picker] [data-level=county]');
      refreshAgencies(box.form, county ? county.value : '');
    });
  });

  document.querySelectorAll('[data-region-picker]').forEach(function (picker) {
    var endpoint = picker.getAttribute('data-endpoint');
    var province = picker.querySelector('[data-level=province]');
    var city = picker.querySelector('[data-level=city]');
    var county = picker.querySelector('[data-level=county]');
    var chosen = picker.querySelector('[data-region-chosen]');

    function load(select, parent, level) {
      var url = endpoint + '?parent=' + encodeURIComponent(parent) + '&level=' + level;
      return getJson(url).then(function (data) {
        fill(select, data.options, '请选择');
      });
    }
    // If the lists cannot be fetched, fall back to the no-JavaScript step.
    function fallBack() {
      picker.querySelectorAll('.no-js-only').forEach(function (el) {
        el.classList.remove('no-js-only');
      });
      city.disabled = false;
      county.disabled = false;
    }
    function countyChanged() {
      if (chosen) chosen.textContent = '';
      return refreshAgencies(picker.form, county.value);
    }

    province.addEventListener('change', function () {
      fill(city, [], '请先选择省份');
      fill(county, [], '请先选择市');
      if (!province.value) return;
      load(city, province.value, 'city')
        .then(function () {
          return city.value ? load(county, city.value, 'county') : null;
        })
        .then(countyChanged)
        .catch(fallBack);
    });
    city.addEventListener('change', function () {
      fill(county, [], '请先选择市');
      if (!city.value) return;
      load(county, city.value, 'county').then(countyChanged).catch(fallBack);
    });
    county.addEventListener('change', function () {
      countyChanged().catch(fallBack);
    });
  });

  // Tailings ponds: the grade the design capacity and dam height call for (AQ 2006 / GB 50863),
  // the same rule as src/domain/tailingsGrade.ts, updated as the user types.
  var tailings = document.querySelector('form[data-category=tailings]');
  if (tailings) {
    var capacity = tailings.querySelector('#design_capacity');
    var height = tailings.querySelector('#design_dam_height');
    var note = tailings.querySelector('[data-note-for=grade]');
    var names = ['', '一等', '二等', '三等', '四等', '五等'];
    var byCapacity = function (v) {
      return v >= 10000 ? 2 : v >= 1000 ? 3 : v >= 100 ? 4 : 5;
    };
    var byHeight = function (h) {
      return h >= 100 ? 2 : h >= 60 ? 3 : h >= 30 ? 4 : 5;
    };
    var number = function (input) {
      var s = input ? input.value.trim() : '';
      return /^(\d+(\.\d+)?|\.\d+)$/.test(s) ? Number(s) : null;
    };
    var update = function () {
      var v = number(capacity);
      var h = number(height);
      if (v === null || h === null) {
        note.textContent = '填写设计总库容和设计总坝高后，系统将给出按标准计算的等别。';
        return;
      }
      var a = byCapacity(v);
      var b = byHeight(h);
      var grade = Math.abs(a - b) <= 1 ? Math.min(a, b) : Math.min(a, b) + 1;
      note.textContent = '按设计总库容和设计总坝高计算应为' + names[grade] + '（一等库须经专家论证确定）。';
    };
    if (capacity && height && note) {
      capacity.addEventListener('input', update);
      height.addEventListener('input', update);
    }
  }
})();
