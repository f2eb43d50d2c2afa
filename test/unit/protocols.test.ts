import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { parse } from 'yaml';
import { blockmapPackage, isCompanion, requireDeltaFrom } from '../../shared/domain/packages.js';
import { parseElectronFeedName, renderElectronFeed } from '../../shared/protocols/electron.js';
import { objectFileName, servedFileName } from '../../shared/protocols/file-names.js';
import { renderAppcast, SPARKLE_NAMESPACE } from '../../shared/protocols/sparkle.js';
import { renderSquirrelMac } from '../../shared/protocols/squirrel-mac.js';
import { renderReleases } from '../../shared/protocols/squirrel-windows.js';
import { renderTauriUpdate } from '../../shared/protocols/tauri.js';
import { renderTauriStatic } from '../../shared/protocols/tauri-static.js';
import { parseVelopackPackageName, renderVelopackFeed, velopackPackageName, velopackTarget } from '../../shared/protocols/velopack.js';
import { type ExpatReading, loadAsElectronUpdater, parseWithExpat, readAppcastAsSparkle } from '../support/client-parsers.js';

/**
 * Every code point of the Basic Multilingual Plane, in chunks, each character after a letter so
 * that no two surrogates form a pair (each one stays a lone surrogate), plus a pair, a `]]>` and
 * the ANSI colour code a CI changelog carries.
 */
function bmpChunks(size = 4096): { text: string; codePoints: number[] }[] {
  const chunks: { text: string; codePoints: number[] }[] = [];
  for (let start = 0; start <= 0xffff; start += size) {
    const codePoints: number[] = [];
    for (let cp = start; cp < start + size; cp++) codePoints.push(0x78, cp);
    codePoints.push(0x1f680, 0x5d, 0x5d, 0x3e, 0x1b, 0x5b, 0x33, 0x31, 0x6d);
    chunks.push({ text: codePoints.map((cp) => (cp > 0xffff ? String.fromCodePoint(cp) : String.fromCharCode(cp))).join(''), codePoints });
  }
  return chunks;
}

const isSurrogate = (cp: number): boolean => cp >= 0xd800 && cp <= 0xdfff;
/** XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; a CR reads back as LF. */
const xmlExpected = (codePoints: number[]): string =>
  codePoints
    .filter(
      (cp) => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000,
    )
    .map((cp) => (cp === 0xd ? '\n' : String.fromCodePoint(cp)))
    .join('');
/** YAML: everything but the noncharacters U+FFFE, U+FFFF and lone surrogates. */
const yamlExpected = (codePoints: number[]): string =>
  codePoints
    .filter((cp) => cp !== 0xfffe && cp !== 0xffff && !isSurrogate(cp))
    .map((cp) => String.fromCodePoint(cp))
    .join('');
/** JSON for strict parsers: everything but lone surrogates. */
const jsonExpected = (codePoints: number[]): string =>
  codePoints
    .filter((cp) => !isSurrogate(cp))
    .map((cp) => String.fromCodePoint(cp))
    .join('');

describe('every feed is a valid document whatever the stored text holds (every BMP code point)', () => {
  const chunks = bmpChunks();

  it('Sparkle: expat accepts the appcast and reads back the notes and title minus what XML 1.0 cannot carry', () => {
    const docs = chunks.map(({ text }) =>
      renderAppcast(text, [{ version: '1.0.0', pubDate: '2026-03-13T12:00:00.000Z', notes: text, url: 'https://u/a.zip', length: 1 }]),
    );
    const readings = parseWithExpat(docs);
    readings.forEach((reading, i) => {
      assert.equal(typeof reading, 'object', `chunk ${i}: expat refused the appcast: ${String(reading)}`);
      const { text, cdata } = reading as ExpatReading;
      const expected = xmlExpected((chunks[i] as { codePoints: number[] }).codePoints);
      assert.equal(cdata.description?.[0], expected, `chunk ${i}: notes`);
      assert.equal(text.title?.[0], expected, `chunk ${i}: channel title`);
    });
  });

  it('electron-updater: its own js-yaml reads back the notes minus U+FFFE, U+FFFF and lone surrogates', () => {
    for (const [i, { text, codePoints }] of chunks.entries()) {
      const yml = renderElectronFeed({ version: '1.0.0', releaseDate: '2026-03-13T12:00:00.000Z', notes: text, files: [] });
      const doc = loadAsElectronUpdater(yml) as { releaseNotes: string };
      assert.equal(doc.releaseNotes, yamlExpected(codePoints), `chunk ${i}`);
    }
  });

  it('JSON feeds (Tauri, Squirrel.Mac, Velopack) carry everything but lone surrogates, which strict parsers refuse', () => {
    const file = { artifactId: 'a', package: 'app', key: 'k', size: 1, sha256: 's', sha512: 's' };
    for (const [i, { text, codePoints }] of chunks.entries()) {
      const expected = jsonExpected(codePoints);
      const documents = [
        renderTauriUpdate({ id: 'r', version: '1.0.0', pubDate: 'd', notes: text, files: [file] }, file, 'u').notes,
        renderTauriStatic({ version: '1.0.0', notes: text, pubDate: 'd', platforms: {} }).notes,
        renderSquirrelMac({ version: '1.0.0', notes: text, pubDate: 'd', url: 'u' }).notes,
        renderVelopackFeed([
          { PackageId: 'a', Version: '1.0.0', Type: 'Full', FileName: 'f', SHA1: 's', SHA256: 's', Size: 1, NotesMarkdown: text },
        ]).Assets[0]?.NotesMarkdown,
      ].map((notes) => JSON.stringify({ notes }));
      for (const json of documents) {
        // serde_json and System.Text.Json refuse a `\ud800` escape that is not half of a pair.
        assert.doesNotMatch(json, /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i, `chunk ${i}`);
        assert.equal(JSON.parse(json).notes, expected, `chunk ${i}`);
      }
    }
  });
});

