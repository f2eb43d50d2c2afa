import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

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
