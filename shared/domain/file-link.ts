import type { FeedFile } from './feed.js';

/**
 * Everything a download link needs to answer, in one item keyed by what the link carries (its
 * release and artifact ids, under the app or under its slug): a download is one GetItem. Written by
 * the feed publisher from the stored state on every rebuild, like the feeds, so it follows the app's
 * privacy, slug, catalog names and release states.
 */
export interface FileLink {
  appId: string;
  releaseId: string;
  /** A name the link answers under the app's slug: the file's served name (the feeds' links), or an installer's blockmap name; absent for an app without a slug. */
  name?: string;
  /** The artifact whose URL answers this name, when it is not the file's own: a blockmap is asked for beside its installer. */
  via?: string;
  /** The app is private: a download token must open it. */
  private?: true;
  /** Catalog ids of the channels whose clients are offered the release (their own, or one they follow). */
  channels: string[];
  /** A scheduled release: not downloadable before this time. */
  publishAt?: string;
  file: FeedFile;
}

/** A link's place: `<releaseId>#<artifactId>`. */
export function fileLinkId(releaseId: string, artifactId: string): string {
  return `${releaseId}#${artifactId}`;
}

/** The longest file name a link answers (a DynamoDB sort key holds 1 KB; served names are far shorter). */
export const MAX_FILE_NAME = 255;

/** A link's place under the slug: `<releaseId>#<artifactId>#<name>` (the URL's ids and the name it asks for). */
export function slugFileLinkId(releaseId: string, artifactId: string, name: string): string {
  return `${fileLinkId(releaseId, artifactId)}#${name}`;
}

/** True when the link's release is offered at `now` (a scheduled release is not, even by id). */
export function linkOffered(link: FileLink, now: Date): boolean {
  return !(link.publishAt && Date.parse(link.publishAt) > now.getTime());
}
