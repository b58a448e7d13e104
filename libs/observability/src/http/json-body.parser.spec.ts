import { exceedsDepth } from './json-body.parser';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) {
    value = { a: value };
  }

  return value;
}

describe(exceedsDepth.name, () => {
  it('should accept values up to the limit and refuse deeper ones', () => {
    expect(exceedsDepth(nested(64), 64)).toBe(false);
    expect(exceedsDepth(nested(65), 64)).toBe(true);
  });

  it('should count arrays as levels and ignore scalars', () => {
    expect(exceedsDepth([[[1]]], 3)).toBe(false);
    expect(exceedsDepth([[[[1]]]], 3)).toBe(true);
    expect(exceedsDepth('text', 1)).toBe(false);
  });

  it('should check nesting far past the call stack without overflowing', () => {
    expect(exceedsDepth(nested(200000), 64)).toBe(true);
  });
});
