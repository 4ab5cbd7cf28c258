// The development LMS's platform storage (1EdTech LTI Client Side postMessages 1.0, platform side):
// answers lti.capabilities, lti.put_data and lti.get_data from the tool's frame. Data is kept per
// origin of the frame that stored it (a tool reads only its own), in this page's memory, which lasts
// for as long as the LMS page (the frame navigates from login to auth to launch beneath it).
(function () {
  'use strict';
  var frame = document.querySelector('iframe[name="tool"]');
  if (!frame) return;
  var toolOrigin = frame.getAttribute('data-tool-origin');
  var stores = {};
  var SUPPORTED = [{ subject: 'lti.capabilities' }, { subject: 'lti.put_data' }, { subject: 'lti.get_data' }];

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || typeof data.subject !== 'string' || !data.message_id) return;
    // Only the tool's frame, from the tool's origin, is answered.
    if (event.source !== frame.contentWindow || event.origin !== toolOrigin) return;
    var reply = { subject: data.subject + '.response', message_id: data.message_id };
    var store = (stores[event.origin] = stores[event.origin] || {});
    if (data.subject === 'lti.capabilities') {
      reply.supported_messages = SUPPORTED;
    } else if (data.subject === 'lti.put_data') {
      if (typeof data.key !== 'string' || !data.key) {
        reply.error = { code: 'bad_request', message: 'put_data needs a key' };
      } else {
        store[data.key] = data.value;
        reply.key = data.key;
        reply.value = data.value;
      }
    } else if (data.subject === 'lti.get_data') {
      reply.key = data.key;
      if (Object.prototype.hasOwnProperty.call(store, data.key)) reply.value = store[data.key];
      else reply.error = { code: 'not_found', message: 'no value stored under ' + data.key };
    } else {
      reply.error = { code: 'unsupported_subject', message: data.subject + ' is not supported' };
    }
    event.source.postMessage(reply, event.origin);
  });
})();
