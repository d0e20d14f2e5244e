import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frameSplitter, parseFrames, type SseFrame } from './sse-frames.ts';

describe('parseFrames', () => {
  it('reads id, event and data, and keeps the unfinished rest', () => {
    const { frames, rest } = parseFrames('id: 7\nevent: media_generation_progress\ndata: {"progress":0.5}\n\nid: 8\nevent: media');
    expect(frames).toEqual([{ id: '7', event: 'media_generation_progress', data: '{"progress":0.5}' }]);
    expect(rest).toBe('id: 8\nevent: media');
  });

  it('joins data lines with newlines and takes one optional space after the colon', () => {
    expect(parseFrames('data:a\ndata:  b\ndata\n\n').frames).toEqual([{ data: 'a\n b\n' }]);
  });

  it('keeps comments apart from data, so a keep-alive is a frame of its own', () => {
    expect(parseFrames(': keep-alive\n\n').frames).toEqual([{ comment: 'keep-alive' }]);
    expect(parseFrames(': hi\ndata: x\n\n').frames).toEqual([{ comment: 'hi', data: 'x' }]);
  });

  it('ignores unknown fields and extra blank lines', () => {
    expect(parseFrames('retry: 100\nfoo: bar\nevent: e\n\n\n\ndata: 1\n\n').frames).toEqual([{ event: 'e' }, { data: '1' }]);
  });

  it('reads CRLF and CR line ends, holding a final CR until its LF may arrive', () => {
    expect(parseFrames('data: a\r\n\r\ndata: b\r\rdata: c\r').frames).toEqual([{ data: 'a' }, { data: 'b' }]);
    const first = parseFrames('data: a\r\n\r');
    expect(first).toEqual({ frames: [], rest: 'data: a\n\r' });
    expect(parseFrames(`${first.rest}\n`).frames).toEqual([{ data: 'a' }]);
  });

  it('answers the same frames however the stream is cut into chunks', () => {
    const stream = ': keep-alive\r\n\r\nid: 1\r\nevent: a\r\ndata: {"x":1}\r\n\r\nid: 2\nevent: b\ndata: one\ndata: two\n\nid: 3\revent: c\rdata: z\r\r\n';
    const whole: SseFrame[] = [];
    frameSplitter((f) => whole.push(f))(stream);
    expect(whole.map((f) => f.id ?? f.comment)).toEqual(['keep-alive', '1', '2', '3']);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 12 }), (cuts) => {
      const points = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
      const seen: SseFrame[] = [];
      const feed = frameSplitter((f) => seen.push(f));
      for (let i = 1; i < points.length; i++) feed(stream.slice(points[i - 1], points[i]));
      expect(seen).toEqual(whole);
    }));
  });
});
