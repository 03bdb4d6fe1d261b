// lbrec's web UI, entry point (an ES module; the server's Content-Security-Policy allows scripts
// from this origin only, so there is no inline code anywhere). Each page is plain HTML; this
// wires the theme toggle and starts the page's controller.
import {initLanding} from './landing.js';
import {initResults} from './results.js';
import {initThemeToggle} from './util.js';

function start() {
  initThemeToggle(document.getElementById('theme-toggle'));
  const page = document.querySelector('main[data-page]');
  if (!page) return;
  if (page.dataset.page === 'landing') initLanding();
  if (page.dataset.page === 'results') initResults();
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
