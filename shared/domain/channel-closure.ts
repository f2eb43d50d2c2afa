/**
 * The channels whose releases a channel's clients receive: itself and, transitively, the ones it
 * follows (by id in the catalog, by name in the API's answers: whatever `follows` holds). Cycles
 * are harmless (each channel is visited once). No imports: the console bundles it.
 */
export function channelClosure(
  channel: string,
  channels: ReadonlyMap<string, { readonly follows?: readonly string[] | undefined }>,
): Set<string> {
  const seen = new Set<string>();
  const pending = [channel];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...(channels.get(next)?.follows ?? []));
  }
  return seen;
}
