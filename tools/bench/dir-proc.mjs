// CPU time and memory of benchmarked processes, read from Linux's /proc: one process,
// or a whole PostgreSQL cluster (its postmaster, the backends it forked and those it reaped).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Clock ticks per second of the times in /proc/<pid>/stat (USER_HZ). */
const TICKS_PER_SECOND = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(out.stdout?.trim());
  if (out.status !== 0 || !Number.isInteger(ticks) || ticks <= 0)
    throw new Error(`getconf CLK_TCK failed (${out.stderr?.trim() ?? out.error?.message}): cannot turn /proc times into seconds`);
  return ticks;
})();

/**
 * The fields of /proc/<pid>/stat after the command name (field 3, the state, is index 0):
 * index 1 the parent pid, 11 utime, 12 stime, 13 cutime, 14 cstime (reaped children).
 * Undefined when the process is gone.
 */
function statFields(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ESRCH') return undefined;
    throw error;
  }
  return text.slice(text.lastIndexOf(') ') + 2).split(' ');
}

/** User plus system CPU seconds used so far by the process `pid` itself. */
export function cpuSeconds(pid) {
  const fields = statFields(pid);
  if (fields === undefined) throw new Error(`process ${pid} is gone: cannot read its CPU time`);
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident memory of the process `pid`, in MB with one decimal. */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return Math.round(kb / 102.4) / 10;
}

/** The pid of a running cluster's postmaster, from the first line of `<dataDir>/postmaster.pid`. */
export function postmasterPid(dataDir) {
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${join(dataDir, 'postmaster.pid')}`);
  return pid;
}

/**
 * CPU seconds used so far by a PostgreSQL cluster: its postmaster, every process it
 * forked that still runs (backends, checkpointer, WAL writer...), and those it has
 * reaped (their time is in the postmaster's cutime and cstime).
 */
export function clusterCpuSeconds(postmaster) {
  const own = statFields(postmaster);
  if (own === undefined) throw new Error(`postmaster ${postmaster} is gone: cannot read the cluster's CPU time`);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields !== undefined && Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICKS_PER_SECOND;
}
