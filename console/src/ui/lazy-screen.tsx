/**
 * A screen whose code is fetched when it is first opened (esbuild splits it into its own chunk),
 * so what only one screen needs, such as the telemetry charts' uPlot, stays out of the first load.
 */
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorText, Loading, Notice } from './notice.js';

type ScreenProps = { params: Record<string, string> };

export function lazyScreen(load: () => Promise<FunctionComponent<ScreenProps>>): FunctionComponent<ScreenProps> {
  let loaded: FunctionComponent<ScreenProps> | undefined;
  return function LazyScreen(props: ScreenProps) {
    const [screen, setScreen] = useState(() => loaded);
    const [failed, setFailed] = useState<unknown>();
    useEffect(() => {
      if (screen) return;
      load().then(
        (component) => {
          loaded = component;
          setScreen(() => component);
        },
        (error: unknown) => setFailed(error),
      );
    }, [screen]);
    if (failed) return <Notice kind="error">{`This screen could not be loaded: ${errorText(failed)}`}</Notice>;
    const Screen = screen;
    return Screen ? <Screen {...props} /> : <Loading what="this screen" />;
  };
}
