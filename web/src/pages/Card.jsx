// The card page (Kartu Prakerja saya): GET /api/v1/me/card. The card number in groups
// of four, the training balance left in rupiah (of the scheme's full balance), the
// first-purchase deadline in WIB with the calendar days left, and whether the card is
// active or revoked. A person without a card (404 card.not_found) is told how cards
// are given and pointed to the waves.
import { useEffect, useState } from 'preact/hooks';
import { formatRupiah, formatWib, groupCard, t, wibDaysUntil } from '../i18n.js';
import { api, problemCode, token } from '../api.js';
import { Badge, pageState, needLogin, problemToErrors } from '../ui.jsx';

function str(x) {
  return typeof x === 'string' ? x : '';
}

function daysLeftText(iso) {
  const d = wibDaysUntil(iso, Date.now() / 1000);
  if (!Number.isFinite(d)) return '';
  if (d < 0) return t('card.passed');
  if (d === 0) return t('card.today');
  return t('card.days_left', { d });
}

export function Card() {
  const [card, setCard] = useState(null);
  const [none, setNone] = useState(false);
  const [error, setError] = useState('');

  async function load() {
    setError('');
    if (!token()) {
      needLogin(null, '/card');
      return;
    }
    const res = await api('GET', '/me/card', undefined, { auth: true });
    if (needLogin(res, '/card')) return;
    if (res.status === 404 && problemCode(res) === 'card.not_found') {
      setNone(true);
      return;
    }
    if (!res.ok || !res.data || typeof res.data !== 'object') {
      setError(problemToErrors(res, []).form);
      return;
    }
    setCard(res.data);
  }

  useEffect(() => { load(); }, []);

  if (none) {
    return (
      <article>
        <h1 tabIndex={-1}>{t('card.title')}</h1>
        <p id="card-none">{t('card.none')}</p>
        <p><a href="#/waves">{t('test.go_waves')}</a></p>
      </article>
    );
  }
  if (!card) return pageState({ title: t('card.title'), error, onRetry: load });

  const active = card.status === 'active';
  return (
    <article>
      <h1 tabIndex={-1}>{t('card.title')}</h1>
      <div class={'pcard' + (active ? '' : ' pcard-revoked')}>
        <small>{t('card.number')}</small>
        <p id="card-number" class="mono pcard-number">{groupCard(str(card.card_number))}</p>
        <small>{t('card.balance')}</small>
        <p class="pcard-balance"><strong id="card-balance">{formatRupiah(card.balance)}</strong>
          {Number.isSafeInteger(card.training_balance) && (
            <small> {t('card.of', { x: formatRupiah(card.training_balance) })}</small>)}</p>
      </div>
      <dl class="facts">
        <dt>{t('card.status')}</dt>
        <dd><Badge id="card-status" kind={active ? 'ok' : 'no'}>{t('cstatus.' + str(card.status))}</Badge></dd>
        {active && (
          <>
            <dt>{t('card.deadline')}</dt>
            <dd><span id="card-deadline">{formatWib(card.purchase_deadline)}</span>{' '}
              <strong id="card-days-left">({daysLeftText(card.purchase_deadline)})</strong>
              <br /><small>{t('card.deadline_note')}</small></dd>
          </>
        )}
        {!active && card.revoked_at && (
          <>
            <dt>{t('card.revoked_at')}</dt>
            <dd id="card-revoked-at">{formatWib(card.revoked_at)}</dd>
          </>
        )}
        <dt>{t('card.wave')}</dt>
        <dd id="card-wave">{String(card.wave ?? '')}</dd>
        <dt>{t('card.scheme')}</dt>
        <dd>{str(card.scheme)}</dd>
      </dl>
    </article>
  );
}
