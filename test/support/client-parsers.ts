import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { XMLParser } from 'fast-xml-parser';

/** The parsers the stock clients read feeds with, or the closest ones this machine has. */

// electron-updater's own YAML parser: its Provider and AppUpdater call js-yaml's `load` on every feed file.
const require = createRequire(import.meta.url);
const updaterYaml = createRequire(require.resolve('electron-updater'))('js-yaml') as { load(text: string): unknown };

/** Reads a feed file as electron-updater does (throws where electron-updater would). */
export function loadAsElectronUpdater(text: string): unknown {
  return updaterYaml.load(text);
}

/** What expat read from one document: the text of each element by name, and the CDATA sections' text. */
export interface ExpatReading {
  /** Character data outside CDATA sections, per element name, one entry per element. */
  text: Record<string, string[]>;
  /** The text of every CDATA section of one element, joined, per element name. */
  cdata: Record<string, string[]>;
}

// Python's pyexpat: the expat the issue names, as strict about XML 1.0 well-formedness as
// Sparkle's NSXMLParser (libxml2). Documents go in as UTF-8 bytes, base64 in a JSON list.
const SCRIPT = `
import base64, json, sys
import xml.parsers.expat as expat
out = []
for doc in json.load(sys.stdin):
    p = expat.ParserCreate()
    stack, text, cdata, in_cdata = [], {}, {}, [False]
    def start(name, attrs):
        stack.append([name, '', ''])
    def end(name):
        n, t, c = stack.pop()
        text.setdefault(n, []).append(t)
        if c: cdata.setdefault(n, []).append(c)
    def chars(data):
        if in_cdata[0]: stack[-1][2] += data
        else: stack[-1][1] += data
    def cstart(): in_cdata[0] = True
    def cend(): in_cdata[0] = False
    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, chars
    p.StartCdataSectionHandler, p.EndCdataSectionHandler = cstart, cend
    try:
        p.Parse(base64.b64decode(doc), True)
        out.append({'text': text, 'cdata': cdata})
    except expat.ExpatError as e:
        out.append({'error': str(e)})
json.dump(out, sys.stdout)
`;

/** Parses each document with expat; an entry is a string (expat's error) when expat refuses the document. */
export function parseWithExpat(documents: string[]): (ExpatReading | string)[] {
  const input = JSON.stringify(documents.map((doc) => Buffer.from(doc, 'utf8').toString('base64')));
  const output = execFileSync('python3', ['-c', SCRIPT], { input, maxBuffer: 256 * 1024 * 1024 });
  const readings = JSON.parse(output.toString('utf8')) as ({ error: string } | ExpatReading)[];
  return readings.map((r) => ('error' in r ? r.error : r));
}

/** One appcast item as Sparkle's SUAppcastItem holds it (the fields an update is made of). */
export interface SparkleItem {
  version: string;
  fileURL: string;
  contentLength: number;
  edSignature?: string;
  /** SUAppcastItem.deltaUpdates: a delta item per `sparkle:deltaFrom`. */
  deltaUpdates: Record<string, SparkleItem>;
}

type Attributes = Record<string, string>;

/**
 * Reads an appcast as Sparkle does (SUAppcast.m, SUAppcastItem.m): per `<item>`, the first element
 * of each name; `enclosure`'s attributes as a dictionary; `sparkle:deltas` as the attribute
 * dictionaries of its `enclosure` children; then each delta becomes an item of its own, the
 * item's dictionary with its enclosure replaced by the delta's, keyed by `sparkle:deltaFrom`
 * (a delta without one is skipped). The version is the `sparkle:version` element, else the
 * enclosure's attribute. Throws where SUAppcastItem would fail (no enclosure URL, no version).
 */
export function readAppcastAsSparkle(xml: string): SparkleItem[] {
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name) => name === 'item' || name === 'enclosure',
  }).parse(xml) as { rss: { channel: { item?: Record<string, unknown>[] } } };
  const attributes = (node: unknown): Attributes =>
    Object.fromEntries(Object.entries((node ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string')) as Attributes;
  const itemOf = (dict: Record<string, unknown>, enclosure: Attributes): SparkleItem => {
    const version = (typeof dict['sparkle:version'] === 'string' ? dict['sparkle:version'] : undefined) ?? enclosure['sparkle:version'];
    if (!version) throw new Error("Feed item lacks sparkle:version attribute, and version couldn't be deduced from file name");
    if (!enclosure.url) throw new Error("Feed item's enclosure lacks URL");
    const deltaUpdates: Record<string, SparkleItem> = {};
    for (const delta of (dict['sparkle:deltas'] as Attributes[] | undefined) ?? []) {
      const from = delta['sparkle:deltaFrom'];
      if (!from) continue;
      const { 'sparkle:deltas': _, ...rest } = dict;
      deltaUpdates[from] = itemOf(rest, delta);
    }
    return {
      version,
      fileURL: enclosure.url,
      contentLength: Number(enclosure.length ?? 0),
      ...(enclosure['sparkle:edSignature'] ? { edSignature: enclosure['sparkle:edSignature'] } : {}),
      deltaUpdates,
    };
  };
  return (doc.rss.channel.item ?? []).map((raw) => {
    const dict: Record<string, unknown> = { ...raw };
    const deltas = raw['sparkle:deltas'] as { enclosure?: unknown[] } | undefined;
    if (deltas) dict['sparkle:deltas'] = (deltas.enclosure ?? []).map(attributes);
    return itemOf(dict, attributes((raw.enclosure as unknown[] | undefined)?.[0]));
  });
}
