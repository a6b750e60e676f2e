// The app's entry: Pico CSS, a hash router ("#/register", "#/verify?email=..."), the
// header with the navigation and the language switch, and the pages. Hash routes
// work whatever the server does with unknown paths. On each route change the page's
// heading takes focus so screen readers announce the new page. The navigation follows
// the signed-in person's role (GET /me, asked once per token): participants get the
// test, waves and card pages, admins the waves admin page. Issue 5 adds the catalog
// and course pages (for everyone), My trainings (participants), the provider's
// pages (role provider: courses, redeem, completion) and course curation (admins).
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
import { Catalog } from './pages/Catalog.jsx';
import { Course } from './pages/Course.jsx';
import { Trainings } from './pages/Trainings.jsx';

/*
 * Staff pages (provider, curation) are fetched when first opened, as a separate
 * chunk, so a participant's phone never downloads them. While the chunk loads the
 * page shows its heading's place; when it arrives, focus moves to the real
 * heading if the placeholder had it. A failed fetch offers a retry.
 */
function lazyPage(load, titleKey) {
  let Comp = null;
  let pending = null;
  return function LazyPage(props) {
    const [, setLoaded] = useState(false);
    const [failed, setFailed] = useState(false);
    const hadFocus = useRef(false);
    useEffect(() => {
      if (Comp) return undefined;
      let live = true;
      if (!pending) pending = load().then((C) => { Comp = C; }, (e) => { pending = null; throw e; });
      pending.then(() => {
        if (!live) return;
        const h = document.querySelector('main h1');
        hadFocus.current = !!h && document.activeElement === h;
        setLoaded(true);
      }, () => { if (live) setFailed(true); });
      return () => { live = false; };
    }, [failed]);
    useEffect(() => {
      if (Comp && hadFocus.current) {
        hadFocus.current = false;
        const h = document.querySelector('main h1');
        if (h) h.focus({ preventScroll: true });
      }
    });
    if (Comp) return <Comp {...props} />;
    return (
      <article aria-busy={failed ? undefined : 'true'}>
        <h1 tabIndex={-1}>{t(titleKey)}</h1>
        {failed ? (
          <>
            <p class="alert alert-error" role="alert">{t('net.error')}</p>
            <button type="button" onClick={() => setFailed(false)}>{t('common.retry')}</button>
          </>
        ) : <p>{t('common.loading')}</p>}
      </article>
    );
  };
}

const ProviderCourses = lazyPage(() => import('./pages/ProviderCourses.jsx').then((m) => m.ProviderCourses), 'prov.courses');
const ProviderCourse = lazyPage(() => import('./pages/ProviderCourse.jsx').then((m) => m.ProviderCourse), 'prov.course');
const ProviderRedeem = lazyPage(() => import('./pages/ProviderRedeem.jsx').then((m) => m.ProviderRedeem), 'prov.redeem');
const ProviderComplete = lazyPage(() => import('./pages/ProviderComplete.jsx').then((m) => m.ProviderComplete), 'prov.complete');
const AdminCourses = lazyPage(() => import('./pages/AdminCourses.jsx').then((m) => m.AdminCourses), 'cur.title');

const PAGES = { '/': Home, '/register': Register, '/verify': Verify, '/login': Login, '/account': Account,
  '/test': Test, '/waves': Waves, '/card': Card, '/admin/waves': AdminWaves,
  '/catalog': Catalog, '/course': Course, '/trainings': Trainings, '/provider/courses': ProviderCourses,
  '/provider/course': ProviderCourse, '/provider/redeem': ProviderRedeem, '/provider/complete': ProviderComplete,
  '/admin/courses': AdminCourses };

/* Staff of partners (providers, platforms, payment partners) have no use for the waves. */
const PARTNER_ROLES = ['provider', 'platform', 'payment_partner'];

/* The navigation entry a page belongs to, for aria-current on pages below a list. */
const SECTION = { '/course': '/catalog', '/provider/course': '/provider/courses',
  '/provider/redeem': '/provider/courses', '/provider/complete': '/provider/courses' };

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
  const here = SECTION[route.path] || route.path;
  const link = (href, key) => (
    <li><a href={'#' + href} aria-current={here === href ? 'page' : undefined}>{t(key)}</a></li>
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
            {link('/catalog', 'nav.catalog')}
            {!PARTNER_ROLES.includes(role) && link('/waves', 'nav.waves')}
            {signedIn && !staff && link('/test', 'nav.test')}
            {signedIn && !staff && link('/card', 'nav.card')}
            {signedIn && !staff && link('/trainings', 'nav.trainings')}
            {role === 'provider' && link('/provider/courses', 'nav.provider')}
            {role === 'admin' && link('/admin/waves', 'nav.admin_waves')}
            {role === 'admin' && link('/admin/courses', 'nav.admin_courses')}
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
