import { ModelChecker } from './model.checker';
import { OptimizationModel } from './optimization-model.types';

describe(ModelChecker.name, () => {
  const checker = new ModelChecker();

  it('should name every number that is not finite, which JSON cannot send but workflows can build', () => {
    const model: OptimizationModel = {
      sense: 'maximize',
      variables: [
        { name: 'x', upper: Number.NaN },
        { name: 'y', lower: Number.NEGATIVE_INFINITY },
      ],
      objective: { terms: { x: Number.NaN, y: 1 }, constant: Number.POSITIVE_INFINITY },
      constraints: [
        { name: 'c', terms: { x: 1, y: Number.POSITIVE_INFINITY }, sense: '<=', rhs: Number.NaN },
      ],
    };

    expect(checker.check(model, '/model').map((error) => error.field)).toEqual([
      '/model/variables/0/upper',
      '/model/variables/1/lower',
      '/model/objective/constant',
      '/model/objective/terms/x',
      '/model/constraints/0/rhs',
      '/model/constraints/0/terms/y',
    ]);
    expect(() => checker.assertValid(model)).toThrow(
      expect.objectContaining({ code: 'tool_input_invalid', status: 400 }),
    );
  });

  it('should accept finite numbers up to the solver range and null bounds', () => {
    const model: OptimizationModel = {
      sense: 'minimize',
      variables: [{ name: 'x', lower: null, upper: 1e15 }],
      objective: { terms: { x: -1e15 } },
      constraints: [{ name: 'c', terms: { x: 1 }, sense: '>=', rhs: -1e15 }],
    };

    expect(checker.check(model)).toEqual([]);
  });
});
