/** Sign-in with the stack's user pool (owners and team users alike), and the new password Cognito may ask for. */
import { useState } from 'preact/hooks';
import { type NewPasswordChallenge, setNewPassword, signIn } from '../auth.js';
import type { ConsoleConfig } from '../config.js';
import { Button, Field } from '../ui/form.js';
import { errorText, Notice } from '../ui/notice.js';
import { Page } from '../ui/page.js';

export function SignInScreen(props: { config: ConsoleConfig; onSignedIn: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<NewPasswordChallenge>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (challenge) {
        await setNewPassword(props.config, challenge, password);
        props.onSignedIn();
        return;
      }
      const result = await signIn(props.config, username.trim(), password);
      if ('challenge' in result) {
        setChallenge(result);
        setPassword('');
      } else props.onSignedIn();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="sign-in">
      <Page title={challenge ? 'Choose a new password' : 'Sign in'}>
        <form onSubmit={submit}>
          {challenge ? (
            <p>This is the first sign-in of {challenge.username}: choose a password of your own.</p>
          ) : (
            <Field
              label="User name"
              autocomplete="username"
              required
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          )}
          <Field
            label={challenge ? 'New password' : 'Password'}
            type="password"
            autocomplete={challenge ? 'new-password' : 'current-password'}
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" variant="primary" busy={busy}>
            {challenge ? 'Set password and sign in' : 'Sign in'}
          </Button>
          {error ? <Notice kind="error">{error}</Notice> : null}
        </form>
      </Page>
    </div>
  );
}
