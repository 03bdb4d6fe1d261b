// Sets the theme before the page paints (loaded without defer in <head>): the remembered
// light/dark choice, else the system's setting, followed while no choice is remembered. The
// stylesheet keys its palette on <html data-theme>, one palette per theme.
(function () {
  'use strict';
  var root = document.documentElement;
  var chosen = null;
  try {
    var theme = JSON.parse(window.localStorage.getItem('lbrec:theme'));
    if (theme === 'dark' || theme === 'light') chosen = theme;
  } catch (e) {
    // storage unavailable: the system's setting applies
  }
  if (chosen) {
    root.dataset.theme = chosen;
    return;
  }
  var system = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  var follow = function () {
    root.dataset.theme = system && system.matches ? 'dark' : 'light';
  };
  follow();
  if (system) {
    system.addEventListener('change', function () {
      var stored = null;
      try {
        stored = window.localStorage.getItem('lbrec:theme');
      } catch (e) {
        // storage unavailable
      }
      if (!stored) follow();
    });
  }
})();
