import { useQuery } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { JudgeTemplates } from "@/api/types";

export const judgeTemplatesKey = ["judge-templates"] as const;

/**
 * The server's default prompt template per kind (pairwise, rating, rubric, rationale) and the
 * `{fields}` each kind may use; an LLM or API judge without its own template uses the default.
 */
export function getJudgeTemplates(signal?: AbortSignal): Promise<JudgeTemplates> {
  return unwrap(client.GET("/api/judge-templates/", { signal }));
}

/** Fixed for a given server version, so fetched once per page load. */
export function useJudgeTemplates() {
  return useQuery({
    queryKey: judgeTemplatesKey,
    queryFn: ({ signal }) => getJudgeTemplates(signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}
