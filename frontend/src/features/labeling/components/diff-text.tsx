import { Text } from "@mantine/core";
import type { DiffPart } from "../utils/word-diff";

const STYLES = {
  removed: { background: "var(--mantine-color-red-light)", textDecoration: "line-through" },
  added: { background: "var(--mantine-color-green-light)", textDecoration: "none" },
} as const;

/** One side of a word diff, as plain text with the differing words marked. */
export function DiffText({ parts }: { parts: DiffPart[] }) {
  return (
    <Text component="div" size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
      {parts.map((part, index) => {
        if (part.change === "same") {
          return <span key={index}>{part.text}</span>;
        }
        const Tag = part.change === "added" ? "ins" : "del";
        return (
          <Tag key={index} style={STYLES[part.change]} title="Not in the other response">
            {part.text}
          </Tag>
        );
      })}
    </Text>
  );
}
