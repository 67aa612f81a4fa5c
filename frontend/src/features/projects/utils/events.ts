import { isRecord } from "@/api/client";
import { parseJudgeChanged } from "./judge-changed";
import { parseJudgeRunProgress } from "./judge-run-progress";

/** A message from `/ws/projects/{id}/`. New types appear over time, so `type` stays open. */
export interface ProjectEvent {
  type: string;
  project: number | null;
  at: string | null;
  data: unknown;
}

/** Accepts anything with a string `type`; other fields are optional so a partial message still shows. */
export function parseProjectEvent(message: unknown): ProjectEvent | null {
  if (!isRecord(message) || typeof message.type !== "string" || !message.type) {
    return null;
  }
  return {
    type: message.type,
    project: typeof message.project === "number" ? message.project : null,
    at: typeof message.at === "string" ? message.at : null,
    data: message.data ?? null,
  };
}

const MAX_JSON_LENGTH = 200;

export function compactJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? "null";
  } catch {
    text = String(value);
  }
  return text.length > MAX_JSON_LENGTH ? `${text.slice(0, MAX_JSON_LENGTH - 1)}…` : text;
}

function stringField(data: unknown, key: string): string | null {
  return isRecord(data) && typeof data[key] === "string" ? data[key] : null;
}

function numberField(data: unknown, key: string): number | null {
  return isRecord(data) && typeof data[key] === "number" ? data[key] : null;
}

/** One-line human summary; unknown or malformed events fall back to their JSON data. */
export function describeEvent(event: ProjectEvent): string {
  const { data } = event;
  switch (event.type) {
    case "worker.pong": {
      const hostname = stringField(data, "hostname");
      const latency = numberField(data, "latency_ms");
      if (hostname !== null && latency !== null) {
        return `Worker ${hostname} answered in ${Math.round(latency)} ms`;
      }
      break;
    }
    case "project.updated": {
      const fields = isRecord(data) && Array.isArray(data.fields) ? data.fields : null;
      if (fields && fields.every((field) => typeof field === "string")) {
        return fields.length ? `Project updated: ${fields.join(", ")}` : "Project updated";
      }
      break;
    }
    case "member.added":
    case "member.changed":
    case "member.removed": {
      const username = stringField(data, "username");
      const role = stringField(data, "role");
      if (username !== null && role !== null) {
        if (event.type === "member.added") {
          return `${username} joined as ${role}`;
        }
        return event.type === "member.changed" ? `${username} is now ${role}` : `${username} (${role}) was removed`;
      }
      break;
    }
    case "annotation.created": {
      const annotator = stringField(data, "annotator");
      const item = numberField(data, "item");
      if (annotator !== null && item !== null) {
        return `${annotator} annotated item ${item}`;
      }
      break;
    }
    case "annotation.reviewed": {
      const annotation = numberField(data, "annotation");
      const decision = stringField(data, "decision");
      if (annotation !== null && decision !== null) {
        return `Annotation ${annotation} ${decision === "accept" ? "accepted" : decision === "reject" ? "rejected" : decision}`;
      }
      break;
    }
    case "items.imported": {
      const created = numberField(data, "created");
      const updated = numberField(data, "updated");
      const unchanged = numberField(data, "unchanged");
      if (created !== null && updated !== null && unchanged !== null) {
        return `Import: ${created} new, ${updated} updated, ${unchanged} unchanged`;
      }
      break;
    }
    case "metrics.updated": {
      const duration = numberField(data, "duration_ms");
      const scope = stringField(data, "scope_key");
      if (duration !== null && scope !== null) {
        return `Dashboard figures recomputed${scope ? " for a filtered view" : ""} in ${Math.round(duration)} ms`;
      }
      break;
    }
    case "judge_run.progress": {
      const progress = parseJudgeRunProgress(data);
      if (progress) {
        const failed = progress.failed_items ? `, ${progress.failed_items} failed` : "";
        const error = progress.error ? ` (${progress.error})` : "";
        return `Judge run ${progress.run} ${progress.status}: ${progress.done_items} of ${progress.total_items} items${failed}${error}`;
      }
      break;
    }
    case "export.progress": {
      const exportId = numberField(data, "export");
      const status = stringField(data, "status");
      const done = numberField(data, "items_done");
      const total = numberField(data, "items_total");
      if (exportId !== null && status !== null && done !== null && total !== null) {
        return `Export ${exportId} ${status}: ${done} of ${total} items`;
      }
      break;
    }
    case "judge.changed": {
      const change = parseJudgeChanged(data);
      if (change) {
        return `Judge ${change.judge} ${change.action}`;
      }
      break;
    }
  }
  return compactJson(data);
}