describe('electron-updater feeds', () => {
  it('names the files the generic provider requests', () => {
    assert.deepEqual(parseElectronFeedName('latest.yml'), { channel: 'latest', os: 'windows' });
    assert.deepEqual(parseElectronFeedName('beta-mac.yml'), { channel: 'beta', os: 'mac' });
    assert.deepEqual(parseElectronFeedName('latest-linux.yml'), { channel: 'latest', os: 'linux', linuxArch: 'x64' });
    assert.deepEqual(parseElectronFeedName('latest-linux-arm64.yml'), { channel: 'latest', os: 'linux', linuxArch: 'arm64' });
    assert.deepEqual(parseElectronFeedName('my-beta-mac.yml'), { channel: 'my-beta', os: 'mac' });
    for (const bad of ['latest.yaml', 'latest-mac.json', '../latest.yml', '.yml', 'latest-win.yml-x'])
      assert.equal(parseElectronFeedName(bad), undefined, bad);
  });

  it('renders what electron-builder writes, parsed back by a YAML parser', () => {
    const text = renderElectronFeed({
      version: '1.2.0',
      releaseDate: '2026-03-13T12:00:00.000Z',
      notes: 'Fixes\n- one',
      stagingPercentage: 20,
      files: [
        { url: 'https://u.example/a-arm64.zip', sha512: 'c2hhNTEy', size: 10 },
        { url: 'https://u.example/a-x64.zip', sha512: 'b3RoZXI=', size: 11 },
      ],
    });
    const doc = parse(text);
    assert.deepEqual(doc, {
      version: '1.2.0',
      files: [
        { url: 'https://u.example/a-arm64.zip', sha512: 'c2hhNTEy', size: 10 },
        { url: 'https://u.example/a-x64.zip', sha512: 'b3RoZXI=', size: 11 },
      ],
      path: 'https://u.example/a-arm64.zip',
      sha512: 'c2hhNTEy',
      releaseDate: '2026-03-13T12:00:00.000Z',
      releaseNotes: 'Fixes\n- one',
      stagingPercentage: 20,
    });
    assert.equal(typeof doc.version, 'string', 'a version like 1.10 must stay a string, not become a number');
    assert.equal(parse(renderElectronFeed({ version: '1.10', releaseDate: 'x', files: [] })).version, '1.10');
  });
});

