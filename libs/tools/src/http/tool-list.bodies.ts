import { TOOL_CATEGORIES, ToolCategory } from '../registry/tool.definition';
import { ToolRegistry } from '../registry/tool.registry';
import { ToolListDto } from './tool-list.dto';

/**
 * The JSON bodies of GET /v1/tools, serialised once: the registry is fixed at boot, so the list
 * of all tools and of each category never changes while the process runs.
 */
export class ToolListBodies {
  private readonly all: Buffer;
  private readonly byCategory = new Map<ToolCategory, Buffer>();

  constructor(registry: ToolRegistry) {
    this.all = ToolListBodies.serialise(registry);
    for (const category of TOOL_CATEGORIES) {
      this.byCategory.set(category, ToolListBodies.serialise(registry, category));
    }
  }

  body(category?: ToolCategory): Buffer {
    return category === undefined ? this.all : (this.byCategory.get(category) as Buffer);
  }

  private static serialise(registry: ToolRegistry, category?: ToolCategory): Buffer {
    const list: ToolListDto = {
      items: registry.list(category).map((tool) => ({
        name: tool.name,
        version: tool.version,
        title: tool.title,
        description: tool.description,
        category: tool.category,
        requiredScope: tool.requiredScope,
        timeoutMs: tool.timeoutMs,
        cost: tool.cost,
      })),
      nextCursor: null,
    };

    return Buffer.from(JSON.stringify(list));
  }
}
