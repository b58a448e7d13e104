import { FacilityLocationWorkflow } from './facility-location.workflow';
import { InventoryReplenishmentWorkflow } from './inventory-replenishment.workflow';
import { ProductionPlanningWorkflow } from './production-planning.workflow';
import { ShiftSchedulingWorkflow } from './shift-scheduling.workflow';
import { TransportationWorkflow } from './transportation.workflow';
import { WorkflowTemplate } from './workflow-template.types';

/** The built-in workflow templates, in the order they are listed. */
export class WorkflowCatalog {
  private readonly templates = new Map<string, WorkflowTemplate>();

  constructor() {
    // Method parameters are bivariant, so each typed template is also a WorkflowTemplate<unknown>;
    // its input has passed the template's schema before any method runs.
    const templates: WorkflowTemplate[] = [
      new ProductionPlanningWorkflow(),
      new ShiftSchedulingWorkflow(),
      new InventoryReplenishmentWorkflow(),
      new TransportationWorkflow(),
      new FacilityLocationWorkflow(),
    ];
    for (const template of templates) {
      this.templates.set(template.id, template);
    }
  }

  list(): WorkflowTemplate[] {
    return [...this.templates.values()];
  }

  find(id: string): WorkflowTemplate | undefined {
    return this.templates.get(id);
  }

  ids(): string[] {
    return [...this.templates.keys()];
  }
}
