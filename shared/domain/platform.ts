/** Tauri's `{{target}}` values this server serves. */
export const TARGETS = ['linux', 'darwin', 'windows'] as const;
/** Tauri's `{{arch}}` values this server serves (i686 and armv7 are sent by 32-bit builds). */
export const ARCHS = ['x86_64', 'aarch64', 'i686', 'armv7'] as const;

export type Target = (typeof TARGETS)[number];
export type Arch = (typeof ARCHS)[number];

export function isTarget(value: string): value is Target {
  return (TARGETS as readonly string[]).includes(value);
}

export function isArch(value: string): value is Arch {
  return (ARCHS as readonly string[]).includes(value);
}

/** The feed and object-key name of one platform, e.g. `darwin-aarch64`. */
export function platformKey(target: Target, arch: Arch): string {
  return `${target}-${arch}`;
}
