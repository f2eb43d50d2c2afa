import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { releaseChannelNames, servedRows } from '../shared/domain/serving.js';
import { type AnswerOf, ApiClient } from './api.js';
import { checkSha512, describeFile, readBuildFolder } from './build-folder.js';
import { forgetLogin, readLogin, saveLogin, sessionExpiry, signedInClient } from './config.js';
import { CliError, EXIT } from './errors.js';
import { humanBytes, Progress } from './progress.js';
import { CLIENT_SNIPPETS, renderSnippet, type SnippetName } from './snippets.js';
import { type UploadResult, type UploadSettings, uploadArtifact } from './upload.js';

/**
 * `ota`: the release manager's command line (docs/cli.md). Every call goes through the route
 * table's own operations (cli/api.ts); output is text for people or `--json` for scripts.
 */

const USAGE = `Usage: ota <command> [options]

  login --url <ApiUrl> --username <name> [--password <pw> | --password-stdin]
  logout | whoami
  apps [list] | apps create <name> [--slug <slug>] [--pubkey-file <key.pub>] | apps slug <app> <slug>
  channels [list] | channels create <name>
  release create --app <app> --version <x.y.z> [--channel <c>] [--notes <text>] | release list --app <app>
  upload <file>... --app <app> --release <version|id> [--target <os> --arch <arch> --package <type>]
         [--delta-from <version>] [--ed-signature <base64>]
  publish --app <app> --release <version|id>
  publish <build folder> --app <app> [--channel <c>] [--version <x.y.z>] [--arch <arch>]
  yank | halt --app <app> --release <version|id>
  rollout <percent> --app <app> --release <version|id>
  promote --app <app> --release <version|id> --to <channel>
  rollback --app <app> --channel <c> --to <version>
  pins [list] --app <app> | pins add <device-id> --app <app> [--channel <c>] [--version <x.y.z>] [--note <text>]
  pins remove <pin-id|device-id> --app <app>
  status --app <app>
  tokens [list] | tokens create <name> --app <app> [--actions read,upload] | tokens revoke <id>
  webhooks [list] --app <app> | webhooks add <url> --app <app> [--events e1,e2] [--format json|slack]
  webhooks remove <id> --app <app> | webhooks deliveries <id> --app <app>
  config tauri|electron|sparkle|velopack --app <app> [--channel <c>]

Options: --json (machine-readable output), --url (server; else OTA_URL or the login's),
  --wait <seconds> (verification wait, default 300; 0: do not wait), --concurrency <n> (parts at once, 4),
  --multipart-from <bytes> (default 64M), --limit-rate <bytes/s, e.g. 10M>.
Environment: OTA_TOKEN + OTA_URL (an API token, for CI), OTA_APP (default --app), XDG_CONFIG_HOME.
Exit codes: 0 ok, 1 unexpected, 2 usage, 3 auth, 4 not found, 5 conflict, 6 refused by verification,
  7 verification timeout, 8 server unreachable, 130 interrupted (run again to resume).`;

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  url: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  app: { type: 'string' },
  release: { type: 'string' },
  to: { type: 'string' },
  version: { type: 'string' },
  channel: { type: 'string' },
  notes: { type: 'string' },
  note: { type: 'string' },
  slug: { type: 'string' },
  'pubkey-file': { type: 'string' },
  target: { type: 'string' },
  arch: { type: 'string' },
  package: { type: 'string' },
  'delta-from': { type: 'string' },
  'ed-signature': { type: 'string' },
  actions: { type: 'string' },
  events: { type: 'string' },
  format: { type: 'string' },
  wait: { type: 'string' },
  concurrency: { type: 'string' },
  'multipart-from': { type: 'string' },
  'limit-rate': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];
type App = AnswerOf<'CreateApp'>;
type Release = AnswerOf<'GetRelease'>;

let json = false;

function usage(message: string): CliError {
  return new CliError(message, EXIT.usage, 'see ota --help');
}

/** Prints a result: JSON for scripts, the text for people. */
function output(data: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

/** Reads a byte count: 1048576, 512K, 10M, 1G. */
function bytesOf(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(text);
  if (!match) throw usage(`${what} must be a number of bytes, optionally with K, M or G`);
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(match[2] ?? '').toUpperCase()] ?? 1;
  return Math.round(Number(match[1]) * unit);
}

