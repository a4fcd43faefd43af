/* global document, window, CSS, EventSource, fetch, URLSearchParams */
// Vigil on-call dashboard: filters without reload, live state over Server-Sent Events, the latency chart.
// Everything from the server is set as text (textContent), never as markup.
(function () {
  'use strict';

  var STATE_TEXT = {
    up: 'up',
    degraded: 'degraded',
    down: 'down',
    no_data: 'no data',
    maintenance: 'maintenance',
    config: 'config problem',
    unknown: 'unknown',
  };

  function $(sel, root) {
    return (root || document).querySelector(sel);
  }
  function $$(sel, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(sel));
  }
  function setText(el, text) {
    if (el && el.textContent !== text) el.textContent = text;
  }
  function ms(v) {
    return v === null || v === undefined ? '—' : Math.round(v) + ' ms';
  }
  function regionsText(p) {
    return p.regions
      .map(function (r) {
        return p.failingRegions.indexOf(r) >= 0 ? r + ' (failing)' : r;
      })
      .join(', ');
  }
  function setState(badge, state) {
    if (!badge) return;
    badge.className = 'state state-' + state;
    setText(badge, STATE_TEXT[state] || state);
  }

  // ---- filters: the GET form works without script; here the rows are filtered as you type
  var form = $('#filters');
  function filterValues() {
    var f = {};
    $$('[data-filter]', form).forEach(function (el) {
      f[el.getAttribute('data-filter')] = el.value;
    });
    return f;
  }
  function matches(row, f) {
    var q = (f.q || '').trim().toLowerCase();
    var regions = (row.getAttribute('data-regions') || '').split(' ');
    return (
      (!f.service || row.getAttribute('data-service') === f.service) &&
      (!f.provider || row.getAttribute('data-provider') === f.provider) &&
      (!f.region || regions.indexOf(f.region) >= 0) &&
      (!f.state || row.getAttribute('data-state') === f.state) &&
      (!q ||
        row.getAttribute('data-probe').toLowerCase().indexOf(q) >= 0 ||
        (row.getAttribute('data-name') || '').indexOf(q) >= 0)
    );
  }
  function applyFilter(updateUrl) {
    if (!form) return;
    var f = filterValues();
    var rows = $$('#probes tr[data-probe]');
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(row, f);
      row.classList.toggle('hidden', !ok);
      if (ok) shown++;
    });
    setText($('#shown-count'), String(shown));
    var none = $('#none-shown');
    if (none) none.classList.toggle('hidden', shown > 0);
    var count = function (s) {
      return rows.filter(function (r) {
        return r.getAttribute('data-state') === s;
      }).length;
    };
    setText($('#count-down'), String(count('down')));
    setText($('#count-degraded'), String(count('degraded')));
    if (updateUrl && window.history && window.history.replaceState) {
      var params = new URLSearchParams(window.location.search);
      Object.keys(f).forEach(function (k) {
        if (f[k]) params.set(k, f[k]);
        else params.delete(k);
      });
      params.delete('notice');
      var qs = params.toString();
      window.history.replaceState(null, '', window.location.pathname + (qs ? '?' + qs : ''));
    }
  }
  if (form) {
    form.addEventListener('input', function () {
      applyFilter(true);
    });
    form.addEventListener('change', function () {
      applyFilter(true);
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      applyFilter(true);
    });
  }

  // ---- live updates
  function updateProbe(p) {
    var row = document.querySelector('#probes tr[data-probe="' + CSS.escape(p.id) + '"]');
    if (row) {
      var before = row.getAttribute('data-state');
      row.setAttribute('data-state', p.state);
      setState($('[data-field="state"]', row), p.state);
      setText($('[data-field="regions"]', row), regionsText(p));
      setText($('[data-field="errorClass"]', row), p.errorClass || '—');
      setText($('[data-field="lastError"]', row), p.lastError || '—');
      setText($('[data-field="latency"]', row), ms(p.latencyMs));
      if (before !== p.state) {
        row.classList.remove('changed');
        void row.offsetWidth;
        row.classList.add('changed');
      }
    }
    var head = document.querySelector('[data-probe-state="' + CSS.escape(p.id) + '"]');
    if (head) setState($('[data-field="state"]', head), p.state);
  }

  /** The incident's page, with the token this page was opened with (as the server's links). */
  function detailsLink(id) {
    var a = document.createElement('a');
    a.className = 'details';
    var token = new URLSearchParams(window.location.search).get('token');
    a.href =
      '/dashboard/incidents/' + encodeURIComponent(id) + (token ? '?token=' + encodeURIComponent(token) : '');
    a.textContent = 'details';
    return a;
  }

  function incidentItem(i) {
    var li = document.createElement('li');
    li.setAttribute('data-incident', i.id);
    var kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = i.kind + ' · ' + i.scope;
    var title = document.createElement('b');
    title.textContent = i.title;
    var sub = document.createElement('span');
    sub.className = 'sub';
    var status = document.createElement('span');
    status.setAttribute('data-field', 'status');
    status.textContent = 'open since ' + i.openedAt.slice(0, 16).replace('T', ' ') + ' UTC';
    sub.appendChild(status);
    li.appendChild(kind);
    li.appendChild(document.createTextNode(' '));
    li.appendChild(title);
    li.appendChild(document.createTextNode(' '));
    li.appendChild(detailsLink(i.id));
    li.appendChild(sub);
    return li;
  }

  function updateIncident(e) {
    var i = e.incident;
    var existing = document.querySelector('li[data-incident="' + CSS.escape(i.id) + '"]');
    if (e.change === 'resolved') {
      if (existing) {
        existing.classList.add('resolved');
        setText($('[data-field="status"]', existing), 'resolved');
        var actions = $('.actions', existing);
        if (actions) actions.remove();
      }
      return;
    }
    if (existing) return;
    var timeline = $('#timeline');
    if (!timeline) return;
    var li = incidentItem(i);
    var parent = i.parentId && document.querySelector('li[data-incident="' + CSS.escape(i.parentId) + '"]');
    if (parent) {
      var list = $('ol', parent);
      if (!list) {
        list = document.createElement('ol');
        list.setAttribute('aria-label', 'grouped incidents');
        parent.appendChild(list);
      }
      list.insertBefore(li, list.firstChild);
    } else timeline.insertBefore(li, timeline.firstChild);
    var none = $('#no-incidents');
    if (none) none.remove();
  }

  var live = $('#live');
  var eventsUrl = document.body.getAttribute('data-events');
  if (eventsUrl && window.EventSource) {
    var source = new EventSource(eventsUrl);
    var status = function (text, cls) {
      if (!live) return;
      setText(live, text);
      live.classList.remove('on', 'off');
      live.classList.add(cls);
    };
    source.addEventListener('open', function () {
      status('live', 'on');
    });
    source.addEventListener('error', function () {
      status('live updates: reconnecting', 'off');
    });
    source.addEventListener('snapshot', function (ev) {
      var s = JSON.parse(ev.data);
      s.probes.forEach(updateProbe);
      s.open.forEach(function (i) {
        updateIncident({ change: 'opened', incident: i });
      });
      status('live', 'on');
      applyFilter(false);
    });
    source.addEventListener('probe', function (ev) {
      updateProbe(JSON.parse(ev.data).probe);
      applyFilter(false);
    });
    source.addEventListener('incident', function (ev) {
      updateIncident(JSON.parse(ev.data));
    });
    window.addEventListener('pagehide', function () {
      source.close();
    });
  }

  // ---- the latency chart (probe page)
  var chart = $('#chart');
  if (chart && window.uPlot && chart.getAttribute('data-series')) {
    fetch(chart.getAttribute('data-series'), { headers: { accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) throw new Error('series: HTTP ' + r.status);
        return r.json();
      })
      .then(function (s) {
        var pts = s.points;
        var col = function (k) {
          return pts.map(function (p) {
            return p[k];
          });
        };
        var data = [
          pts.map(function (p) {
            return p.at / 1000;
          }),
          col('dnsMs'),
          col('connectMs'),
          col('tlsMs'),
          col('ttfbMs'),
          col('transferMs'),
          col('totalMs'),
        ];
        var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
        var axis = { stroke: dark ? '#a9b1ba' : '#56606b', grid: { stroke: dark ? '#2e343c' : '#e3e6ea' } };
        var line = function (label, color, width) {
          return {
            label: label,
            stroke: color,
            width: width || 1.5,
            spanGaps: false,
            value: function (u, v) {
              return v === null || v === undefined ? '—' : v.toFixed(1) + ' ms';
            },
          };
        };
        var opts = {
          width: Math.max(280, chart.clientWidth - 24),
          height: 300,
          series: [
            {},
            line('DNS', '#7e57c2'),
            line('connect', '#26a69a'),
            line('TLS', '#ef6c00'),
            line('first byte', '#1e88e5'),
            line('transfer', '#8d6e63'),
            line(s.source === 'rollups' ? 'total (median)' : 'total', dark ? '#e8eaed' : '#1b1f24', 2),
          ],
          axes: [axis, Object.assign({ label: 'ms' }, axis)],
          scales: { x: { time: true } },
        };
        while (chart.firstChild) chart.removeChild(chart.firstChild);
        if (pts.length === 0) {
          var empty = document.createElement('p');
          empty.className = 'muted';
          empty.textContent = 'No latency data in this range.';
          chart.appendChild(empty);
          return;
        }
        var plot = new window.uPlot(opts, data, chart);
        window.addEventListener('resize', function () {
          plot.setSize({ width: Math.max(280, chart.clientWidth - 24), height: 300 });
        });
        chart.setAttribute('data-ready', String(pts.length));
      })
      .catch(function (err) {
        var p = document.createElement('p');
        p.className = 'flash error';
        p.textContent = 'The chart could not be loaded: ' + err.message;
        chart.appendChild(p);
      });
  }
})();
