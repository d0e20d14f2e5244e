/**
 * Thousands of sockets in one process need more file descriptors than a shell's usual
 * soft limit (1024). Node cannot raise its own limit, so a bench process that holds
 * many sockets (the server, the subscribers) is started through `sh`, which raises the
 * soft limit to the hard one and then execs the command (same pid).
 */

/** `[command, args]` that run `command args...` with the soft open-files limit raised to the hard limit. */
export function withRaisedFdLimit(command: string, args: readonly string[]): [string, string[]] {
  return ['/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"', command, ...args]];
}