describe('Sparkle appcast', () => {
  it('renders RSS 2.0 items with the sparkle namespace, parsed back by an XML parser', () => {
    const xml = renderAppcast('my-app', [
      {
        version: '2.0.0',
        pubDate: '2026-03-13T12:00:00.000Z',
        notes: '<b>New</b> & better',
        critical: true,
        url: 'https://u/a.zip',
        length: 42,
        edSignature: 'ZWQ=',
      },
      { version: '1.9.0', pubDate: '2026-02-01T00:00:00.000Z', url: 'https://u/b.zip', length: 7 },
    ]);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml);
    assert.equal(doc.rss['@version'], '2.0');
    assert.equal(doc.rss['@xmlns:sparkle'], SPARKLE_NAMESPACE);
    const [first, second] = doc.rss.channel.item;
    assert.equal(String(first['sparkle:version']), '2.0.0');
    assert.equal(first.pubDate, 'Fri, 13 Mar 2026 12:00:00 GMT', 'RFC 822');
    assert.equal(first.description, '<b>New</b> & better', 'notes travel as CDATA, unescaped');
    assert.ok('sparkle:criticalUpdate' in first);
    assert.deepEqual(first.enclosure, {
      '@url': 'https://u/a.zip',
      '@length': '42',
      '@type': 'application/octet-stream',
      '@sparkle:edSignature': 'ZWQ=',
    });
    assert.ok(!('sparkle:criticalUpdate' in second));
    const skipping = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(
      renderAppcast('a', [{ version: '3.0.0', pubDate: '2026-03-13T12:00:00.000Z', criticalBelow: '2.5.0', url: 'u', length: 1 }]),
    ).rss.channel.item;
    assert.equal(skipping['sparkle:criticalUpdate']['@sparkle:version'], '2.5.0', 'critical for clients below a skipped critical release');
    const phased = new XMLParser().parse(
      renderAppcast('a', [{ version: '3.1.0', pubDate: '2026-03-13T12:00:00.000Z', phasedRolloutInterval: 86400, url: 'u', length: 1 }]),
    ).rss.channel.item;
    assert.equal(phased['sparkle:phasedRolloutInterval'], 86400);
    assert.equal(second.enclosure['@sparkle:edSignature'], undefined);
  });

  it("lists an item's delta archives inside <sparkle:deltas>, which Sparkle keys by sparkle:deltaFrom", () => {
    const ed = `${'A'.repeat(86)}==`;
    const xml = renderAppcast('my-app', [
      {
        version: '1.2.0',
        pubDate: '2026-03-13T12:00:00.000Z',
        url: 'https://u/full.zip',
        length: 900,
        edSignature: ed,
        deltas: [
          { from: '1.1.0', url: 'https://u/from-1.1.0.delta', length: 40, edSignature: ed },
          { from: '1.0.0', url: 'https://u/from-1.0.0.delta', length: 70 },
        ],
      },
      { version: '1.1.0', pubDate: '2026-02-01T00:00:00.000Z', url: 'https://u/old.zip', length: 800 },
    ]);
    const [reading] = parseWithExpat([xml]);
    assert.equal(typeof reading, 'object', `expat refused the appcast: ${String(reading)}`);
    const [latest, previous] = readAppcastAsSparkle(xml);
    assert.equal(latest?.fileURL, 'https://u/full.zip', "the full archive stays the item's enclosure");
    assert.deepEqual(Object.keys(latest?.deltaUpdates ?? {}).sort(), ['1.0.0', '1.1.0']);
    assert.deepEqual(latest?.deltaUpdates['1.1.0'], {
      version: '1.2.0',
      fileURL: 'https://u/from-1.1.0.delta',
      contentLength: 40,
      edSignature: ed,
      deltaUpdates: {},
    });
    assert.equal(latest?.deltaUpdates['1.0.0']?.edSignature, undefined);
    assert.deepEqual(previous?.deltaUpdates, {});
    assert.ok(!xml.includes('<sparkle:deltas/>') && xml.match(/<sparkle:deltas>/g)?.length === 1, 'no deltas element without deltas');
  });
});

describe('Squirrel.Mac and Tauri static', () => {
  it('render the fields each client reads', () => {
    assert.deepEqual(renderSquirrelMac({ version: '1.2.0', pubDate: 'd', url: 'u' }), {
      url: 'u',
      name: '1.2.0',
      notes: '',
      pub_date: 'd',
    });
    assert.deepEqual(renderTauriStatic({ version: '1.0.0', pubDate: 'd', platforms: { 'linux-x86_64': { url: 'u', signature: 's' } } }), {
      version: '1.0.0',
      notes: '',
      pub_date: 'd',
      platforms: { 'linux-x86_64': { url: 'u', signature: 's' } },
    });
  });
});

describe('Squirrel.Windows RELEASES', () => {
  it("writes one `SHA1 url size` line per package, each matching Squirrel's entry pattern", () => {
    const text = renderReleases([
      { sha1: 'a'.repeat(40), url: 'https://u.example/files/R/A/myapp-1.0.0-full.nupkg', size: 10 },
      { sha1: 'B'.repeat(40), url: 'https://u.example/files/R/B/myapp-1.1.0-full.nupkg', size: 11 },
    ]);
    const lines = text.split('\n');
    assert.equal(lines.length, 2);
    // Squirrel.Windows ReleaseEntry: ^([0-9a-fA-F]{40})\s+(\S+)\s+(\d+)[\r]*$
    for (const line of lines) assert.match(line, /^([0-9a-fA-F]{40})\s+(\S+)\s+(\d+)\r*$/);
    assert.equal(lines[0], `${'A'.repeat(40)} https://u.example/files/R/A/myapp-1.0.0-full.nupkg 10`);
  });
});

