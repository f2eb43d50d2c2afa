/**
 * What each feed format can carry of stored text (release notes, changelogs, titles). Stored text
 * can hold any Unicode scalar (an ANSI colour code pasted from a CI changelog, a NUL), and one
 * character a format cannot carry makes the whole document unreadable to every client of the
 * channel, so each renderer passes its text fields through the rule of its format. Characters a
 * format cannot carry are removed, never replaced: a removed control or noncharacter shows nothing.
 */

/** Outside XML 1.0's `Char` production: C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF. Not even `&#…;` carries them. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/** Unicode noncharacters U+FFFE and U+FFFF, outside YAML 1.2's printable set, and lone surrogates. */
const NOT_YAML_CHAR = /[\uFFFE\uFFFF]|\p{Cs}/gu;
/** Lone surrogates: JSON.stringify escapes them (`\ud800`), and serde_json (Tauri) and System.Text.Json (Velopack) refuse such an escape. */
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * Text for an XML 1.0 document (Sparkle): characters outside `Char` removed, and line ends as
 * LF, which is what any XML parser reads a CR or CRLF as.
 */
export function xmlText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(NOT_XML_CHAR, '');
}

/**
 * Text for a YAML document (electron-updater's js-yaml): U+FFFE, U+FFFF and lone surrogates
 * removed; every other character survives (the YAML writer escapes the non-printable ones).
 */
export function yamlText(text: string): string {
  return text.replace(NOT_YAML_CHAR, '');
}

/** Text for a JSON document read by a strict UTF-8 parser: lone surrogates removed. */
export function jsonText(text: string): string {
  return text.replace(LONE_SURROGATE, '');
}
