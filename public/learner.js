// Learner pages: time on task and announced errors. The server counts time between the signs of
// activity it receives (heartbeats here, plus every answer), capping idle gaps; scoring happens there too.
(function () {
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  var root = document.querySelector('[data-heartbeat-url]');
  if (!root) return;
  var url = root.getAttribute('data-heartbeat-url');
  // A session that arrived without its cookie carries a session token (src/web/middleware/session-token.ts);
  // it rides in the address, since sendBeacon sets no headers.
  var sessionTag = document.querySelector('meta[name="yardstick-session"]');
  if (sessionTag)
    url +=
      (url.indexOf('?') < 0 ? '?' : '&') + 'yst=' + encodeURIComponent(sessionTag.getAttribute('content'));
  var attempt = root.getAttribute('data-attempt');
  var every = Number(root.getAttribute('data-heartbeat-seconds')) || 30;
  var active = false;
  var stopped = false;
  ['keydown', 'pointerdown', 'scroll', 'input', 'mousemove', 'touchstart'].forEach(function (type) {
    window.addEventListener(
      type,
      function () {
        active = true;
      },
      { passive: true },
    );
  });
  // The page's CSRF token (src/web/middleware/csrf.ts) rides in the body: sendBeacon sets no headers.
  var tokenTag = document.querySelector('meta[name="csrf-token"]');
  function body() {
    var fields = { attempt: attempt };
    if (tokenTag) fields._csrf = tokenTag.getAttribute('content');
    return new URLSearchParams(fields);
  }
  function beat() {
    if (stopped || !active || document.visibilityState !== 'visible') return;
    active = false;
    fetch(url, { method: 'POST', body: body(), credentials: 'include' })
      .then(function (res) {
        // 409: the session ended (exited, or abandoned after a long pause); stop pinging.
        if (res.status === 409 || res.status === 401 || res.status === 403) stopped = true;
      })
      .catch(function () {});
  }
  setInterval(beat, every * 1000);
  // The last moment counts too when the tab closes or the learner moves on.
  window.addEventListener('pagehide', function () {
    if (!stopped && navigator.sendBeacon) navigator.sendBeacon(url, body());
  });
})();
