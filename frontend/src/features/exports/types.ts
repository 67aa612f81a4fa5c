/**
 * Short names for the generated export API types (kept beside the feature until
 * `src/api/types.ts` lists them with the rest).
 */
import type { components, operations } from "@/api/schema";

type Schemas = components["schemas"];

export type Export = Schemas["Export"];
export type ExportList = Schemas["PaginatedExportList"];
export type ExportStatus = Schemas["ExportStatusEnum"];
// Named through the operation so the generated schema names (which follow the serializers) can change.
export type ExportRequest = NonNullable<operations["projects_exports_create"]["requestBody"]>["content"]["application/json"];
export type ExportFormat = ExportRequest["format"];
export type ExportFileType = ExportRequest["file_type"];
export type Aggregation = ExportRequest["aggregation"];
export type Ties = ExportRequest["ties"];
export type Margin = ExportRequest["margin"];
