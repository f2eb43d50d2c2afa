/**
 * electron-updater's names of our archs (file names carry them: MacUpdater picks arm64 builds by
 * name). Kept apart from the renderer and its YAML library, so naming a file costs no bundle that weight.
 */
export const ELECTRON_ARCH: Readonly<Record<string, string>> = { x86_64: 'x64', aarch64: 'arm64', i686: 'ia32', armv7: 'armv7l' };
