// The app's entry: Pico CSS, a hash router ("#/register", "#/verify?email=..."), the
// header with the navigation and the language switch, and the pages. Hash routes
// work whatever the server does with unknown paths. On each route change the page's
// heading takes focus so screen readers announce the new page. The navigation follows
// the signed-in person's role (GET /me, asked once per token): participants get the
// test, waves and card pages, admins the waves admin page.
import '@picocss/pico/css/pico.min.css';
import './style.css';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { lang, setLang, t } from './i18n.js';
import { me, roleOf, token } from './api.js';
import { Home } from './pages/Home.jsx';
import { Register } from './pages/Register.jsx';
import { Verify } from './pages/Verify.jsx';
import { Login } from './pages/Login.jsx';
import { Account } from './pages/Account.jsx';
import { Test } from './pages/Test.jsx';
import { Waves } from './pages/Waves.jsx';
import { Card } from './pages/Card.jsx';
import { AdminWaves } from './pages/AdminWaves.jsx';

const PAGES = { '/': Home, '/register': Register, '/verify': Verify, '/login': Login, '/account': Account,
  '/test': Test, '/waves': Waves, '/card': Card, '/admin/waves': AdminWaves };

function parseHash() {
  const h = location.hash.replace(/^#/, '').slice(0, 2048) || '/';
  const i = h.indexOf('?');
  const path = i < 0 ? h : h.slice(0, i);
  let query;
  try { query = new URLSearchParams(i < 0 ? '' : h.slice(i + 1)); } catch (_) { query = new URLSearchParams(); }
  return { path, query };
}

function NotFound() {
  return <article><h1 tabIndex={-1}>{t('page.not_found')}</h1><a href="#/">{t('nav.home')}</a></article>;
}

function App() {
  const [route, setRoute] = useState(parseHash);
  const [, setLangState] = useState(lang());

  useEffect(() => {
    const on = () => setRoute(parseHash());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);

  const first = useRef(true);
  useEffect(() => {
    /* On the first load the heading takes focus when nothing else has it; after that a
       route change moves focus to the new page's heading from wherever it was. */
    const h = document.querySelector('main h1');
    if (h && (!first.current || document.activeElement === document.body)) h.focus({ preventScroll: true });
    first.current = false;
    scrollTo(0, 0);
  }, [route.path]);

  const tok = token();
  const [role, setRole] = useState('');
  useEffect(() => {
    let live = true;
    if (!tok) setRole('');
    else me().then((res) => { if (live) setRole(roleOf(res)); });
    return () => { live = false; };
  }, [tok]);

  useEffect(() => { document.title = t('app.name'); });

  function switchLang() {
    const next = lang() === 'id' ? 'en' : 'id';
    setLang(next);
    setLangState(next);
  }

  const Page = PAGES[route.path] || NotFound;
  const signedIn = !!tok;
  const staff = role !== '' && role !== 'participant';
  const link = (href, key) => (
    <li><a href={'#' + href} aria-current={route.path === href ? 'page' : undefined}>{t(key)}</a></li>
  );
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main').focus(); }}>
        {t('app.skip')}
      </a>
      <header class="container topbar">
        <nav aria-label={t('nav.main')}>
          <ul>
            <li><a href="#/" class="brand"><strong>{t('app.name')}</strong></a></li>
          </ul>
          <ul>
            {!signedIn && link('/', 'nav.home')}
            {link('/waves', 'nav.waves')}
            {signedIn && !staff && link('/test', 'nav.test')}
            {signedIn && !staff && link('/card', 'nav.card')}
            {role === 'admin' && link('/admin/waves', 'nav.admin_waves')}
            {!signedIn && link('/register', 'nav.register')}
            {!signedIn && link('/login', 'nav.login')}
            {signedIn && link('/account', 'nav.account')}
            <li>
              <button type="button" id="lang-switch" class="outline secondary" lang={lang() === 'id' ? 'en' : 'id'}
                aria-label={t('lang.switch_label')} onClick={switchLang}>{t('lang.switch')}</button>
            </li>
          </ul>
        </nav>
      </header>
      <main class="container" id="main" tabIndex={-1}>
        <Page key={route.path + '?' + route.query.toString()} query={route.query} />
      </main>
      <footer class="container"><small>{t('footer.regions')}</small></footer>
    </>
  );
}

document.documentElement.lang = lang();
render(<App />, document.getElementById('app'));
