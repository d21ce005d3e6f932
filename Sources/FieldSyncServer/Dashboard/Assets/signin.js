// Signing in: the page needs an editor's token. An admin makes a one-time code on the server; the
// page exchanges it for a token (`POST /v1/enroll`) and keeps the token in this browser.

import { html } from './format.js';

export function renderSignIn({ message = null, busy = false } = {}) {
  return html`
    <div class="signin">
      <h1>Sign in to follow election night</h1>
      <p>This dashboard shows the live tallies, flags and incidents of the election's polling stations, as reporters sync them.
        It needs an editor's enrollment code, once per browser.</p>
      <form id="signin-form" novalidate>
        <label for="signin-code">Enrollment code</label>
        <input id="signin-code" name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false"
          placeholder="K7QF-2M9X-4RTA-8HCV" required ${busy ? html`disabled` : ''} aria-describedby="signin-help${message ? ' signin-message' : ''}">
        <button type="submit" ${busy ? html`disabled` : ''}>${busy ? 'Signing in…' : 'Sign in'}</button>
        ${message ? html`<p id="signin-message" class="problem" role="alert">${message}</p>` : ''}
      </form>
      <div id="signin-help" class="help">
        <p>No code? Ask whoever runs the FieldSync server to make one for the newsroom:</p>
        <pre><code>fieldsync admin enroll --role editor --name Newsroom</code></pre>
        <p>A code works once and expires after a day. The sign-in it gives stays in this browser until you sign out,
          or until it expires (after a day, unless the server says otherwise); then sign in with a new code.</p>
      </div>
    </div>`;
}
