/**
 * Short names for the generated active-learning API types (kept beside the feature until
 * `src/api/types.ts` lists them with the rest).
 */
import type { components } from "@/api/schema";

type Schemas = components["schemas"];

export type ActiveLearning = Schemas["ActiveLearning"];
export type ActiveLearningPatch = Schemas["PatchedActiveLearningRequest"];
export type HeadVersion = Schemas["HeadVersion"];
export type QueueEntry = Schemas["QueueEntry"];
export type TaskQueued = Schemas["TaskQueued"];
