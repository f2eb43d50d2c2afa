/**
 * A drain run on demand, as the cloud's event sources run a function when records arrive: `kick`
 * starts one unless one is running, in which case that one goes round again when it ends; a pass
 * that found work goes round again too. `idle` resolves when no pass is running.
 */
export class KickedDrain {
  private running: Promise<void> | undefined;
  private again = false;

  /** `pass` returns whether it found work (then the next pass may find more). */
  constructor(private readonly pass: () => Promise<boolean>) {}

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      if (await this.pass()) this.again = true;
    } while (this.again);
  }
}
