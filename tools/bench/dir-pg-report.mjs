// Renders the `directory-pg` part's figures (dir-pg-bench.mjs) as Markdown, targets beside them.
const fmt = (n, digits = 2) => (n === null || n === undefined ? 'n/a' : Number(n).toFixed(digits));

const LABELS = { sqlite: 'one server, SQLite', postgres: 'one server, PostgreSQL', 'postgres-2': 'two servers, one PostgreSQL' };

function watchLine(label, w) {
  if (w.received === 0) return `| ${label} | none of ${w.sent} REGs pushed within ${w.timeoutMs} ms (${w.status ?? 'timed out'}) | n/a | n/a | n/a |`;
  const missed = w.timedOut > 0 ? `, ${w.timedOut} not within ${w.timeoutMs} ms` : '';
  return `| ${label} | ${w.received} of ${w.sent}${missed} | ${fmt(w.p50Ms)} | ${fmt(w.p99Ms)} | ${fmt(w.maxMs)} |`;
}

function killLine(k) {
  if (k.status === 'never listed')
    return `not measurable: the other server listed only ${k.listedOnObserver} of the ${k.users} users within ${k.listTimeoutMs / 1000} s, before the kill`;
  if (k.status === 'timed out') return `not within ${k.vanishTimeoutMs / 1000} s: ${k.stillListed} of the ${k.users} users still listed when the bench stopped looking`;
  return `${fmt(k.vanishMs / 1000)} s for all ${k.users} users (the other server listed them ${fmt(k.listedAfterMs, 0)} ms after they registered)`;
}

/** The Markdown lines of the part. */
export function renderDirectoryPg(part) {
  const lines = [
    '## Directory server on PostgreSQL',
    '',
    `One server on SQLite, one on PostgreSQL, and two servers on one PostgreSQL with the connections split between them (GET targets span every name, so half the lookups are of the other server's users); each run starts its own servers and its own throwaway PostgreSQL cluster. Every connection, each from its own loopback address 127.0.x.y, registers and then asks GET, with one LIST in 100, one request in flight at a time: as fast as answers come (closed loop), then at a fixed rate (paced); ${part.rounds} round(s) at each size, set-ups taking turns, medians of the rounds. CPU per request: the CPU time (user + system, /proc/PID/stat) used during the measured window, over the requests answered in it; server: the voip-server processes, summed (as is their RSS); PostgreSQL: the postmaster and every process of its cluster. On a 2-core machine the load generator, the servers and PostgreSQL share the cores, so throughput is bounded by the machine; CPU per request is the figure to compare.`,
    '',
  ];
  if (part.date) {
    lines.push(
      `This part ran ${part.date}; the machine's 1-minute load average was ${fmt(part.loadAverage.start)} as it started and ${fmt(part.loadAverage.end)} as it ended (other work shares the machine: its figures vary from run to run).`,
      '',
    );
  }
  if (part.postgresSkipped) lines.push(`**PostgreSQL rows skipped**: ${part.postgresSkipped}`, '');
  const setupRows = (each) => part.rows.flatMap((row) => Object.keys(LABELS).flatMap((setup) => (row[setup] ? [each(row, setup, row[setup])] : [])));
  const vsSqlite = (mine, sqlite) => (mine !== null && sqlite ? `${fmt(mine / sqlite)}x` : 'n/a');
  lines.push(
    'Closed loop:',
    '',
    '| connections | set-up | req/s (rounds) | GET p50 ms | GET p99 ms | server CPU us/req | PostgreSQL CPU us/req | server CPU vs SQLite | server CPU % | PostgreSQL CPU % | load gen CPU % | server RSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...setupRows(
      (row, setup, r) =>
        `| ${row.connections} | ${LABELS[setup]} | ${r.requestsPerSecond} (${r.rounds.join(', ')}) | ${fmt(r.getP50Ms)} | ${fmt(r.getP99Ms)} | ${fmt(r.serverCpuUsPerRequest, 1)} | ${fmt(r.postgresCpuUsPerRequest, 1)} | ${vsSqlite(r.serverCpuUsPerRequest, row.sqlite?.serverCpuUsPerRequest)} | ${r.serverCpuPercent} | ${r.postgresCpuPercent ?? 'n/a'} | ${r.loadGeneratorCpuPercent} | ${fmt(r.serverRssMb, 1)} |`,
    ),
    '',
    `Paced: ${part.pacedRate} GET/s offered in all, the same for every set-up, so the CPU per request compares like with like (req/s is what was answered: a set-up below the offered rate could not keep up):`,
    '',
    '| connections | set-up | req/s | GET p50 ms | GET p99 ms | server CPU us/req | PostgreSQL CPU us/req | server CPU vs SQLite |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...setupRows(
      (row, setup, { paced: r }) =>
        `| ${row.connections} | ${LABELS[setup]} | ${r.requestsPerSecond} | ${fmt(r.getP50Ms)} | ${fmt(r.getP99Ms)} | ${fmt(r.serverCpuUsPerRequest, 1)} | ${fmt(r.postgresCpuUsPerRequest, 1)} | ${vsSqlite(r.serverCpuUsPerRequest, row.sqlite?.paced.serverCpuUsPerRequest)} |`,
    ),
  );
  const erring = part.rows.flatMap((row) =>
    Object.keys(LABELS)
      .filter((s) => row[s]?.errorReplies > 0)
      .map((s) => `${LABELS[s]} at ${row.connections}: ${row[s].errorReplies}`),
  );
  lines.push(
    '',
    erring.length ? `**Error replies** (over all rounds, where answers were due; those figures are suspect): ${erring.join('; ')}.` : 'No error replies in any measured window.',
    '',
  );
  if (part.presence) {
    const { watch, kill } = part.presence;
    lines.push(
      `Presence, three servers on one PostgreSQL${part.serverIdFlag ? ' (each given --server-id)' : ' (ids from host:port; this build takes no --server-id)'}, no other load: ${watch.samples} names registered one after another on server A, each from its own connection; the delay is from writing the REG to the presence push listing the name on a WATCH of server B (and, for reference, of A itself). Each push is awaited ${watch.crossServer.timeoutMs} ms at most; when none of the first REGs reaches B, B is given up. Then server C, holding ${kill.users} users that B lists, is SIGKILLed and B's LIST is read every 100 ms until none of them is left.`,
      '',
      '| WATCH push after a REG | pushed | p50 ms | p99 ms | max ms |',
      '| --- | --- | --- | --- | --- |',
      watchLine('on another server (A to B)', watch.crossServer),
      watchLine('on the same server (A to A)', watch.sameServer),
      '',
      `A SIGKILLed server's users gone from another server's LIST: ${killLine(kill)}.`,
      '',
    );
  }
  lines.push(
    "Targets: a server on PostgreSQL costs at most 1.5x the server CPU per request of one on SQLite; a REG on one server is pushed to a WATCH on another within 100 ms p99; a killed server's users leave the other servers' LIST within 15 s.",
    '',
  );
  return lines;
}
