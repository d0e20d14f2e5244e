import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pythonLiteral, shellQuote } from './snippets.ts';

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
