import { readFileSync } from 'node:fs';

/** Linux counts process CPU in clock ticks of 1/100 s (USER_HZ) on every common platform. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, all threads) a process has used so far, in ms; null where /proc is
 * missing. On a shared machine this per-request cost is steadier than req/s, which moves with
 * whatever else runs.
 */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) {
    return null;
  }

  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);

    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
