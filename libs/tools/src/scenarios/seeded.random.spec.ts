import { SeededRandom } from './seeded.random';

describe(SeededRandom.name, () => {
  it('should draw normals around their mean', () => {
    const random = new SeededRandom(42);
    const draws = Array.from({ length: 5000 }, () => random.normal(10, 2));
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;

    expect(mean).toBeGreaterThan(9.8);
    expect(mean).toBeLessThan(10.2);
  });
});
