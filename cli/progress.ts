import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** Bytes as people read them: 1.5 MiB. */
export function humanBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** One file's progress: bytes sent, with speed and ETA on a terminal. */
export interface FileProgress {
  add(bytes: number): void;
  /** Bytes already on the server before this run (a resumed upload): counted, not timed. */
  skip(bytes: number): void;
  note(text: string): void;
  done(): void;
}

/**
 * Progress bars (cli-progress) on stderr when it is a terminal and output is for people; nothing
 * otherwise (`--json`, CI logs), where each command prints its summary when a file is done.
 */
export class Progress {
  private readonly bars: MultiBar | undefined;

  constructor(enabled: boolean) {
    this.bars =
      enabled && process.stderr.isTTY
        ? new MultiBar(
            {
              stream: process.stderr,
              format: ' {name} |{bar}| {percentage}% {sent}/{size} {speed} ETA {eta} {note}',
              hideCursor: true,
              clearOnComplete: false,
              etaBuffer: 50,
            },
            Presets.shades_classic,
          )
        : undefined;
  }

  file(name: string, size: number): FileProgress {
    const start = Date.now();
    let sent = 0;
    let skipped = 0;
    let note = '';
    const bar: SingleBar | undefined = this.bars?.create(size, 0, this.payload(name, 0, size, 0, ''));
    const render = () => {
      const seconds = (Date.now() - start) / 1000;
      const speed = seconds > 0 ? (sent - skipped) / seconds : 0;
      bar?.update(sent, this.payload(name, sent, size, speed, note));
    };
    return {
      add: (bytes) => {
        sent += bytes;
        render();
      },
      skip: (bytes) => {
        sent += bytes;
        skipped += bytes;
        render();
      },
      note: (text) => {
        note = text;
        render();
      },
      done: () => {
        render();
        bar?.stop();
      },
    };
  }

  private payload(name: string, sent: number, size: number, speed: number, note: string) {
    const left = speed > 0 ? Math.ceil((size - sent) / speed) : undefined;
    const eta = left === undefined ? '-' : left >= 60 ? `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s` : `${left}s`;
    return {
      name: name.length > 28 ? `…${name.slice(-27)}` : name.padEnd(28),
      sent: humanBytes(sent),
      size: humanBytes(size),
      speed: `${humanBytes(speed)}/s`,
      eta,
      note,
    };
  }

  stop(): void {
    this.bars?.stop();
  }
}
