/**
 * Small deterministic generator (mulberry32): the same seed gives the same draws on every
 * machine and Node version, which Math.random cannot promise, so scenario runs are repeatable.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number, stream = 0) {
    // Mixing the stream in keeps each scenario's draws independent of the others' count.
    this.state = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);

    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Box-Muller; 1 - next() keeps the logarithm away from zero. */
  normal(mean: number, stdDev: number): number {
    const u = 1 - this.next();
    const v = this.next();

    return mean + stdDev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
