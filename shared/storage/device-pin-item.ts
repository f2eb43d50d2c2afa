/** The codec of a device pin's item (`APP#<app>` / `PIN#<hash>`), read with the app's collection. */
import type { DevicePin } from '../domain/device-pin.js';
import { defined, type Item, optStr, str } from './item-codec.js';
import { keys } from './keys.js';

export function devicePinToItem(pin: DevicePin): Item {
  return defined({ ...keys.devicePin(pin.appId, pin.hash), type: 'pin', ...pin });
}

export function devicePinFromItem(item: Item): DevicePin {
  return defined({
    appId: str(item, 'appId'),
    hash: str(item, 'hash'),
    deviceId: str(item, 'deviceId'),
    channelId: optStr(item, 'channelId'),
    version: optStr(item, 'version'),
    note: optStr(item, 'note'),
    createdAt: str(item, 'createdAt'),
    by: str(item, 'by'),
  });
}
