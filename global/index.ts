import { loadGlobalConfig } from "../stacks/globalConfig";
import { createGlobalStack } from "../stacks/global";

// Pulumi awaits an exported promise and uses what it resolves to as the stack's outputs.
export = createGlobalStack(loadGlobalConfig());
