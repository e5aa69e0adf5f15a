// The resident memory of a process and all its descendants, sampled from /proc while it runs (Linux):
// for the benchmarks that state a run's peak memory.
import { readdirSync, readFileSync } from 'node:fs';

export interface MemoryPeak {
  /** the largest sum over the tree at one sample, bytes */
  totalBytes: number;
  /** the largest single process, bytes */
  largestBytes: number;
  samples: number;
}

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = byParent.get(ppid) ?? [];
      list.push(Number(entry));
      byParent.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  return byParent;
}

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Sample the tree under `root` every `everyMs` until `stop()` is called; resolves with the peaks. */
export function watchMemory(root: number, everyMs = 200): { stop(): MemoryPeak } {
  const peak: MemoryPeak = { totalBytes: 0, largestBytes: 0, samples: 0 };
  const sample = () => {
    const tree = children();
    const pids = [root];
    for (let i = 0; i < pids.length; i++) pids.push(...(tree.get(pids[i]) ?? []));
    let total = 0;
    for (const pid of pids) {
      const rss = rssBytes(pid);
      total += rss;
      if (rss > peak.largestBytes) peak.largestBytes = rss;
    }
    if (total > peak.totalBytes) peak.totalBytes = total;
    peak.samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}
