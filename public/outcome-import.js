// Outcome import page: read the CSV header in the browser, offer a column mapping, then create the
// import, stream the file to it and show staging progress by polling the import's status.
(function () {
  'use strict';
  var form = document.getElementById('import-form');
  if (!form) return;
  var fields = JSON.parse(document.getElementById('kind-fields').textContent);
  var kind = document.getElementById('kind');
  var file = document.getElementById('file');
  var mapping = document.getElementById('mapping');
  var rows = document.getElementById('mapping-rows');
  var errors = document.getElementById('import-errors');
  var fileError = document.getElementById('file-error');
  var area = document.getElementById('progress-area');
  var bar = document.getElementById('progress');
  var text = document.getElementById('progress-text');
  var button = document.getElementById('upload');
  var headers = [];
  // The page's CSRF token (src/web/middleware/csrf.ts) goes with every post this script makes.
  var tokenTag = document.querySelector('meta[name="csrf-token"]');
  // A session that arrived without its cookie carries a session token (src/web/middleware/session-token.ts).
  var sessionTag = document.querySelector('meta[name="yardstick-session"]');
  function withToken(h) {
    if (tokenTag) h['X-CSRF-Token'] = tokenTag.getAttribute('content');
    return withSession(h);
  }
  function withSession(h) {
    if (sessionTag) h['X-Yardstick-Session'] = sessionTag.getAttribute('content');
    return h;
  }
  function pageAddress(page) {
    if (!sessionTag) return page;
    return (
      page +
      (page.indexOf('?') < 0 ? '?' : '&') +
      'yst=' +
      encodeURIComponent(sessionTag.getAttribute('content'))
    );
  }

  function parseHeader(line) {
    var out = [];
    var cell = '';
    var quoted = false;
    for (var i = 0; i < line.length; i++) {
      var c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"') quoted = true;
      else if (c === ',') {
        out.push(cell.trim());
        cell = '';
      } else cell += c;
    }
    out.push(cell.trim());
    return out.filter(function (h) {
      return h !== '';
    });
  }

  function showError(message, field) {
    errors.hidden = false;
    errors.textContent = message;
    if (field === 'file') {
      fileError.textContent = message;
      file.setAttribute('aria-invalid', 'true');
      file.focus();
    }
  }

  function clearErrors() {
    errors.hidden = true;
    errors.textContent = '';
    fileError.textContent = '';
    file.removeAttribute('aria-invalid');
  }

  function renderMapping() {
    rows.textContent = '';
    if (!headers.length) {
      mapping.hidden = true;
      return;
    }
    var options = fields[kind.value] || [];
    headers.forEach(function (h, i) {
      var tr = document.createElement('tr');
      var th = document.createElement('th');
      th.scope = 'row';
      var label = document.createElement('label');
      label.htmlFor = 'map-' + i;
      label.textContent = h;
      th.appendChild(label);
      var td = document.createElement('td');
      var select = document.createElement('select');
      select.id = 'map-' + i;
      select.dataset.header = h;
      [['', 'Match by name']]
        .concat(
          options.map(function (f) {
            return [f.name, f.name + (f.required ? ' (required)' : '')];
          }),
        )
        .concat([['-', 'Ignore this column']])
        .forEach(function (o) {
          var opt = document.createElement('option');
          opt.value = o[0];
          opt.textContent = o[1];
          select.appendChild(opt);
        });
      td.appendChild(select);
      tr.appendChild(th);
      tr.appendChild(td);
      rows.appendChild(tr);
    });
    mapping.hidden = false;
  }

  function readHeader() {
    clearErrors();
    headers = [];
    var f = file.files && file.files[0];
    if (!f) {
      renderMapping();
      return;
    }
    f.slice(0, 65536)
      .text()
      .then(function (t) {
        var first = t.replace(/^\uFEFF/, '').split(/\r?\n/)[0] || '';
        headers = parseHeader(first);
        if (!headers.length)
          showError('The file has no header line; the first line must name the columns.', 'file');
        renderMapping();
      });
  }

  file.addEventListener('change', readHeader);
  kind.addEventListener('change', renderMapping);

  function poll(id, done) {
    fetch('/admin/outcome-imports/' + id + '/status', { credentials: 'include', headers: withSession({}) })
      .then(function (r) {
        return r.json();
      })
      .then(function (s) {
        var p = s.progress || {};
        if (typeof p.fraction === 'number') bar.value = p.fraction;
        text.textContent =
          (p.rowsParsed || 0).toLocaleString() +
          ' rows checked' +
          (p.bytesTotal ? ', ' + Math.round(100 * (p.fraction || 0)) + '% of the file' : '');
        if (!done())
          setTimeout(function () {
            poll(id, done);
          }, 400);
      })
      .catch(function () {
        if (!done())
          setTimeout(function () {
            poll(id, done);
          }, 1000);
      });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearErrors();
    var f = file.files && file.files[0];
    if (!f) {
      showError('Choose the CSV file to import.', 'file');
      return;
    }
    var map = {};
    Array.prototype.forEach.call(rows.querySelectorAll('select'), function (s) {
      if (s.value) map[s.dataset.header] = s.value;
    });
    button.disabled = true;
    area.hidden = false;
    bar.value = 0;
    text.textContent = 'Starting...';
    fetch('/admin/outcome-imports', {
      method: 'POST',
      credentials: 'include',
      headers: withToken({ 'Content-Type': 'application/json', Accept: 'application/json' }),
      body: JSON.stringify({
        kind: kind.value,
        fileName: f.name,
        sizeBytes: f.size,
        mapping: map,
        createMissingPeople: document.getElementById('createMissingPeople').checked,
        nullRates: document.getElementById('nullRates').value,
      }),
    })
      .then(function (r) {
        return r.json().then(function (b) {
          return { ok: r.ok, body: b };
        });
      })
      .then(function (created) {
        if (!created.ok)
          throw new Error(
            created.body.error ? created.body.error.message : 'The import could not be created.',
          );
        var finished = false;
        var id = created.body.id;
        poll(id, function () {
          return finished;
        });
        return fetch('/admin/outcome-imports/' + id + '/file', {
          method: 'POST',
          credentials: 'include',
          headers: withToken({ 'Content-Type': 'text/csv', Accept: 'application/json' }),
          body: f,
        }).then(function (r) {
          return r.json().then(function (b) {
            finished = true;
            if (!r.ok) throw new Error(b.error ? b.error.message : 'The file could not be staged.');
            bar.value = 1;
            window.location.assign(pageAddress(b.page));
          });
        });
      })
      .catch(function (err) {
        button.disabled = false;
        area.hidden = true;
        showError(err.message, 'file');
      });
  });
})();
