/**
 * The one reader of server-sent event streams in retake: the typed client, the
 * Workbench, and the test and bench helpers all hand it text as it arrives and get
 * whole frames back. Pure and incremental (no I/O, no state beyond the unfinished rest
 * it hands back), so it runs in browsers and Node alike and is tested on its own.
 */

/** One frame (a block ended by a blank line). Fields the frame does not carry are absent. */
export interface SseFrame {
  id?: string;
  /** `event:`; absent means the default type, `message`. */
  event?: string;
  /** The frame's `data:` lines joined with newlines; absent when it has none. */
  data?: string;
  /** The text of the frame's last comment line (`: keep-alive`), trimmed. */
  comment?: string;
}

/**
 * Split the complete frames off `buffer`; answers them and the unfinished rest, to be
 * prefixed to the next chunk. Line ends may be LF, CRLF or CR; a CR at the very end is
 * kept in the rest, since the LF that may follow has not arrived yet.
 */
export function parseFrames(buffer: string): { frames: SseFrame[]; rest: string } {
  const held = buffer.endsWith('\r') ? 1 : 0;
  const blocks = buffer.slice(0, buffer.length - held).replace(/\r\n?/g, '\n').split('\n\n');
  const rest = (blocks.pop() ?? '') + (held ? '\r' : '');
  const frames: SseFrame[] = [];
  for (const block of blocks) {
    // Extra blank lines between frames end nothing.
    if (block === '') continue;
    const frame: SseFrame = {};
    for (const line of block.split('\n')) {
      if (line === '') continue;
      if (line.startsWith(':')) {
        frame.comment = line.slice(1).trim();
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
      else if (field === 'id' || field === 'event') frame[field] = value;
    }
    frames.push(frame);
  }
  return { frames, rest };
}

/**
 * A sink for a stream read chunk by chunk (Node's `data` events): call it with each
 * chunk of text and `onFrame` is called with each complete frame, in order.
 */
export function frameSplitter(onFrame: (frame: SseFrame) => void): (chunk: string) => void {
  let rest = '';
  return (chunk) => {
    const parsed = parseFrames(rest + chunk);
    rest = parsed.rest;
    for (const frame of parsed.frames) onFrame(frame);
  };
}
