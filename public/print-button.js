// Buttons marked data-print print the page. A file, not an onclick attribute, so that pages carry no
// inline script and a Content-Security-Policy script-src can forbid inline script (docs/security.md).
document.addEventListener('click', function (event) {
  var target = event.target;
  if (target instanceof Element && target.closest('[data-print]')) window.print();
});
