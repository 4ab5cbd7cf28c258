// Platform storage, the tool's side (1EdTech LTI Client Side postMessages 1.0 and OIDC Login with LTI
// Client Side postMessages 1.0): keeps the OIDC state and nonce in the LMS's window instead of a cookie.
// The login page (views/pages/lti/storage-login.hbs) stores them with lti.put_data and goes on to the
// LMS's auth URL; the launch page (storage-launch.hbs) reads them back with lti.get_data and posts the
// launch again from Yardstick's own origin. Every reply is checked: it must come from the LMS's auth
// origin and answer the message id this page sent; anything else is ignored (never trusted).
(function (root) {
  'use strict';

  var CAPABILITIES_MS = 1000;
  // Generous: a busy LMS page or a slow phone may answer late, and a timeout falls back to a cookie
  // that a browser blocking third-party cookies never sends (the launch then fails).
  var STORAGE_MS = 10000;

  function messageId(win) {
    var bytes = new Uint8Array(16);
    win.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ('0' + b.toString(16)).slice(-2);
      })
      .join('');
  }

  /** The LMS's window or frame that keeps the data: `_parent`, or a named frame of the parent. */
  function targetWindow(win, target) {
    if (!win.parent || win.parent === win) return null;
    if (target === '_parent') return win.parent;
    try {
      return win.parent.frames[target] || null;
    } catch {
      return null;
    }
  }

  /**
   * Sends `message` to `to` and resolves with the reply: a message from `origin` (exactly) whose
   * subject is the message's subject + ".response" and whose message_id is this one's. Rejects on an
   * error reply or after `ms` without one. `targetOrigin` is where the message may go: always the
   * platform's origin here, so no other site framing Yardstick receives state or nonce.
   */
  function ask(win, to, origin, targetOrigin, message, ms) {
    return new Promise(function (resolve, reject) {
      var id = messageId(win);
      var timer = win.setTimeout(function () {
        done();
        reject(new Error(message.subject + ' had no answer from ' + origin));
      }, ms);
      function done() {
        win.clearTimeout(timer);
        win.removeEventListener('message', onMessage);
      }
      function onMessage(event) {
        if (event.origin !== origin) return;
        var data = event.data;
        if (!data || typeof data !== 'object') return;
        if (data.message_id !== id || data.subject !== message.subject + '.response') return;
        done();
        if (data.error) {
          var e = data.error;
          reject(new Error(message.subject + ' failed: ' + (e.code || '') + ' ' + (e.message || '')));
        } else resolve(data);
      }
      win.addEventListener('message', onMessage);
      var sent = { message_id: id };
      for (var k in message) sent[k] = message[k];
      to.postMessage(sent, targetOrigin);
    });
  }

  /**
   * Whether the LMS answers lti.put_data (true), says it does not (false), or does not answer
   * lti.capabilities at all (null: the specification lets a platform skip it, so storage is tried).
   * Asked of the storage frame, origin-checked like the data messages: Canvas's storage frame is on its
   * OIDC auth domain, while its parent window is the institution's own.
   */
  function supportsStorage(win, to, s) {
    return ask(win, to, s.origin, s.origin, { subject: 'lti.capabilities' }, CAPABILITIES_MS).then(
      function (reply) {
        var list = Array.isArray(reply.supported_messages) ? reply.supported_messages : [];
        var subjects = list.map(function (m) {
          return m && m.subject;
        });
        return subjects.indexOf('lti.put_data') >= 0 && subjects.indexOf('lti.get_data') >= 0;
      },
      function () {
        return null;
      },
    );
  }

  /** Stores state and nonce in the LMS's frame; resolves true when both were stored. */
  function storeLaunchState(win, s) {
    var to = targetWindow(win, s.target);
    if (!to) return Promise.resolve(false);
    return supportsStorage(win, to, s).then(function (supported) {
      if (supported === false) return false;
      var put = function (key, value) {
        return ask(
          win,
          to,
          s.origin,
          s.origin,
          { subject: 'lti.put_data', key: key, value: value },
          STORAGE_MS,
        );
      };
      return put(s.stateKey, s.state)
        .then(function () {
          return put(s.nonceKey, s.nonce);
        })
        .then(
          function () {
            return true;
          },
          function () {
            return false;
          },
        );
    });
  }

  /** Reads state and nonce back; resolves when both are what this launch expects, rejects saying why not. */
  function readLaunchState(win, s) {
    var to = targetWindow(win, s.target);
    if (!to) return Promise.reject(new Error('Yardstick is not inside the LMS frame that started it'));
    var get = function (key, expected) {
      return ask(win, to, s.origin, s.origin, { subject: 'lti.get_data', key: key }, STORAGE_MS).then(
        function (reply) {
          if (reply.key !== key || reply.value !== expected)
            throw new Error('the LMS holds no matching ' + key.split('_')[0] + ' for this launch');
        },
      );
    };
    return get(s.stateKey, s.state).then(function () {
      return get(s.nonceKey, s.nonce);
    });
  }

  function settingsOf(el) {
    return {
      target: el.getAttribute('data-target'),
      origin: el.getAttribute('data-origin'),
      stateKey: el.getAttribute('data-state-key'),
      state: el.getAttribute('data-state'),
      nonceKey: el.getAttribute('data-nonce-key'),
      nonce: el.getAttribute('data-nonce'),
    };
  }

  function start(doc, win) {
    var el = doc.querySelector('[data-lti-storage]');
    if (!el) return;
    var s = settingsOf(el);
    if (el.getAttribute('data-lti-storage') === 'put') {
      // Without platform storage the launch falls back to the state cookie ltijs set with this page.
      storeLaunchState(win, s).then(function () {
        win.location.replace(el.getAttribute('data-continue'));
      });
      return;
    }
    readLaunchState(win, s).then(
      function () {
        el.querySelector('[data-storage-form]').submit();
      },
      function (err) {
        el.querySelector('[data-storage-status]').hidden = true;
        el.querySelector('[data-storage-reason]').textContent = err.message;
        el.querySelector('[data-storage-failed]').hidden = false;
      },
    );
  }

  root.YardstickLtiStorage = { storeLaunchState: storeLaunchState, readLaunchState: readLaunchState };
  if (typeof root.document !== 'undefined') start(root.document, root);
})(this);
