import { ExecuteWorkflowTool } from '@app/tools/tools/execute-workflow.tool';
import { createTenantWithKey, TenantWithKey } from './support/identity-fixtures';
import {
  facilityInputs,
  productionInputs,
  replenishmentInputs,
  shiftInputs,
  transportationInputs,
} from './support/optimization-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Each template on a small instance whose answer was worked out by hand (the enumeration is in
 * the comment above each test), checked through the public API as a client would call it.
 */
describe(ExecuteWorkflowTool.name, () => {
  let testApp: TestApp;
  let tenant: TenantWithKey;

  const execute = (workflow: string, inputs: unknown) =>
    testApp.http
      .post('/v1/tools/execute_workflow/invoke')
      .set('X-API-Key', tenant.key)
      .send({ input: { workflow, inputs } })
      .expect(200);

  beforeAll(async () => {
    testApp = await startTestApp();
    tenant = await createTenantWithKey(testApp, ['tools:read', 'tools:invoke']);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should list the five templates with schemas and runnable examples', async () => {
    const response = await testApp.http
      .post('/v1/tools/get_workflow_templates/invoke')
      .set('X-API-Key', tenant.key)
      .send({ input: {} })
      .expect(200);
    const templates = response.body.output.templates as { id: string; exampleInput: unknown }[];

    expect(templates.map((template) => template.id)).toEqual([
      'production_planning',
      'shift_scheduling',
      'inventory_replenishment',
      'transportation',
      'facility_location',
    ]);
    for (const template of templates) {
      expect((await execute(template.id, template.exampleInput)).body.output.status).toBe(
        'optimal',
      );
    }
  });

  // Vertices of {x <= 4, 2y <= 12, 3x + 2y <= 18}: (0,6)=30, (2,6)=36, (4,3)=27, (4,0)=12.
  it('should plan production: 2 doors and 6 windows for a profit of 36', async () => {
    const { output } = (await execute('production_planning', productionInputs)).body;

    expect(output.answer.totalProfit).toBe(36);
    expect(output.answer.plan).toEqual([
      { product: 'Doors', quantity: 2, profit: 6 },
      { product: 'Windows', quantity: 6, profit: 30 },
    ]);
    expect(
      output.answer.resources.filter((item: { bottleneck: boolean }) => item.bottleneck),
    ).toEqual([
      expect.objectContaining({ resource: 'Plant 2', valueOfOneMoreUnit: 1.5 }),
      expect.objectContaining({ resource: 'Plant 3', valueOfOneMoreUnit: 1 }),
    ]);
    expect(output.summary).toMatch(/^Make 2 Doors, 6 Windows for a total profit of 36\./);
  });

  it('should plan a product named __proto__ like any other', async () => {
    const inputs = {
      ...productionInputs,
      products: [
        { ...productionInputs.products[0], name: '__proto__' },
        productionInputs.products[1],
      ],
    };

    const { output } = (await execute('production_planning', inputs)).body;

    expect(output.answer.totalProfit).toBe(36);
    expect(output.answer.plan).toEqual([
      { product: '__proto__', quantity: 2, profit: 6 },
      { product: 'Windows', quantity: 6, profit: 30 },
    ]);
    expect(Object.keys(output.solve.variables).sort()).toEqual(['Windows', '__proto__']);
  });

  // Early >= 4 (morning). Then afternoon needs 2 more: Late (120 each) also covers the night,
  // 4x100 + 2x120 = 640; the alternatives 6 Early + 2 Night only = 760, 5/1/1 = 700 cost more.
  it('should schedule shifts: 4 Early and 2 Late for 640', async () => {
    const { output } = (await execute('shift_scheduling', shiftInputs)).body;

    expect(output.answer).toMatchObject({
      totalCost: 640,
      totalWorkers: 6,
      roster: [
        { shift: 'Early', workers: 4, cost: 400 },
        { shift: 'Late', workers: 2, cost: 240 },
        { shift: 'Night only', workers: 0, cost: 0 },
      ],
      coverage: [
        { period: 'Morning', required: 4, scheduled: 4, surplus: 0 },
        { period: 'Afternoon', required: 6, scheduled: 6, surplus: 0 },
        { period: 'Night', required: 2, scheduled: 2, surplus: 0 },
      ],
    });
  });

  // Demands 50/60/40, 100 per order, 1.5 per unit held: order every week 300; 150 in week 1
  // 100 + 1.5x(100+40) = 310; 110 + 40: 200 + 1.5x60 = 290; 50 + 100: 200 + 1.5x40 = 260.
  it('should plan replenishment: order 50 in week 1 and 100 in week 2 for 260', async () => {
    const { output } = (await execute('inventory_replenishment', replenishmentInputs)).body;

    expect(output.answer).toEqual({
      totalCost: 260,
      costs: { ordering: 200, purchase: 0, holding: 60, total: 260 },
      orders: [
        { period: 'Week 1', quantity: 50 },
        { period: 'Week 2', quantity: 100 },
      ],
      schedule: [
        { period: 'Week 1', demand: 50, order: 50, endingInventory: 0 },
        { period: 'Week 2', demand: 60, order: 100, endingInventory: 40 },
        { period: 'Week 3', demand: 40, order: 0, endingInventory: 0 },
      ],
    });
    expect(output.summary).toBe(
      'Place 2 orders: 50 Widget in Week 1, 100 Widget in Week 2. Total cost 260 (ordering 200, ' +
        'purchase 0, holding 60).',
    );
  });

  // B serves Y at 1 (its best lane), A serves Z at 5 (B would pay 7), X takes A's last 5 at 2
  // and B's 5 at 3: 25 + 75 + 10 + 15 = 125; moving a unit to any other lane costs at least 1 more.
  it('should plan transportation: 125 with Plant B serving Store Y', async () => {
    const { output } = (await execute('transportation', transportationInputs)).body;

    expect(output.answer.totalCost).toBe(125);
    expect(output.answer.shipments).toEqual(
      expect.arrayContaining([
        { from: 'Plant A', to: 'Store X', quantity: 5, cost: 10 },
        { from: 'Plant A', to: 'Store Z', quantity: 15, cost: 75 },
        { from: 'Plant B', to: 'Store X', quantity: 5, cost: 15 },
        { from: 'Plant B', to: 'Store Y', quantity: 25, cost: 25 },
      ]),
    );
    expect(output.answer.shipments).toHaveLength(4);
    expect(output.answer.sources).toEqual([
      { source: 'Plant A', supply: 20, shipped: 20, unused: 0 },
      { source: 'Plant B', supply: 30, shipped: 30, unused: 0 },
    ]);
  });

  // Demand 20 each. North alone 100 + 20x(1+2+9) = 340; Central alone 300; South alone 430;
  // North+South 190 + 20x(1+2+1) = 270; North+Central 300; Central+South 370; all three 370.
  it('should locate facilities: open North and South for 270', async () => {
    const { output } = (await execute('facility_location', facilityInputs)).body;

    expect(output.answer).toEqual({
      totalCost: 270,
      fixedCost: 190,
      serviceCost: 80,
      openFacilities: ['North', 'South'],
      assignments: [
        { customer: 'C1', facility: 'North', quantity: 20, cost: 20 },
        { customer: 'C2', facility: 'North', quantity: 20, cost: 40 },
        { customer: 'C3', facility: 'South', quantity: 20, cost: 20 },
      ],
    });
    expect(output.summary).toBe(
      'Open North, South. C1 is served by North. C2 is served by North. C3 is served by South. ' +
        'Total cost 270 (fixed 190, service 80).',
    );
  });

  // North holds only 25 of the 40 units, so it cannot serve alone. South alone: 90 + 20x9 +
  // 20x7 = 410. Both: North's 25 units go where they save most against South (C1 saves 8 a unit,
  // C2 saves 5): 20 to C1 and 5 to C2, South ships 15 to C2: 190 + 20 + 10 + 105 = 325.
  it('should respect facility capacities', async () => {
    const { output } = (
      await execute('facility_location', {
        facilities: [
          { name: 'North', fixedCost: 100, capacity: 25 },
          { name: 'South', fixedCost: 90, capacity: 100 },
        ],
        customers: [
          { name: 'C1', demand: 20 },
          { name: 'C2', demand: 20 },
        ],
        serviceCosts: [
          { facility: 'North', customer: 'C1', costPerUnit: 1 },
          { facility: 'North', customer: 'C2', costPerUnit: 2 },
          { facility: 'South', customer: 'C1', costPerUnit: 9 },
          { facility: 'South', customer: 'C2', costPerUnit: 7 },
        ],
      })
    ).body;

    expect(output.answer).toMatchObject({
      openFacilities: ['North', 'South'],
      totalCost: 325,
      assignments: [
        { customer: 'C1', facility: 'North', quantity: 20 },
        { customer: 'C2', facility: 'North', quantity: 5 },
        { customer: 'C2', facility: 'South', quantity: 15 },
      ],
    });
  });

  it('should answer demand above total supply in business terms, not as an error', async () => {
    const { output } = (
      await execute('transportation', {
        ...transportationInputs,
        destinations: [...transportationInputs.destinations, { name: 'Store W', demand: 1 }],
        lanes: [...transportationInputs.lanes, { from: 'Plant A', to: 'Store W', costPerUnit: 1 }],
      })
    ).body;

    expect(output).toMatchObject({ status: 'infeasible', objectiveValue: null, answer: null });
    expect(output.summary).toMatch(/^No plan meets every requirement/);
  });

  it('should refuse inputs naming unknown periods with a path under /inputs', async () => {
    const response = await testApp.http
      .post('/v1/tools/execute_workflow/invoke')
      .set('X-API-Key', tenant.key)
      .send({
        input: {
          workflow: 'shift_scheduling',
          inputs: {
            periods: [{ name: 'Morning', requiredStaff: 1 }],
            shifts: [{ name: 'Early', costPerWorker: 1, covers: ['Morning', 'Evening'] }],
          },
        },
      })
      .expect(400);

    // The inputs match the template's schema: only the cross-reference check can refuse them.
    expect(response.body).toMatchObject({
      code: 'tool_input_invalid',
      detail: 'The workflow inputs are inconsistent',
    });
    expect(response.body.errors).toEqual([
      { field: '/inputs/shifts/0/covers/1', message: 'is not one of the periods' },
    ]);
  });
});
