/**
 * The small LP of scenario 5, as CPLEX LP text so that the service and the direct loop solve
 * exactly the same model: three variables, three constraints, optimum 10.5 at x=2.5, y=1.5, z=0.
 */
export const SMALL_LP = [
  'Maximize',
  ' obj: 3 x + 2 y + 4 z',
  'Subject To',
  ' c1: x + y + 2 z <= 4',
  ' c2: 2 x + z <= 5',
  ' c3: x + 3 y + z <= 7',
  'Bounds',
  ' 0 <= x <= 10',
  ' 0 <= y <= 10',
  ' 0 <= z <= 10',
  'End',
].join('\n');

export const SMALL_LP_OBJECTIVE = 10.5;
