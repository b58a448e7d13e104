/**
 * Models and business inputs with published or hand-computed answers, shared by the tools, MCP
 * and workflow suites so each known answer is written down once.
 */

/** Wyndor Glass (Hillier & Lieberman): optimum 36 at x = 2, y = 6; plants 2 and 3 binding. */
export const wyndor = {
  sense: 'maximize',
  variables: [{ name: 'x' }, { name: 'y' }],
  objective: { terms: { x: 3, y: 5 } },
  constraints: [
    { name: 'plant 1', terms: { x: 1 }, sense: '<=', rhs: 4 },
    { name: 'plant 2', terms: { y: 2 }, sense: '<=', rhs: 12 },
    { name: 'plant 3', terms: { x: 3, y: 2 }, sense: '<=', rhs: 18 },
  ],
};

/** Wikipedia's knapsack picture: 15 kg capacity, best value $15 without the 12 kg box. */
export const knapsack = {
  sense: 'maximize',
  variables: ['green', 'grey', 'blue', 'orange', 'yellow'].map((name) => ({
    name,
    type: 'binary',
  })),
  objective: { terms: { green: 4, grey: 2, blue: 2, orange: 1, yellow: 10 } },
  constraints: [
    {
      name: 'weight',
      terms: { green: 12, grey: 1, blue: 2, orange: 1, yellow: 4 },
      sense: '<=',
      rhs: 15,
    },
  ],
};

/** The knapsack above as CPLEX LP text. */
export const knapsackLp = [
  'Maximize',
  ' value: 4 green + 2 grey + 2 blue + 1 orange + 10 yellow',
  'Subject To',
  ' weight: 12 green + 1 grey + 2 blue + 1 orange + 4 yellow <= 15',
  'Binaries',
  ' green grey blue orange yellow',
  'End',
].join('\n');

/** Chairs and tables in LP text: optimum 1100 at 20 chairs and 10 tables. */
export const furnitureLp = [
  'Maximize',
  ' profit: 30 chairs + 50 tables',
  'Subject To',
  ' carpentry: chairs + 2 tables <= 40',
  ' finishing: 2 chairs + tables <= 50',
  'Generals',
  ' chairs tables',
  'End',
].join('\n');

/** The rows of a Cornuéjols-Dawande market split: 10 (rows - 1) binaries each, and a target. */
function marketSplitRows(rows: number): { coefficients: number[]; target: number }[] {
  let seed = 12345;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;

    return seed / 2147483648;
  };
  const n = 10 * (rows - 1);

  return Array.from({ length: rows }, () => {
    const coefficients = Array.from({ length: n }, () => Math.floor(next() * 100));

    return {
      coefficients,
      target: Math.floor(coefficients.reduce((sum, v) => sum + v, 0) / 2),
    };
  });
}

/**
 * Cornuéjols-Dawande market split: a few hundred characters of LP (5 rows, 40 binaries) that
 * branch and bound cannot finish in minutes, so it stands in for any long solve. With `slack`
 * (the default) every row has slack variables, so a plan always exists and a time limit returns
 * an incumbent; without, HiGHS finds no feasible plan in the first seconds.
 */
export function marketSplit(rows: number, { slack = true }: { slack?: boolean } = {}): string {
  const split = marketSplitRows(rows);
  const n = split[0].coefficients.length;
  const objective = slack
    ? Array.from({ length: rows }, (_, i) => `s${i} + t${i}`)
    : Array.from({ length: n }, (_, j) => `x${j}`);
  const lines = ['Minimize', ` obj: ${objective.join(' + ')}`];
  lines.push('Subject To');
  split.forEach(({ coefficients, target }, i) => {
    const slacks = slack ? ` + s${i} - t${i}` : '';
    lines.push(
      ` r${i}: ${coefficients.map((v, j) => `+ ${v} x${j}`).join(' ')}${slacks} = ${target}`,
    );
  });
  lines.push('Binaries', ` ${Array.from({ length: n }, (_, j) => `x${j}`).join(' ')}`, 'End');

  return lines.join('\n');
}

/**
 * The slack market split above as a structured model, with no objective: any plan is optimal,
 * so it solves at once. Penalising the slacks s0..t(rows-1) makes it as long as the LP text.
 */
