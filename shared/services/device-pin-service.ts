import type { Caller } from '../domain/caller.js';
import { type DevicePin, devicePinHash, isDeviceId, isPinHash, MAX_PINS_PER_APP } from '../domain/device-pin.js';
import { Conflict, Invalid, NotFound, shown } from '../domain/errors.js';
import type { App } from '../domain/model.js';
import { MAX_DEVICE_ID } from '../domain/rollout.js';
import { parseVersion, versionIdentity } from '../domain/version.js';
import { type CatalogRepository, entryByNameOrId } from '../storage/catalog-repository.js';
import type { ReleaseRepository } from '../storage/release-repository.js';
import type { FeedPublisher } from './feed-publisher.js';

export interface NewPin {
  deviceId: string;
  /** A channel of the owner's catalog (name or id). */
  channel?: string;
  /** A version the app has a release of. */
  version?: string;
  note?: string;
}

/** A pin with the name of its channel, as callers see it. */
export interface PinView {
  pin: DevicePin;
  channel?: string;
}

/** What the pin service reads and writes (narrow, so tests can pass in-memory fakes). */
export type PinServiceCatalogs = Pick<CatalogRepository, 'findByName' | 'get' | 'all'>;
export type PinServiceReleases = Pick<ReleaseRepository, 'collection' | 'putPin' | 'deletePin'>;

/**
 * Per-device overrides (QA, support): a device id of an app pinned to a channel, a version or both.
 * A change is a feed change of the app; the publisher tells the edge without a new revision when
 * nothing but the pins changed, so only the pinned device's cache key moves (feed-publisher.ts).
 */
export class DevicePinService {
  constructor(
    private readonly catalogs: PinServiceCatalogs,
    private readonly releases: PinServiceReleases,
    private readonly publisher: Pick<FeedPublisher, 'republish'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The app's pins, oldest first (the edge honours the oldest MAX_PINS_PER_APP). */
  async list(app: App): Promise<PinView[]> {
    const [{ pins }, catalog] = await Promise.all([this.releases.collection(app.id), this.catalogs.all(app.ownerId)]);
    const names = new Map(catalog.channels.map((c) => [c.id, c.name]));
    return pins
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((pin) => ({ pin, ...(pin.channelId !== undefined ? { channel: names.get(pin.channelId) ?? pin.channelId } : {}) }));
  }

  /** Pins a device (a device pinned already gets the new pin in place of its old one). */
  async add(app: App, caller: Caller, input: NewPin): Promise<PinView> {
    if (!isDeviceId(input.deviceId)) {
      throw new Invalid(`device_id must be 1-${MAX_DEVICE_ID} visible ASCII characters (as clients send it in a header)`);
    }
    if (input.channel === undefined && input.version === undefined) throw new Invalid('A pin names a channel, a version or both');
    const channel = input.channel === undefined ? undefined : await entryByNameOrId(this.catalogs, app.ownerId, 'channel', input.channel);
    if (input.channel !== undefined && !channel) throw new Invalid(`channel: no channel ${shown(input.channel)}; create it first`);
    const { releases, pins } = await this.releases.collection(app.id);
    let version: string | undefined;
    if (input.version !== undefined) {
      if (parseVersion(input.version) === undefined) throw new Invalid(`version ${shown(input.version)} is not a semantic version`);
      const identity = versionIdentity(input.version);
      version = releases.find((r) => versionIdentity(r.version) === identity)?.version;
      if (version === undefined) throw new Invalid(`version: the app has no release ${shown(input.version)}`);
    }
    const hash = devicePinHash(input.deviceId);
    if (!pins.some((p) => p.hash === hash) && pins.length >= MAX_PINS_PER_APP) {
      throw new Conflict(
        `The app has ${pins.length} pins, the most an app may have (the edge carries them all): remove one first`,
        'pin_limit',
      );
    }
    const pin: DevicePin = {
      appId: app.id,
      hash,
      deviceId: input.deviceId,
      ...(channel ? { channelId: channel.id } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(input.note ? { note: input.note } : {}),
      createdAt: this.now().toISOString(),
      by: caller.userId,
    };
    await this.releases.putPin(pin);
    await this.publisher.republish(app.id);
    return { pin, ...(channel ? { channel: channel.name } : {}) };
  }

  /** Removes a pin by its id (the device id's hash); the device gets what everyone gets at once. */
  async remove(app: App, pinId: string): Promise<void> {
    if (!isPinHash(pinId)) throw new Invalid(`pin_id ${shown(pinId)} is not a pin id`);
    if (!(await this.releases.deletePin(app.id, pinId))) throw new NotFound(`Pin ${shown(pinId)} not found`);
    await this.publisher.republish(app.id);
  }
}
