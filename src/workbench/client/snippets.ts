/**
 * The API tab's code: the exact cURL, Python (requests), TypeScript (`retake/client`) and `retake`
 * CLI calls for the current form and run mode. Pure functions of the request, so what
 * the page shows is what a test runs. The key always comes from `RETAKE_KEY`.
 */

export type Mode = 'sync' | 'poll' | 'sse';

export interface SnippetInput {
  /** This server's origin, e.g. http://127.0.0.1:8787 */
  baseUrl: string;
  model: string;
  /** Request fields (prompt, input_video, …) without the model. */
  request: Record<string, unknown>;
  mode: Mode;
}

/** Quote for POSIX shells: single quotes, with embedded ones closed and escaped. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function body(input: SnippetInput): Record<string, unknown> {
  return { model: input.model, ...input.request };
}

/** A Python literal for JSON-like data (True/False/None, indented). */
export function pythonLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) return `[${value.map((v) => pythonLiteral(v, inner)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pythonLiteral(v, inner)},`).join('\n')}\n${indent}}`;
}

export function curlSnippet(input: SnippetInput): string {
  const { baseUrl } = input;
  const json = shellQuote(JSON.stringify(body(input), null, 2));
  const auth = '-H "Authorization: Bearer $RETAKE_KEY"';
  if (input.mode === 'sync') {
    return [
      '# Holds the connection until the video is ready; prints {"videos":[{"url":…}]}',
      `curl -sS --fail-with-body -X POST ${baseUrl}/api/ai/videos/generate \\`,
      `  ${auth} \\`,
      '  -H "Content-Type: application/json" \\',
      `  -d ${json}`,
    ].join('\n');
  }
  const queue = [
    '# Queue the generation and keep its id',
    `id=$(curl -sS --fail-with-body -X POST ${baseUrl}/api/ai/queue \\`,
    `  ${auth} \\`,
    '  -H "Content-Type: application/json" \\',
    `  -d ${json} \\`,
    `  | sed -E 's/.*"generation_id":"([^"]+)".*/\\1/')`,
    'echo "queued $id"',
  ];
  if (input.mode === 'poll') {
    return [
      ...queue,
      '# Poll until it is finished; prints the final row (status, result_url, …)',
      'while :; do',
      `  row=$(curl -sS ${auth} ${baseUrl}/api/ai/queue/$id)`,
      '  case "$row" in *\'"status":"succeeded"\'*|*\'"status":"failed"\'*|*\'"status":"cancelled"\'*) break ;; esac',
      '  sleep 1',
      'done',
      'echo "$row"',
    ].join('\n');
  }
  return [
    ...queue,
    '# Follow its server-sent events and print the completion (-s: curl ends quietly after grep has it)',
    `curl -sN --fail ${auth} "${baseUrl}/api/events?generation_id=$id" \\`,
    `  | grep -m1 -E '^data: .*"status":"(succeeded|failed|cancelled)"'`,
  ].join('\n');
}

export function pythonSnippet(input: SnippetInput): string {
  const head = [
    'import os',
    ...(input.mode === 'sync' ? [] : input.mode === 'poll' ? ['import time'] : ['import json']),
    '',
    'import requests',
    '',
    `BASE_URL = ${JSON.stringify(input.baseUrl)}`,
    'HEADERS = {"Authorization": f"Bearer {os.environ[\'RETAKE_KEY\']}"}',
    `payload = ${pythonLiteral(body(input))}`,
    '',
  ];
  if (input.mode === 'sync') {
    return [
      ...head,
      '# Holds the connection until the video is ready',
      'response = requests.post(f"{BASE_URL}/api/ai/videos/generate", json=payload, headers=HEADERS, timeout=1800)',
      'response.raise_for_status()',
      'print(response.json()["videos"][0]["url"])',
    ].join('\n');
  }
  const queue = [
    ...head,
    'response = requests.post(f"{BASE_URL}/api/ai/queue", json=payload, headers=HEADERS, timeout=60)',
    'response.raise_for_status()',
    'generation_id = response.json()["generations"][0]["generation_id"]',
    'print("queued", generation_id)',
    '',
  ];
  if (input.mode === 'poll') {
    return [
      ...queue,
      'while True:',
      '    row = requests.get(f"{BASE_URL}/api/ai/queue/{generation_id}", headers=HEADERS, timeout=60).json()',
      '    if row["status"] in ("succeeded", "failed", "cancelled"):',
      '        break',
      '    print(row["status"], row.get("stage") or "", f"{round((row.get(\'progress\') or 0) * 100)}%")',
      '    time.sleep(1)',
      'print(row["status"], row["result_url"] or row["error_message"])',
    ].join('\n');
  }
  return [
    ...queue,
    '# Follow its server-sent events until it finishes',
    'url = f"{BASE_URL}/api/events?generation_id={generation_id}"',
    'with requests.get(url, headers=HEADERS, stream=True, timeout=(10, 60)) as events:',
    '    events.raise_for_status()',
    '    event = None',
    '    for line in events.iter_lines(decode_unicode=True):',
    '        if line.startswith("event: "):',
    '            event = line[len("event: "):]',
    '        elif line.startswith("data: "):',
    '            data = json.loads(line[len("data: "):])',
    '            if event == "media_generation_progress":',
    '                print(data["stage"], f"{round(data[\'progress\'] * 100)}%")',
    '            elif event in ("media_generation_completed", "media_generation_cancelled"):',
    '                print(data["status"], data.get("url") or data.get("error", ""))',
    '                break',
  ].join('\n');
}

export function typescriptSnippet(input: SnippetInput): string {
  // The request is written inline so it is checked against the client's generated types.
  const request = JSON.stringify(body(input), null, 2);
  const head = [
    '// npm install retake, then run with `npx tsx retake.mts`',
    'import { Retake } from "retake/client";',
    '',
    `const retake = new Retake({ baseUrl: ${JSON.stringify(input.baseUrl)}, apiKey: process.env.RETAKE_KEY! });`,
    '',
  ];
  if (input.mode === 'sync') {
    return [
      ...head,
      '// Holds the connection until the video is ready',
      `const result = await retake.generate(${request});`,
      'console.log(result.videos[0]!.url);',
    ].join('\n');
  }
  const queue = [
    ...head,
    `const { generations } = await retake.queue(${request});`,
    'const id = generations[0]!.generation_id;',
    'console.log("queued", id);',
    '',
  ];
  if (input.mode === 'poll') {
    return [
      ...queue,
      'let row = await retake.get(id);',
      'while (!["succeeded", "failed", "cancelled"].includes(row.status)) {',
      '  console.log(row.status, row.stage ?? "", `${Math.round(row.progress * 100)}%`);',
      '  await new Promise((resolve) => setTimeout(resolve, 1000));',
      '  row = await retake.get(id);',
      '}',
      'console.log(row.status, row.result_url ?? row.error_message);',
    ].join('\n');
  }
  return [
    ...queue,
    '// Follows the server-sent events (resuming after a dropped connection) to the end',
    'const done = await retake.wait(id, {',
    '  onEvent: (event) => {',
    '    if (event.type === "media_generation_progress") console.log(event.data.stage, `${Math.round((event.data.progress ?? 0) * 100)}%`);',
    '  },',
    '});',
    'console.log(done.status, done.result_url ?? done.error_message ?? "");',
  ].join('\n');
}

const CLI_FLAGS: Record<string, string> = {
  resolution: '--resolution', duration: '--duration', edit_strength: '--edit-strength',
  auto_controls: '--auto-controls', hdr: '--hdr', exr_export: '--exr-export', input_image: '--image',
};

/**
 * The `retake edit` command for the same request. The CLI renders with the built-in
 * engine in its own process, so it ignores the run mode and the server.
 */
export function cliSnippet(input: SnippetInput): string {
  const r = input.request;
  const source = typeof r.input_video === 'string' && r.input_video ? r.input_video : 'input.mp4';
  const args = [`retake edit ${shellQuote(source)}`, `--prompt ${shellQuote(typeof r.prompt === 'string' ? r.prompt : '')}`];
  for (const [field, flag] of Object.entries(CLI_FLAGS)) {
    const value = r[field];
    if (value === true) args.push(flag);
    else if (typeof value === 'string' && value) args.push(`${flag} ${shellQuote(value)}`);
  }
  if (Array.isArray(r.keyframes)) {
    for (const k of r.keyframes as { image?: unknown; frame?: unknown }[]) args.push(`--keyframe ${shellQuote(`${String(k.frame)}:${String(k.image)}`)}`);
  }
  args.push('--output retake-output.mp4');
  const note = input.model === 'retake-local'
    ? '# Renders on this machine with the built-in engine (no server or key needed)'
    : `# The CLI renders with the built-in engine only; ${input.model} runs through the API (see the other tabs)`;
  return `${note}\n${args.join(' \\\n  ')}`;
}