export function marketSplitModel(rows: number) {
  const split = marketSplitRows(rows);
  const n = split[0].coefficients.length;
  const slacks = Array.from({ length: rows }, (_, i) => [`s${i}`, `t${i}`]).flat();

  return {
    sense: 'minimize',
    variables: [
      ...Array.from({ length: n }, (_, j) => ({ name: `x${j}`, type: 'binary' })),
      ...slacks.map((name) => ({ name })),
    ],
    objective: { terms: {} },
    constraints: split.map(({ coefficients, target }, i) => ({
      name: `r${i}`,
      terms: {
        ...Object.fromEntries(coefficients.map((v, j) => [`x${j}`, v])),
        [`s${i}`]: 1,
        [`t${i}`]: -1,
      },
      sense: '=',
      rhs: target,
    })),
  };
}

/** Wyndor as a product mix: 2 doors and 6 windows for 36. */
export const productionInputs = {
  products: [
    { name: 'Doors', profitPerUnit: 3, usage: { 'Plant 1': 1, 'Plant 3': 3 } },
    { name: 'Windows', profitPerUnit: 5, usage: { 'Plant 2': 2, 'Plant 3': 2 } },
  ],
  resources: [
    { name: 'Plant 1', capacity: 4 },
    { name: 'Plant 2', capacity: 12 },
    { name: 'Plant 3', capacity: 18 },
  ],
};

/** Three periods, three shifts: 4 Early and 2 Late for 640. */
export const shiftInputs = {
  periods: [
    { name: 'Morning', requiredStaff: 4 },
    { name: 'Afternoon', requiredStaff: 6 },
    { name: 'Night', requiredStaff: 2 },
  ],
  shifts: [
    { name: 'Early', costPerWorker: 100, covers: ['Morning', 'Afternoon'] },
    { name: 'Late', costPerWorker: 120, covers: ['Afternoon', 'Night'] },
    { name: 'Night only', costPerWorker: 80, covers: ['Night'] },
  ],
};

/** Three weeks of demand: order 50 in week 1 and 100 in week 2 for 260. */
export const replenishmentInputs = {
  item: 'Widget',
  orderingCost: 100,
  holdingCost: 1.5,
  periods: [
    { name: 'Week 1', demand: 50 },
    { name: 'Week 2', demand: 60 },
    { name: 'Week 3', demand: 40 },
  ],
};

/** Two plants, three stores: 125 with Plant B serving Store Y. */
export const transportationInputs = {
  sources: [
    { name: 'Plant A', supply: 20 },
    { name: 'Plant B', supply: 30 },
  ],
  destinations: [
    { name: 'Store X', demand: 10 },
    { name: 'Store Y', demand: 25 },
    { name: 'Store Z', demand: 15 },
  ],
  lanes: [
    { from: 'Plant A', to: 'Store X', costPerUnit: 2 },
    { from: 'Plant A', to: 'Store Y', costPerUnit: 4 },
    { from: 'Plant A', to: 'Store Z', costPerUnit: 5 },
    { from: 'Plant B', to: 'Store X', costPerUnit: 3 },
    { from: 'Plant B', to: 'Store Y', costPerUnit: 1 },
    { from: 'Plant B', to: 'Store Z', costPerUnit: 7 },
  ],
};

/** Three sites, three customers of 20 each: open North and South for 270. */
export const facilityInputs = {
  facilities: [
    { name: 'North', fixedCost: 100 },
    { name: 'Central', fixedCost: 120 },
    { name: 'South', fixedCost: 90 },
  ],
  customers: [
    { name: 'C1', demand: 20 },
    { name: 'C2', demand: 20 },
    { name: 'C3', demand: 20 },
  ],
  serviceCosts: [
    { facility: 'North', customer: 'C1', costPerUnit: 1 },
    { facility: 'North', customer: 'C2', costPerUnit: 2 },
    { facility: 'North', customer: 'C3', costPerUnit: 9 },
    { facility: 'Central', customer: 'C1', costPerUnit: 6 },
    { facility: 'Central', customer: 'C2', costPerUnit: 1 },
    { facility: 'Central', customer: 'C3', costPerUnit: 2 },
    { facility: 'South', customer: 'C1', costPerUnit: 9 },
    { facility: 'South', customer: 'C2', costPerUnit: 7 },
    { facility: 'South', customer: 'C3', costPerUnit: 1 },
  ],
};
