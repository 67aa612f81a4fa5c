import { useMutation, useQueryClient } from "@tanstack/react-query";
import { client, unwrap } from "@/api/client";
import type { ImportFileType, ImportFormat, ImportRequest, ImportResult } from "@/api/types";
import { projectKeys } from "@/features/projects/api/keys";

export interface ImportInput {
  files: File[];
  format: ImportFormat;
  fileType?: ImportFileType;
  /** JSON text, for format=mapping. */
  mapping?: string;
  referenceAnnotator?: string;
}

/** The multipart body: `file` repeated once per file, then the optional fields that are set. */
export function importFormData(input: ImportInput): FormData {
  const form = new FormData();
  for (const file of input.files) {
    form.append("file", file, file.name);
  }
  form.append("format", input.format);
  if (input.fileType) form.append("file_type", input.fileType);
  if (input.format === "mapping" && input.mapping) form.append("mapping", input.mapping);
  if (input.referenceAnnotator) form.append("reference_annotator", input.referenceAnnotator);
  return form;
}

/**
 * Uploads files into a project. All or nothing: a 400 (or 413) carries
 * `{errors: [{line, field, message, file}]}` and nothing was written.
 */
export function importItems(projectId: number, input: ImportInput): Promise<ImportResult> {
  // The schema types uploads as strings (OpenAPI "binary"); this describes the fields for the
  // type checker, while the body actually sent is the FormData with the real files.
  const fields: ImportRequest = {
    file: input.files.map((file) => file.name),
    format: input.format,
  };
  return unwrap(
    client.POST("/api/projects/{project_id}/import/", {
      params: { path: { project_id: projectId } },
      body: fields,
      bodySerializer: () => importFormData(input),
    }),
  );
}

export function useImportItems(projectId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ImportInput) => importItems(projectId, input),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: projectKeys.items(projectId) }),
        // Reference labels arrive as annotations.
        queryClient.invalidateQueries({ queryKey: projectKeys.annotations(projectId) }),
        // The item count shows on the project and in the list.
        queryClient.invalidateQueries({ queryKey: projectKeys.detail(projectId), exact: true }),
        queryClient.invalidateQueries({ queryKey: projectKeys.list() }),
      ]);
    },
  });
}