describe('Velopack', () => {
  it('maps its channel names to platforms and arches, and names full packages', () => {
    assert.deepEqual(velopackTarget('win'), { platform: 'windows', arch: 'x86_64' });
    assert.deepEqual(velopackTarget('osx'), { platform: 'darwin', arch: 'aarch64' });
    assert.deepEqual(velopackTarget('osx-x64'), { platform: 'darwin', arch: 'x86_64' });
    assert.deepEqual(velopackTarget('linux-arm64'), { platform: 'linux', arch: 'aarch64' });
    assert.equal(velopackTarget('beos'), undefined);
    assert.equal(velopackPackageName('my-app', '1.2.0-beta.1', 'osx-arm64'), 'my-app-1.2.0-beta.1-osx-arm64-full.nupkg');
    assert.deepEqual(parseVelopackPackageName('my-app', 'my-app-1.2.0-beta.1-osx-arm64-full.nupkg'), {
      version: '1.2.0-beta.1',
      channel: 'osx-arm64',
      type: 'Full',
    });
    assert.deepEqual(parseVelopackPackageName('my-app', 'my-app-1.2.0-1-win-full.nupkg'), {
      version: '1.2.0-1',
      channel: 'win',
      type: 'Full',
    });
    assert.equal(parseVelopackPackageName('my-app', 'other-1.2.0-win-full.nupkg'), undefined);
    assert.equal(parseVelopackPackageName('my-app', 'my-app-1.2.0-full.nupkg'), undefined);
  });

  it('names delta packages as vpk does (`-delta.nupkg`, which the client cleans up by) and reads them back', () => {
    assert.equal(velopackPackageName('my-app', '1.3.0', 'win', 'Delta'), 'my-app-1.3.0-win-delta.nupkg');
    assert.deepEqual(parseVelopackPackageName('my-app', 'my-app-1.3.0-win-delta.nupkg'), {
      version: '1.3.0',
      channel: 'win',
      type: 'Delta',
    });
    assert.equal(parseVelopackPackageName('my-app', 'my-app-1.3.0-win-patch.nupkg'), undefined);
  });
});

describe('served file names of differential files', () => {
  it("an installer's blockmap is its name + .blockmap; deltas name the version they apply to", () => {
    const exe = servedFileName('my-app', '1.2.0', 'windows', 'x86_64', 'nsis');
    assert.equal(exe, 'my-app-1.2.0-windows-x64.exe');
    assert.equal(servedFileName('my-app', '1.2.0', 'windows', 'x86_64', 'nsis.blockmap'), `${exe}.blockmap`);
    assert.equal(servedFileName('my-app', '1.2.0', 'darwin', 'aarch64', 'zip.blockmap'), 'my-app-1.2.0-darwin-arm64.zip.blockmap');
    // Sparkle picks its binary-delta unarchiver by the `.delta` extension.
    assert.equal(servedFileName('my-app', '1.2.0', 'darwin', 'aarch64', 'delta', '1.1.0'), 'my-app-1.2.0-darwin-arm64-from-1.1.0.delta');
    assert.equal(servedFileName('my-app', '1.2.0', 'windows', 'x86_64', 'delta.nupkg', '1.1.0'), 'myapp-1.2.0-delta.nupkg');
  });

  it('a verified object names itself with the extension clients pick their unarchiver by', () => {
    assert.equal(objectFileName('my-app', '1.2.0', 'app'), 'my-app-1.2.0.app.tar.gz');
    assert.equal(objectFileName('my-app', '1.2.0', 'delta', '1.1.0'), 'my-app-1.2.0-from-1.1.0.delta');
    assert.equal(
      objectFileName('My App "x"', '1.2.0+b7', 'nsis.blockmap'),
      'My_App__x_-1.2.0+b7.exe.blockmap',
      'nothing a header quote breaks on',
    );
  });
});

describe('differential packages', () => {
  it('a delta names the version it applies to, nothing else does; a blockmap belongs to an installer package', () => {
    assert.ok(isCompanion('nsis.blockmap') && isCompanion('delta') && isCompanion('delta.nupkg'));
    assert.ok(!isCompanion('nsis') && !isCompanion('.blockmap') && !isCompanion('nupkg'));
    assert.equal(blockmapPackage('zip'), 'zip.blockmap');
    assert.doesNotThrow(() => requireDeltaFrom('delta', '1.0.0'));
    assert.throws(() => requireDeltaFrom('delta.nupkg', undefined), /delta_from/);
    assert.throws(() => requireDeltaFrom('zip', '1.0.0'), /delta_from is for delta packages/);
    assert.throws(() => requireDeltaFrom('NSIS!.blockmap', undefined), /package/);
  });
});
