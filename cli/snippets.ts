import { CLIENT_SNIPPETS, renderClientSnippet, type SnippetApp, type SnippetName } from '../shared/protocols/client-snippets.js';
import { CliError, EXIT } from './errors.js';

/**
 * Client snippets for `ota config <client>`: the builders shared with the web console
 * (shared/protocols/client-snippets.ts), whose texts are the docs' own blocks.
 */
export { CLIENT_SNIPPETS, type SnippetName };

/** The snippet filled in for an app; a usage error when the client needs a slug the app lacks. */
export function renderSnippet(name: SnippetName, app: SnippetApp): string {
  if (CLIENT_SNIPPETS[name].needsSlug && !app.slug)
    throw new CliError('The app has no slug: clients address it by slug', EXIT.usage, 'give it one: ota apps slug <app> <slug>');
  return renderClientSnippet(name, app);
}
