/** The shell: configuration, sign-in, who the caller is, navigation, and the screen the URL names. */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { Api, type WhoAmI } from './api.js';
import { signOut as forgetTokens, storedTokens } from './auth.js';
import { type ConsoleConfig, loadConfig } from './config.js';
import { Link, matchPath, useLocation } from './router.js';
import { SCREENS } from './routes.js';
import { SignInScreen } from './screens/sign-in.js';
import { type Session, SessionContext, useSession } from './session.js';
import { Button } from './ui/form.js';
import { errorText, Loading, Notice } from './ui/notice.js';
import { Page } from './ui/page.js';

export function App() {
  const [config, setConfig] = useState<ConsoleConfig>();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    loadConfig().then(setConfig, (e: unknown) => setFailure(errorText(e)));
  }, []);
  if (failure) return <Notice kind="error">The console cannot start: {failure}</Notice>;
  if (!config) return <Loading what="the console" />;
  return <Signed config={config} />;
}

function Signed(props: { config: ConsoleConfig }) {
  const [signedIn, setSignedIn] = useState(() => storedTokens() !== undefined);
  const [me, setMe] = useState<WhoAmI>();
  const [error, setError] = useState<string>();
  const signOut = useCallback(() => {
    forgetTokens();
    setMe(undefined);
    setSignedIn(false);
  }, []);
  const api = useMemo(() => new Api(props.config, signOut), [props.config, signOut]);
  useEffect(() => {
    if (!signedIn) return;
    setError(undefined);
    api.call('WhoAmI').then(setMe, (e: unknown) => setError(errorText(e)));
  }, [api, signedIn]);
  if (!signedIn) return <SignInScreen config={props.config} onSignedIn={() => setSignedIn(true)} />;
  if (error)
    return (
      <div class="sign-in">
        <Notice kind="error">{error}</Notice>
        <Button onClick={signOut}>Sign in again</Button>
      </div>
    );
  if (!me) return <Loading what="your account" />;
  return (
    <SessionContext.Provider value={{ config: props.config, api, me, signOut } satisfies Session}>
      <Shell />
    </SessionContext.Provider>
  );
}

function Shell() {
  const { path } = useLocation();
  const match = SCREENS.map((route) => ({ route, params: matchPath(route.pattern, path) })).find((m) => m.params !== undefined);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">OTA console</span>
        <nav aria-label="Main">
          <ul>
            {SCREENS.filter((s) => s.nav).map((s) => (
              <li key={s.pattern}>
                <Link to={s.pattern} aria-current={s.pattern === match?.route.pattern ? 'page' : undefined}>
                  {s.nav}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <Account />
      </header>
      <main id="main" tabIndex={-1}>
        {match ? (
          <match.route.screen params={match.params ?? {}} />
        ) : (
          <Page title="Not found">
            <p>
              No screen here. <Link to="/">Back to the apps</Link>
            </p>
          </Page>
        )}
      </main>
    </>
  );
}

function Account() {
  const { me, signOut } = useSession();
  return (
    <div class="account">
      <span>
        {me.username}
        <span class="muted"> ({me.kind === 'team' ? 'team user' : me.kind})</span>
      </span>
      <Button onClick={signOut}>Sign out</Button>
    </div>
  );
}
