import { XMLBuilder } from 'fast-xml-parser';
import { xmlText } from './text.js';

export const SPARKLE_NAMESPACE = 'http://www.andymatuschak.org/xml-namespaces/sparkle';

export interface AppcastItem {
  version: string;
  pubDate: string;
  notes?: string;
  /** This release is critical. */
  critical?: boolean;
  /** Clients below this version must treat the update as critical (they skip a critical release). */
  criticalBelow?: string;
  url: string;
  length: number;
  /** Sparkle's EdDSA signature of the file, when the publisher uploaded one. */
  edSignature?: string;
  /** Seconds between Sparkle's 7 phased-rollout groups (counted from pubDate), for a staged release. */
  phasedRolloutInterval?: number;
  /** Delta archives to this version, each from one older version (`sparkle:deltaFrom`). */
  deltas?: AppcastDelta[];
}

/** One delta archive of an item: Sparkle installs it when the installed bundle version is `from`. */
export interface AppcastDelta {
  from: string;
  url: string;
  length: number;
  edSignature?: string;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  format: true,
  cdataPropName: '#cdata',
  suppressEmptyNode: true,
});

/**
 * Renders a Sparkle appcast (RSS 2.0 with the `sparkle` namespace): an `<item>` per release with
 * `sparkle:version`, `sparkle:shortVersionString`, `pubDate` in RFC 822, `sparkle:criticalUpdate`
 * for critical releases (with `sparkle:version` when only clients below a skipped critical release
 * must take it, Sparkle 2's form), and an enclosure with url, length, type and `sparkle:edSignature`;
 * an item's delta archives are enclosures inside `<sparkle:deltas>`, each with `sparkle:deltaFrom`
 * (Sparkle keys them by it and takes the one matching the installed bundle version), as
 * generate_appcast writes them.
 * Text fields lose what XML 1.0 cannot carry (see `xmlText`), so the appcast stays well-formed. Pure.
 */
export function renderAppcast(title: string, items: AppcastItem[]): string {
  const rss = {
    '?xml': { '@version': '1.0', '@encoding': 'utf-8' },
    rss: {
      '@version': '2.0',
      '@xmlns:sparkle': SPARKLE_NAMESPACE,
      channel: {
        title: xmlText(title),
        item: items.map((item) => ({
          title: `Version ${item.version}`,
          pubDate: new Date(item.pubDate).toUTCString(),
          'sparkle:version': item.version,
          'sparkle:shortVersionString': item.version,
          ...(item.critical
            ? { 'sparkle:criticalUpdate': '' }
            : item.criticalBelow
              ? { 'sparkle:criticalUpdate': { '@sparkle:version': item.criticalBelow } }
              : {}),
          ...(item.phasedRolloutInterval ? { 'sparkle:phasedRolloutInterval': String(item.phasedRolloutInterval) } : {}),
          ...(item.notes ? { description: { '#cdata': xmlText(item.notes) } } : {}),
          ...(item.deltas?.length
            ? {
                'sparkle:deltas': {
                  enclosure: item.deltas.map((delta) => ({
                    '@url': delta.url,
                    '@sparkle:version': item.version,
                    '@sparkle:shortVersionString': item.version,
                    '@sparkle:deltaFrom': delta.from,
                    '@length': String(delta.length),
                    '@type': 'application/octet-stream',
                    ...(delta.edSignature ? { '@sparkle:edSignature': delta.edSignature } : {}),
                  })),
                },
              }
            : {}),
          enclosure: {
            '@url': item.url,
            '@length': String(item.length),
            '@type': 'application/octet-stream',
            ...(item.edSignature ? { '@sparkle:edSignature': item.edSignature } : {}),
          },
        })),
      },
    },
  };
  return builder.build(rss) as string;
}
