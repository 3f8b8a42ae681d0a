// Mamori: small progressive enhancements. No inline scripts (CSP script-src 'self').
(function () {
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content ?? '';
  const post = (url, body) => fetch(url, { method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': csrf() }, body });
  const showError = (msg) => { const e = document.getElementById('passkey-error'); if (e) { e.textContent = msg; e.hidden = false; } };

  document.querySelectorAll('select[data-autosubmit]').forEach(s => s.addEventListener('change', () => s.form.submit()));
  document.querySelectorAll('[data-copy]').forEach(b => b.addEventListener('click', () => {
    const input = document.querySelector(b.dataset.copy); input.select(); navigator.clipboard?.writeText(input.value);
  }));
  document.querySelectorAll('[data-confirm]').forEach(b => b.addEventListener('click', e => { if (!confirm(b.dataset.confirm)) e.preventDefault(); }));

  document.querySelectorAll('[data-passkey-register]').forEach(b => b.addEventListener('click', async () => {
    try {
      const options = await (await post('/account/passkeys/creation-options', '{}')).json();
      const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
      const r = await post('/account/passkeys/register', JSON.stringify(credential.toJSON()));
      if (!r.ok) { showError((await r.json()).error ?? 'パスキーを登録できませんでした。'); return; }
      location.href = '/account/security';
    } catch (e) { showError('パスキーを登録できませんでした: ' + e.message); }
  }));

  document.querySelectorAll('[data-passkey-login]').forEach(b => b.addEventListener('click', async () => {
    try {
      const options = await (await post('/account/passkeys/request-options', '{}')).json();
      const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
      const r = await post('/account/passkeys/login', JSON.stringify(credential.toJSON()));
      if (!r.ok) { showError((await r.json()).error ?? 'パスキーでサインインできませんでした。'); return; }
      const ret = b.dataset.return; location.href = ret && ret.startsWith('/') && !ret.startsWith('//') ? ret : '/';
    } catch (e) { showError('パスキーでサインインできませんでした: ' + e.message); }
  }));
})();

// Long-running forms (imports): say that work is in progress and prevent a double submission.
// A button with data-progress polls that URL while the request runs and shows how far it is.
document.querySelectorAll('form[data-busy]').forEach(f => f.addEventListener('submit', e => {
  const note = document.createElement('p');
  note.className = 'notice busy';
  note.setAttribute('role', 'status');
  note.textContent = f.dataset.busy;
  f.appendChild(note);
  setTimeout(() => f.querySelectorAll('button[type=submit]').forEach(b => { b.disabled = true; }), 0);
  const b = e.submitter;
  if (!b?.dataset.progress) return;
  const bar = document.createElement('progress');
  bar.id = 'import-progress';
  note.appendChild(document.createElement('br'));
  note.appendChild(bar);
  const text = document.createElement('span');
  note.appendChild(text);
  const fmt = (t, a, n) => t.replace('{0}', a.toLocaleString()).replace('{1}', n.toLocaleString());
  setInterval(async () => {
    try {
      const p = await (await fetch(b.dataset.progress, { credentials: 'same-origin' })).json();
      if (!p.running) return;
      bar.max = p.expected; bar.value = p.read;
      text.textContent = ' ' + fmt(p.writing ? b.dataset.progressWrite : b.dataset.progressRead, p.read, p.expected);
    } catch { /* the page is being replaced by the result */ }
  }, 700);
}));
