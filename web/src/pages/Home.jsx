// The home page: what Kartu Prakerja is, who can join and the steps, in a few lines,
// with the way in (register) and back (log in), and the course catalog.
import { t } from '../i18n.js';

export function Home() {
  return (
    <article class="home">
      <h1 tabIndex={-1}>{t('home.title')}</h1>
      <p class="lead">{t('home.lead')}</p>
      <p class="cta">
        <a href="#/register" role="button" id="cta-register">{t('home.cta')}</a>{' '}
        <span>{t('home.have')} <a href="#/login">{t('nav.login')}</a></span>
      </p>
      <p><a href="#/catalog" id="home-catalog">{t('home.catalog')}</a></p>
      <section>
        <h2>{t('home.what')}</h2>
        <ul>
          <li>{t('home.what1')}</li>
          <li>{t('home.what2')}</li>
          <li>{t('home.what3')}</li>
        </ul>
      </section>
      <section>
        <h2>{t('home.who')}</h2>
        <ul>
          <li>{t('home.who1')}</li>
          <li>{t('home.who2')}</li>
          <li>{t('home.who3')}</li>
        </ul>
      </section>
      <section>
        <h2>{t('home.steps')}</h2>
        <ol>
          <li>{t('home.step1')}</li>
          <li>{t('home.step2')}</li>
          <li>{t('home.step3')}</li>
          <li>{t('home.step4')}</li>
          <li>{t('home.step5')}</li>
        </ol>
      </section>
    </article>
  );
}
