import type { AssignmentStrategy } from "@/api/types";

export const ASSIGNMENT_OPTIONS: { value: AssignmentStrategy; label: string }[] = [
  { value: "sequential", label: "Sequential (import order)" },
  { value: "random", label: "Random" },
  { value: "priority", label: "By item priority" },
  { value: "active", label: "Active learning" },
];
