import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliSnippet, curlSnippet, pythonLiteral, shellQuote } from './snippets.ts';

/** What a POSIX shell makes of `word` as one argument. */
const shellArgument = (word: string): string => execFileSync('sh', ['-c', `printf %s ${word}`], { encoding: 'utf8' });

describe('shellQuote', () => {
  it('leaves plain words bare and single-quotes the rest', () => {
    expect(shellQuote('https://x.test/v.mp4')).toBe('https://x.test/v.mp4');
    expect(shellQuote('--hdr=1')).toBe('--hdr=1');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });

  it('gives the shell back exactly the text, whatever it holds', () => {
    for (const text of ["film noir, it's $HOME `date` \\ \"quoted\"", 'line\nbreak\ttab', '*.mp4 ; rm -rf /', 'ünïcødé 🎞', "''"]) {
      expect(shellArgument(shellQuote(text))).toBe(text);
    }
    const unit = fc.oneof(fc.constantFrom("'", '"', '\\', '$', '`', '\n', ' ', '*', '!', ';'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
    fc.assert(fc.property(fc.string({ unit, maxLength: 30 }), (text) => {
      expect(shellArgument(shellQuote(text))).toBe(text);
    }), { numRuns: 40 });
  });
});

describe('pythonLiteral', () => {
  it('writes JSON-like data as Python, indented', () => {
    expect(pythonLiteral(null)).toBe('None');
    expect(pythonLiteral(undefined)).toBe('None');
    expect(pythonLiteral(true)).toBe('True');
    expect(pythonLiteral(false)).toBe('False');
    expect(pythonLiteral(2.5)).toBe('2.5');
    expect(pythonLiteral('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
    expect(pythonLiteral([])).toBe('[]');
    expect(pythonLiteral({})).toBe('{}');
    expect(pythonLiteral({ model: 'retake-local', hdr: false, tags: ['a', 1] })).toBe(
      '{\n    "model": "retake-local",\n    "hdr": False,\n    "tags": ["a", 1],\n}',
    );
    expect(pythonLiteral({ outer: { inner: null } })).toBe('{\n    "outer": {\n        "inner": None,\n    },\n}');
  });

  it('is read back by Python as the same data', () => {
    const values = [
      { prompt: "it's \"noir\" — ünïcødé 🎞\n\t\\", input_video: 'https://x.test/v.mp4', hdr: true, exr_export: false, num: 3, nothing: null },
      { nested: { list: [1.25, -2, 'x', [true, null]], empty: {}, none: [] } },
    ];
    const script = 'import ast, json, sys\nfor line in sys.stdin.read().split("\\0"):\n    print(json.dumps(ast.literal_eval(line), ensure_ascii=False))';
    const out = execFileSync('python3', ['-c', script], { input: values.map((v) => pythonLiteral(v)).join('\0'), encoding: 'utf8' });
    expect(out.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual(values);
  });
});

describe('keyframes in the snippets', () => {
  it('puts the list in the JSON bodies and one --keyframe FRAME:URL per keyframe in the CLI call', () => {
    const request = { prompt: 'faded film', input_video: 'https://x.test/v.mp4', keyframes: [{ image: 'https://x.test/a.png', frame: 0 }, { image: 'https://x.test/b c.png', frame: 59 }] };
    const input = { baseUrl: 'http://127.0.0.1:8787', model: 'retake-local', request, mode: 'sync' as const };
    expect(curlSnippet(input)).toContain('"keyframes"');
    const cli = cliSnippet(input);
    expect(cli).toContain('--keyframe 0:https://x.test/a.png');
    expect(cli).toContain("--keyframe '59:https://x.test/b c.png'");
  });
});