function numberOf(text: string | undefined, what: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw usage(`${what} must be a number`);
  return value;
}

/** An app by id, slug or name (`--app`, else OTA_APP). */
async function findApp(client: ApiClient, values: Values): Promise<App> {
  const wanted = values.app || process.env.OTA_APP;
  if (!wanted) throw usage('Which app? Pass --app <id, slug or name> (or set OTA_APP)');
  const { apps } = await client.call('ListApps');
  const app = apps.find((a) => a.id === wanted) ?? apps.find((a) => a.slug === wanted) ?? apps.find((a) => a.name === wanted);
  if (!app)
    throw new CliError(`No app "${wanted}" in this account`, EXIT.notFound, 'list them with ota apps, or create it with ota apps create');
  return app;
}

async function allReleases(client: ApiClient, appId: string, query: Record<string, string> = {}): Promise<Release[]> {
  const releases: Release[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.call('ListReleases', { params: { app_id: appId }, query: { ...query, limit: '1000', cursor } });
    releases.push(...page.releases);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return releases;
}

/** A release by version or id (`--release`). */
async function findRelease(client: ApiClient, app: App, values: Values): Promise<Release> {
  const wanted = values.release ?? values.version;
  if (!wanted) throw usage('Which release? Pass --release <version or id>');
  const releases = await allReleases(client, app.id);
  const release = releases.find((r) => r.id === wanted) ?? releases.find((r) => r.version === wanted || r.version.split('+')[0] === wanted);
  if (!release)
    throw new CliError(
      `${app.name} has no release ${wanted}`,
      EXIT.notFound,
      `create it: ota release create --app ${app.slug ?? app.id} --version ${wanted}`,
    );
  return release;
}

function uploadSettings(client: ApiClient, app: App, release: Release, values: Values, progress: Progress): UploadSettings {
  return {
    client,
    appId: app.id,
    releaseId: release.id,
    multipartFrom: bytesOf(values['multipart-from'] ?? '64M', '--multipart-from'),
    concurrency: Math.max(1, numberOf(values.concurrency, '--concurrency', 4)),
    limitRate: values['limit-rate'] ? bytesOf(values['limit-rate'], '--limit-rate') : 0,
    waitMs: numberOf(values.wait, '--wait', 300) * 1000,
    progress,
  };
}

function describeUpload(result: UploadResult): string {
  const speed = result.seconds > 0 ? `${humanBytes(result.sent_bytes / result.seconds)}/s` : '';
  const how =
    result.mode === 'multipart' ? `${result.parts} parts${result.resumed_parts ? `, ${result.resumed_parts} resumed` : ''}` : 'one PUT';
  const verdict =
    result.status === 'ready'
      ? 'verified'
      : result.status === 'pending'
        ? 'uploaded, verification pending'
        : `${result.status}: ${result.reason}`;
  return `${result.file}: ${humanBytes(result.bytes)} as ${result.target}/${result.arch}/${result.package} (${how}) in ${result.seconds.toFixed(1)} s ${speed}; ${verdict}`;
}

/** Throws exit 6 when the server refused a file. */
function refusedCheck(results: UploadResult[]): void {
  const refused = results.filter((r) => r.status === 'rejected' || r.status === 'failed');
  if (refused.length > 0) {
    throw new CliError(
      `The server refused ${refused.map((r) => `${r.file} (${r.reason})`).join(', ')}`,
      EXIT.rejected,
      'check the signature (.sig of this file, signed with the key registered as tauri_pubkey) and the version, rebuild and upload again',
    );
  }
}

async function login(values: Values): Promise<void> {
  const url = (values.url || process.env.OTA_URL || readLogin()?.url)?.replace(/\/+$/, '');
  if (!url) throw usage('Which server? Pass --url <ApiUrl>');
  const username = values.username ?? process.env.OTA_USERNAME;
  if (!username) throw usage('Pass --username <name> (or set OTA_USERNAME)');
  const password = values['password-stdin'] ? await readStdin() : (values.password ?? process.env.OTA_PASSWORD);
  if (!password) throw usage('Pass --password-stdin (or --password, or set OTA_PASSWORD)');
  const session = await new ApiClient(url, undefined).call('CreateSession', { body: { username, password } });
  const token = session.access_token;
  const expires = sessionExpiry(session);
  // The refresh token renews the session when the access token expires (60 minutes), until it expires itself.
  const file = saveLogin({
    url,
    username,
    token,
    expires_at: expires,
    ...(session.refresh_token ? { refresh_token: session.refresh_token } : {}),
  });
  output(
    { url, username, expires_at: expires, config: file },
    () => `Signed in to ${url} as ${username}${expires ? ` until ${expires}` : ''} (saved in ${file}, mode 0600)`,
  );
}

async function apps(client: ApiClient, sub: string | undefined, args: string[], values: Values): Promise<void> {
  if (sub === 'create') {
    const name = args[0];
    if (!name) throw usage('ota apps create <name>');
    let app = await client.call('CreateApp', { body: { name } });
    if (values.slug) app = await client.call('SetSlug', { params: { app_id: app.id }, body: { slug: values.slug } });
    if (values['pubkey-file']) {
      const key = readFileSync(values['pubkey-file'], 'utf8').trim();
      app = await client.call('UpdateApp', { params: { app_id: app.id }, body: { tauri_pubkey: key } });
    }
    output(app, () => `Created ${app.name}: id ${app.id}${app.slug ? `, slug ${app.slug}` : ''}`);
    return;
  }
  if (sub === 'slug') {
    const [wanted, slug] = args;
    if (!wanted || !slug) throw usage('ota apps slug <app> <slug>');
    const app = await findApp(client, { ...values, app: wanted });
    const updated = await client.call('SetSlug', { params: { app_id: app.id }, body: { slug } });
    output(updated, () => `${updated.name} is now ${updated.slug}`);
    return;
  }
  if (sub && sub !== 'list') throw usage(`Unknown: ota apps ${sub}`);
  const { apps: list } = await client.call('ListApps');
  output({ apps: list }, () =>
    list.length === 0
      ? 'No apps yet: ota apps create <name>'
      : table([['ID', 'NAME', 'SLUG', 'DEFAULT CHANNEL'], ...list.map((a) => [a.id, a.name, a.slug ?? '-', a.default_channel])]),
  );
}

async function channels(client: ApiClient, sub: string | undefined, args: string[]): Promise<void> {
  if (sub === 'create') {
    const name = args[0];
    if (!name) throw usage('ota channels create <name>');
    const entry = await client.call('CreateChannel', { body: { name } });
    output(entry, () => `Created channel ${entry.name}`);
    return;
  }
  if (sub && sub !== 'list') throw usage(`Unknown: ota channels ${sub}`);
  const { items } = await client.call('ListChannels');
  output({ channels: items }, () =>
    table([['NAME', 'BUILT-IN', 'FOLLOWS'], ...items.map((c) => [c.name, c.builtin ? 'yes' : 'no', (c.follows ?? []).join(',') || '-'])]),
  );
}

async function release(client: ApiClient, sub: string | undefined, values: Values): Promise<void> {
  const app = await findApp(client, values);
  if (sub === 'create') {
    if (!values.version) throw usage('ota release create --app <app> --version <x.y.z>');
    const created = await client.call('CreateRelease', {
      params: { app_id: app.id },
      body: {
        version: values.version,
        ...(values.channel ? { channel: values.channel } : {}),
        ...(values.notes ? { notes: values.notes } : {}),
      },
    });
    output(
      created,
      () =>
        `Created ${app.name} ${created.version} on ${created.channel} (draft, id ${created.id}); next: ota upload <files> --app ${app.slug ?? app.id} --release ${created.version}`,
    );
    return;
  }
  if (sub !== 'list') throw usage('ota release create|list --app <app>');
  const list = await allReleases(client, app.id);
  output({ releases: list }, () =>
    table([
      ['VERSION', 'CHANNEL', 'STATUS', 'ROLLOUT', 'ARTIFACTS'],
      ...list.map((r) => [
        r.version,
        r.channel,
        r.scheduled ? 'scheduled' : r.status,
        `${r.rollout_percent}%`,
        r.artifacts.map((a) => `${a.target}/${a.arch}/${a.package}:${a.status}`).join(' '),
      ]),
    ]),
  );
}

async function upload(client: ApiClient, files: string[], values: Values): Promise<void> {
  if (files.length === 0) throw usage('ota upload <file>... --app <app> --release <version>');
  const app = await findApp(client, values);
  const rel = await findRelease(client, app, values);
  const told = {
    ...(values.target ? { target: values.target } : {}),
    ...(values.arch ? { arch: values.arch } : {}),
    ...(values.package ? { package: values.package } : {}),
    ...(values['delta-from'] ? { deltaFrom: values['delta-from'] } : {}),
  };
  const specs = files.map((file) => ({
    ...describeFile(file, told),
    ...(values['ed-signature'] ? { edSignature: values['ed-signature'] } : {}),
  }));
  const progress = new Progress(!json);
  const settings = uploadSettings(client, app, rel, values, progress);
  const results: UploadResult[] = [];
  for (const spec of specs) {
    const result = await uploadArtifact(spec, settings);
    results.push(result);
    if (!json) process.stderr.write(`${describeUpload(result)}\n`);
  }
  progress.stop();
  output(
    { app_id: app.id, release_id: rel.id, version: rel.version, uploads: results },
    () => `${results.length} file(s) uploaded to ${app.name} ${rel.version}`,
  );
  refusedCheck(results);
}

async function publishRelease(client: ApiClient, app: App, rel: Release): Promise<Release> {
  const published = await client.call('PublishRelease', { params: { app_id: app.id, release_id: rel.id }, body: {} });
  return published;
}

/** `ota publish <folder>`: the whole CI step, resumable by running it again. */
async function publishFolder(client: ApiClient, dir: string, values: Values): Promise<void> {
  const folder = readBuildFolder(dir, values.arch ? { arch: values.arch } : {});
  const version = values.version ?? folder.version;
  if (!version) throw usage(`Cannot tell the version from the files in ${dir}; pass --version <x.y.z>`);
  const app = await findApp(client, values);
  const existing = (await allReleases(client, app.id)).find((r) => r.version === version);
  if (existing && existing.status !== 'draft') {
    throw new CliError(`${app.name} ${version} is already ${existing.status}`, EXIT.conflict, 'bump the version and build again');
  }
  const rel =
    existing ??
    (await client.call('CreateRelease', {
      params: { app_id: app.id },
      body: { version, ...(values.channel ? { channel: values.channel } : {}), ...(values.notes ? { notes: values.notes } : {}) },
    }));
  const progress = new Progress(!json);
  const settings = uploadSettings(client, app, rel, values, progress);
  const results: UploadResult[] = [];
  for (const spec of folder.files) {
    if (spec.sha512) await checkSha512(spec.file, spec.sha512);
    // A re-run after an interruption keeps what is already verified.
    const done = rel.artifacts.find(
      (a) => a.status === 'ready' && a.target === spec.target && a.arch === spec.arch && a.package === spec.package,
    );
    if (done) {
      if (!json) process.stderr.write(`${spec.file}: already verified (${done.id})\n`);
      continue;
    }
    const result = await uploadArtifact(spec, settings);
    results.push(result);
    if (!json) process.stderr.write(`${describeUpload(result)}\n`);
  }
  progress.stop();
  refusedCheck(results);
  if (settings.waitMs === 0) {
    output(
      { release: rel, uploads: results, skipped: folder.skipped },
      () => `Uploaded; not published (--wait 0). Publish once verified: ota publish --app ${app.slug ?? app.id} --release ${version}`,
    );
    return;
  }
  const published = await publishRelease(client, app, rel);
  output({ kind: folder.kind, release: published, uploads: results, skipped: folder.skipped }, () =>
    [
      ...folder.skipped.map((s) => `skipped ${s.file}: ${s.why}`),
      `Published ${app.name} ${published.version} on ${published.channel} (${results.length} file(s) uploaded from a ${folder.kind} build)`,
    ].join('\n'),
  );
}

/** What each channel serves, per platform (shared/domain/serving.ts): everyone's version, rollouts on their way, halted releases. */
async function status(client: ApiClient, values: Values): Promise<void> {
  const app = await findApp(client, values);
  const [published, catalog] = await Promise.all([
    allReleases(client, app.id, { status: 'published' }).then((list) => list.filter((r) => !r.scheduled)),
    // An API token never reads the owner's catalogs: then the channels are those the releases name, without follow rules.
    client.call('ListChannels').catch((error: unknown) => {
      if (error instanceof CliError && error.status === 403) return undefined;
      throw error;
    }),
  ]);
  const channels = catalog?.items ?? releaseChannelNames(published).map((name) => ({ name }));
  const rows = servedRows(published, channels);
  const summary = { id: app.id, name: app.name, slug: app.slug, default_channel: app.default_channel };
  output({ app: summary, serves: rows, follow_rules: catalog !== undefined }, () => {
    if (rows.length === 0) return `${app.name} serves nothing yet: publish a release (ota publish)`;
    const text = table([
      ['CHANNEL', 'PLATFORM', 'ARCH', 'PACKAGE', 'EVERYONE', 'ROLLING OUT', 'HALTED'],
      ...rows.map((r) => [
        r.channel + (r.channel === app.default_channel ? ' (default)' : ''),
        r.target,
        r.arch,
        r.package,
        r.version === null ? '-' : `${r.version}${r.from ? ` (from ${r.from})` : ''}`,
        r.partial.map((p) => `${p.version} at ${p.percent}%`).join(', ') || '-',
        r.halted.join(', ') || '-',
      ]),
    ]);
    return catalog
      ? text
      : `${text}\n(this token cannot read the channel catalog: a channel that follows others shows its own releases only)`;
  });
}

async function tokens(client: ApiClient, sub: string | undefined, args: string[], values: Values): Promise<void> {
  if (sub === 'create') {
    const name = args[0];
    if (!name) throw usage('ota tokens create <name> --app <app>');
    const app = await findApp(client, values);
    const actions = values.actions?.split(',').map((a) => a.trim());
    const created = await client.call('CreateApiToken', {
      body: { name, apps: [app.id], ...(actions ? { actions: actions as never } : {}) },
    });
    output(
      created,
      () =>
        `${created.token}\n(shown once: store it as the OTA_TOKEN secret of your CI; it may ${created.actions.join(', ')} on ${app.name})`,
    );
    return;
  }
  if (sub === 'revoke') {
    const id = args[0];
    if (!id) throw usage('ota tokens revoke <id>');
    await client.call('RevokeApiToken', { params: { token_id: id } });
    output({ revoked: id }, () => `Revoked ${id}`);
    return;
  }
  if (sub && sub !== 'list') throw usage(`Unknown: ota tokens ${sub}`);
  const list = (await client.call('ListApiTokens')).tokens;
  output({ tokens: list }, () =>
    table([
      ['ID', 'NAME', 'PREFIX', 'ACTIONS', 'EXPIRES', 'LAST USED'],
      ...list.map((t) => [t.id, t.name, t.prefix, t.actions.join(','), t.expires_at ?? 'never', t.last_used_at ?? '-']),
    ]),
  );
}

/** Per-device pins (QA, support): list, add (a device id to a channel and/or a version), remove (by pin id or device id). */
async function pins(client: ApiClient, sub: string | undefined, args: string[], values: Values): Promise<void> {
  // The arguments first: a mistyped command costs no request.
  if (sub && !['add', 'remove', 'list'].includes(sub)) throw usage(`Unknown: ota pins ${sub}`);
  // A device id to pin; a pin id or device id to remove.
  const ref = args[0];
  if (sub === 'add' && (!ref || (!values.channel && !values.version)))
    throw usage('ota pins add <device-id> --app <app> [--channel <channel>] [--version <x.y.z>] (a channel, a version or both)');
  if (sub === 'remove' && !ref) throw usage('ota pins remove <pin-id|device-id> --app <app>');
  const app = await findApp(client, values);
  if (sub === 'add' && ref) {
    const pin = await client.call('CreateDevicePin', {
      params: { app_id: app.id },
      body: {
        device_id: ref,
        ...(values.channel ? { channel: values.channel } : {}),
        ...(values.version ? { version: values.version } : {}),
        ...(values.note ? { note: values.note } : {}),
      },
    });
    const to = [pin.channel && `channel ${pin.channel}`, pin.version && `version ${pin.version}`].filter(Boolean).join(', ');
    return output(pin, () => `Pinned ${pin.device_id} of ${app.name} to ${to} (pin ${pin.id}); its next check answers from the pin`);
  }
  const { pins: list, max_pins } = await client.call('ListDevicePins', { params: { app_id: app.id } });
  if (sub === 'remove' && ref) {
    const pin = list.find((p) => p.id === ref) ?? list.find((p) => p.device_id === ref);
    if (!pin) throw new CliError(`${app.name} has no pin ${ref}`, EXIT.notFound, `list them with ota pins --app ${app.name}`);
    await client.call('DeleteDevicePin', { params: { app_id: app.id, pin_id: pin.id } });
    return output({ removed: pin }, () => `Removed the pin of ${pin.device_id}: it gets what every device gets`);
  }
  output({ pins: list, max_pins }, () =>
    list.length === 0
      ? `${app.name} has no pins (at most ${max_pins})`
      : table([
          ['PIN', 'DEVICE', 'CHANNEL', 'VERSION', 'NOTE', 'CREATED'],
          ...list.map((p) => [p.id, p.device_id, p.channel ?? '-', p.version ?? '-', p.note ?? '', p.created_at]),
        ]),
  );
}

async function webhooks(client: ApiClient, sub: string | undefined, args: string[], values: Values): Promise<void> {
  // The arguments first: a mistyped command costs no request.
  if (sub && !['add', 'remove', 'deliveries', 'list'].includes(sub)) throw usage(`Unknown: ota webhooks ${sub}`);
  const arg = args[0];
  if (sub === 'add' && !arg) throw usage('ota webhooks add <url> --app <app> [--events e1,e2] [--format json|slack]');
  if (sub === 'remove' && !arg) throw usage('ota webhooks remove <id> --app <app>');
  if (sub === 'deliveries' && !arg) throw usage('ota webhooks deliveries <id> --app <app>');
  const app = await findApp(client, values);
  if (sub === 'add' && arg) {
    const url = arg;
    const events = values.events?.split(',').map((e) => e.trim());
    const created = await client.call('CreateWebhook', {
      params: { app_id: app.id },
      body: { url, ...(events ? { events: events as never } : {}), ...(values.format ? { format: values.format as never } : {}) },
    });
    output(
      created,
      () =>
        `${created.id}\nsecret: ${created.secret}\n(shown once: your receiver verifies X-OTA-Signature with it; events: ${created.events.join(', ')})`,
    );
    return;
  }
  if (sub === 'remove' && arg) {
    const id = arg;
    await client.call('DeleteWebhook', { params: { app_id: app.id, webhook_id: id } });
    output({ removed: id }, () => `Removed ${id}`);
    return;
  }
  if (sub === 'deliveries' && arg) {
    const { deliveries } = await client.call('ListWebhookDeliveries', { params: { app_id: app.id, webhook_id: arg } });
    output({ deliveries }, () =>
      deliveries.length === 0
        ? 'No deliveries yet'
        : table([
            ['AT', 'EVENT', 'ATTEMPT', 'STATUS', 'RESULT'],
            ...deliveries.map((d) => [
              d.at,
              d.event_type,
              String(d.attempt),
              d.status === null ? '-' : String(d.status),
              d.ok ? 'ok' : `${d.error ?? 'failed'}${d.retry_in_seconds !== null ? ` (retry in ${d.retry_in_seconds}s)` : ''}`,
            ]),
          ]),
    );
    return;
  }
  const list = (await client.call('ListWebhooks', { params: { app_id: app.id } })).webhooks;
  output({ webhooks: list }, () =>
    list.length === 0
      ? `${app.name} has no webhooks (ota webhooks add <url> --app ${app.name})`
      : table([
          ['ID', 'URL', 'FORMAT', 'EVENTS', 'SECRET'],
          ...list.map((w) => [w.id, w.url, w.format, w.events.join(','), w.secret_prefix]),
        ]),
  );
}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  json = values.json === true;
  const [command, sub, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === 'login') return login(values);
  if (command === 'logout') {
    const file = forgetLogin();
    return output({ removed: file }, () => `Removed ${file}`);
  }
  const client = await signedInClient(values.url);
  switch (command) {
    case 'whoami': {
      const me = await client.call('WhoAmI');
      return output(me, () => `${me.username} (${me.kind}) on ${client.baseUrl}`);
    }
    case 'apps':
      return apps(client, sub, rest, values);
    case 'channels':
      return channels(client, sub, rest);
    case 'release':
      return release(client, sub, values);
    case 'upload':
      return upload(client, positionals.slice(1), values);
    case 'publish': {
      if (sub) return publishFolder(client, sub, values);
      const app = await findApp(client, values);
      const published = await publishRelease(client, app, await findRelease(client, app, values));
      return output(published, () => `Published ${app.name} ${published.version} on ${published.channel}`);
    }
    case 'yank': {
      const app = await findApp(client, values);
      const rel = await findRelease(client, app, values);
      const yanked = await client.call('YankRelease', { params: { app_id: app.id, release_id: rel.id } });
      return output(yanked, () => `Yanked ${app.name} ${yanked.version}: clients fall back to the previous release`);
    }
    case 'promote': {
      if (!values.to) throw usage('ota promote --app <app> --release <version|id> --to <channel>');
      const app = await findApp(client, values);
      const rel = await findRelease(client, app, values);
      const promoted = await client.call('PromoteRelease', {
        params: { app_id: app.id, release_id: rel.id },
        body: { channel: values.to },
      });
      return output(
        promoted,
        () => `${app.name} ${promoted.version} is offered on ${[promoted.channel, ...promoted.promoted_to].join(', ')}`,
      );
    }
    case 'rollback': {
      if (!values.to || !values.channel) throw usage('ota rollback --app <app> --channel <channel> --to <version>');
      const app = await findApp(client, values);
      const done = await client.call('RollbackChannel', { params: { app_id: app.id, channel: values.channel }, body: { to: values.to } });
      const gone = [...done.yanked.map((r) => `${r.version} (yanked)`), ...done.withdrawn.map((r) => `${r.version} (promotion withdrawn)`)];
      return output(done, () =>
        gone.length === 0
          ? `${done.channel} already serves ${done.to.version}: nothing newer to take out`
          : `${done.channel} is back on ${done.to.version}: ${gone.join(', ')}`,
      );
    }
    case 'rollout':
    case 'halt': {
      const percent = command === 'halt' ? 0 : Number(sub);
      if (!Number.isInteger(percent) || percent < 0 || percent > 100)
        throw usage('ota rollout <percent 0-100> --app <app> --release <version>');
      const app = await findApp(client, values);
      const rel = await findRelease(client, app, values);
      const set = await client.call('SetRollout', { params: { app_id: app.id, release_id: rel.id }, body: { percent } });
      return output(set, () =>
        percent === 0
          ? `Halted ${app.name} ${set.version}: no new device gets it`
          : `${app.name} ${set.version} goes to ${percent}% of devices`,
      );
    }
    case 'pins':
      return pins(client, sub, rest, values);
    case 'status':
      return status(client, values);
    case 'tokens':
      return tokens(client, sub, rest, values);
    case 'webhooks':
      return webhooks(client, sub, rest, values);
    case 'config': {
      if (!sub || !(sub in CLIENT_SNIPPETS)) throw usage(`ota config ${Object.keys(CLIENT_SNIPPETS).join('|')} --app <app>`);
      const app = await findApp(client, values);
      const owner = sub === 'faynosync' ? ((await client.call('WhoAmI')).account_name ?? undefined) : undefined;
      const text = renderSnippet(sub as SnippetName, {
        apiUrl: client.baseUrl,
        id: app.id,
        name: app.name,
        slug: app.slug,
        tauriPubkey: app.tauri_pubkey,
        ...(owner ? { owner } : {}),
        ...(values.channel ? { channel: values.channel } : {}),
      });
      return output({ client: sub, snippet: text }, () => text);
    }
    default:
      throw usage(`Unknown command ${command}`);
  }
}

process.on('SIGINT', () => {
  process.stderr.write('\nInterrupted. Multipart uploads keep their state: run the same command again to resume.\n');
  process.exit(EXIT.interrupted);
});

try {
  await run(process.argv.slice(2));
} catch (error) {
  const known = error instanceof CliError ? error : undefined;
  const parseError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  const exit = known?.exitCode ?? (parseError ? EXIT.usage : EXIT.server);
  const message = error instanceof Error ? error.message : String(error);
  const hint = known?.hint ?? (parseError ? 'see ota --help' : undefined);
  if (json) process.stdout.write(`${JSON.stringify({ error: { message, hint: hint ?? null, exit_code: exit } })}\n`);
  else process.stderr.write(`error: ${message}${hint ? `\n  ${hint}` : ''}\n`);
  process.exitCode = exit;
}
