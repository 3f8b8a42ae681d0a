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
document.querySelectorAll('form[data-busy]').forEach(f => f.addEventListener('submit', () => {
  const note = document.createElement('p');
  note.className = 'notice busy';
  note.setAttribute('role', 'status');
  note.textContent = f.dataset.busy;
  f.appendChild(note);
  setTimeout(() => f.querySelectorAll('button[type=submit]').forEach(b => { b.disabled = true; }), 0);
}));
