// Applies the remembered light/dark choice before the page paints (loaded without defer in
// <head>); without a choice the stylesheet follows the system's setting.
(function () {
  'use strict';
  try {
    var theme = JSON.parse(window.localStorage.getItem('lbrec:theme'));
    if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
  } catch (e) {
    // storage unavailable: the system's setting applies
  }
})();
