/**
 * Hosts on one machine: each host is a Linux network namespace with one interface on a
 * private bridge, which lives in a switch namespace of its own. Nothing is added to the
 * machine's own network: hosts reach each other only, and the test reaches them through
 * a client host (see `cluster.ts`). Needs root and iproute2. Names carry a per-run id,
 * so parallel runs never share a namespace, a bridge or an address space.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function ip(...args: string[]): Promise<string> {
  return (await run('ip', args)).stdout;
}

/** Whether this machine can build namespaced hosts (root, iproute2, a kernel that allows it). */
export async function netnsAvailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'not running as root';
  const probe = `rtkprobe${process.pid}`;
  try {
    await ip('netns', 'add', probe);
    await ip('netns', 'del', probe);
    return undefined;
  } catch (err) {
    await ip('netns', 'del', probe).catch(() => undefined);
    return `ip netns does not work here: ${(err as Error).message.split('\n')[0]}`;
  }
}

export interface Host {
  name: string;
  /** The namespace's name. */
  ns: string;
  /** The host's address on the lab's bridge. */
  address: string;
  /** Start a program inside the host (it inherits nothing of the machine's network). */
  spawn(command: string, args: string[], env?: Record<string, string>): ChildProcess;
  /** Run a program inside the host to completion. */
  exec(command: string, args: string[]): Promise<string>;
  /** Every process running in the host's namespace. */
  pids(): Promise<number[]>;
  /** SIGKILL every process in the host, then delete its namespace: the machine is gone. */
  vanish(): Promise<void>;
}

export interface Lab {
  id: string;
  /** `10.213.<n>.0/24`, used only inside this lab's namespaces. */
  subnet: string;
  addHost(name: string, lastOctet: number): Promise<Host>;
  /** Namespaces of this lab that still exist. */
  namespaces(): Promise<string[]>;
  /** Kill everything in every host and delete every namespace (also after a failure). */
  destroy(): Promise<void>;
}

/** A fresh lab with its switch; `id` must be short (it goes into namespace names). */
export async function createLab(id: string, thirdOctet: number): Promise<Lab> {
  const prefix = `rtk-${id}`;
  const switchNs = `${prefix}-sw`;
  const subnet = `10.213.${thirdOctet}`;
  const hosts: Host[] = [];
  await ip('netns', 'add', switchNs);
  await ip('-n', switchNs, 'link', 'set', 'lo', 'up');
  await ip('-n', switchNs, 'link', 'add', 'br0', 'type', 'bridge');
  await ip('-n', switchNs, 'link', 'set', 'br0', 'up');

  async function killAll(ns: string): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const pids = await nsPids(ns);
      if (pids.length === 0) return;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`processes in ${ns} would not die`);
  }

  return {
    id,
    subnet: `${subnet}.0/24`,
    async addHost(name, lastOctet) {
      const ns = `${prefix}-${name}`;
      const address = `${subnet}.${lastOctet}`;
      await ip('netns', 'add', ns);
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      // Both ends are created inside namespaces: the machine's own namespace never holds them.
      await ip('link', 'add', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', `p${lastOctet}`, 'netns', switchNs);
      await ip('-n', switchNs, 'link', 'set', `p${lastOctet}`, 'master', 'br0');
      await ip('-n', switchNs, 'link', 'set', `p${lastOctet}`, 'up');
      await ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      const host: Host = {
        name, ns, address,
        spawn(command, args, env = {}) {
          return spawn('ip', ['netns', 'exec', ns, command, ...args], {
            env: { ...process.env, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
        },
        async exec(command, args) {
          return (await run('ip', ['netns', 'exec', ns, command, ...args])).stdout;
        },
        pids: () => nsPids(ns),
        async vanish() {
          await killAll(ns);
          await ip('netns', 'del', ns).catch(() => undefined);
        },
      };
      hosts.push(host);
      return host;
    },
    async namespaces() {
      const list = await ip('netns', 'list');
      return list.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(`${prefix}-`));
    },
    async destroy() {
      for (const host of hosts) await host.vanish().catch(() => undefined);
      await killAll(switchNs).catch(() => undefined);
      await ip('netns', 'del', switchNs).catch(() => undefined);
    },
  };
}

async function nsPids(ns: string): Promise<number[]> {
  try {
    return (await ip('netns', 'pids', ns)).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
