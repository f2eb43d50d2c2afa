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
 * must take it, Sparkle 2's form), and an enclosure with url, length, type and `sparkle:edSignature`.
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
